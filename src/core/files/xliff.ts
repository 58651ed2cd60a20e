// .xlf and .xliff, versions 1.2 (<trans-unit><source>) and 2.0 (<unit><segment><source>): each source with text is
// translated as XML markup and its translation written in a <target> beside it (an empty <target> is filled, one
// with text is kept: a person's translation wins); the file says its target language (1.2: target-language on
// <file>, 2.0: trgLang on <xliff>). Inline codes stay where the words they mark go: <g>, <pc> and <mrk> wrap words,
// <x/>, <bx/>, <ex/>, <ph/>, <sc/>, <ec/> are points, and the native code inside <ph>, <bpt>, <ept>, <it> is copied,
// never translated. Everything outside the targets written is copied byte for byte. translate="no" units are kept.
import type { ElementNode, MarkupOptions } from '../segment/markup.js';
import { decodeText, FileError, hasLetters, MB, type FileFormat, type Segment } from './format.js';
import { elements, parseXml, textOf } from './xml.js';

const INLINE: MarkupOptions = {
  mode: 'xml',
  outlineDetection: false,
  ignoreTags: ['ph', 'bpt', 'ept', 'it', 'sub', 'originalData'],
};
const MAX_TAGS = 2_000_000;

/** An edit of the source: [start, end) replaced by `text` (an insertion when start === end). */
interface Edit {
  start: number;
  end: number;
  text: (translation: string) => string;
}

export const xliff: FileFormat = {
  name: 'xliff',
  extensions: ['.xlf', '.xliff'],
  mediaType: 'application/xliff+xml; charset=utf-8',
  maxBytes: 10 * MB,
  read(bytes, { target }) {
    const { text, encode } = decodeText(bytes, 'file');
    const root = elements(parseXml(text, 'the file', MAX_TAGS)).find((el) => localName(el) === 'xliff');
    if (!root) throw new FileError('not an XLIFF file: it has no <xliff> element');
    const v2 = (root.attributes.get('version') ?? '').startsWith('2');
    const segments: Segment[] = [];
    const edits: { edit: Edit; segment?: number }[] = [];
    const language = (el: ElementNode, name: string) => edits.push({ edit: setAttribute(text, el, name, target) });
    if (v2) language(root, 'trgLang');
    for (const file of descendants(root, 'file')) if (!v2) language(file, 'target-language');
    for (const unit of descendants(root, v2 ? 'unit' : 'trans-unit')) {
      if (unit.attributes.get('translate') === 'no') continue;
      const holders = v2 ? descendants(unit, 'segment') : [unit];
      for (const holder of holders) {
        const source = elements(holder.children).find((el) => localName(el) === 'source');
        if (!source || source.isVoid) continue;
        const inner = text.slice(source.openEnd, source.closeStart);
        const existing = elements(holder.children).find((el) => localName(el) === 'target');
        if (existing && !existing.isVoid && hasLetters(textOf(existing.children))) continue;
        if (!hasLetters(textOf(source.children))) continue;
        const prefix = source.name.slice(0, source.name.length - 'source'.length); // "xlf:" when namespaced
        const index = segments.push({ text: inner, markup: INLINE }) - 1;
        const edit: Edit = existing
          ? {
              start: existing.isVoid ? existing.start : existing.openEnd,
              end: existing.isVoid ? existing.end : existing.closeStart,
              text: (t) =>
                existing.isVoid
                  ? `${text.slice(existing.start, existing.end - 2).trimEnd()}>${t}</${existing.name}>`
                  : t,
            }
          : {
              start: source.end,
              end: source.end,
              text: (t) => `${gapBefore(text, source)}<${prefix}target>${t}</${prefix}target>`,
            };
        edits.push({ edit, segment: index });
      }
    }
    if (segments.length === 0) throw new FileError('the file has no untranslated source with text to translate');
    return {
      segments,
      write(translations) {
        let out = text;
        const sorted = [...edits].sort((a, b) => b.edit.start - a.edit.start);
        for (const { edit, segment } of sorted)
          out =
            out.slice(0, edit.start) +
            edit.text(segment === undefined ? '' : translations[segment]!) +
            out.slice(edit.end);
        return encode(out);
      },
    };
  },
};

const localName = (el: ElementNode) => el.name.slice(el.name.indexOf(':') + 1);

function descendants(el: ElementNode, name: string): ElementNode[] {
  return elements(el.children).flatMap((child) => (localName(child) === name ? [child] : descendants(child, name)));
}

/** The whitespace before <source> (its indentation), so a new <target> lines up with it. */
function gapBefore(text: string, source: ElementNode): string {
  let i = source.start;
  while (i > 0 && /[ \t]/.test(text[i - 1]!)) i--;
  return i > 0 && /[\r\n]/.test(text[i - 1]!) ? text.slice(text[i - 2] === '\r' ? i - 2 : i - 1, source.start) : '';
}

/** The start tag of `el` with attribute `name` set to `value` (replaced where it is, else added at the end). */
function setAttribute(text: string, el: ElementNode, name: string, value: string): Edit {
  const tag = text.slice(el.start, el.openEnd);
  const existing = new RegExp(`(\\s${name}\\s*=\\s*)(["'])[^"']*\\2`).exec(tag);
  if (existing) {
    const start = el.start + existing.index + existing[1]!.length;
    return { start, end: start + existing[0].length - existing[1]!.length, text: () => `"${value}"` };
  }
  const at = el.openEnd - (tag.endsWith('/>') ? 2 : 1);
  return { start: at, end: at, text: () => ` ${name}="${value}"` };
}
