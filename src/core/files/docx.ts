// .docx (Office Open XML), read with fflate's unzip and this project's XML reader (../segment/markup/parse.ts):
// every paragraph (<w:p>) of the body, headers, footers, footnotes and endnotes with text is translated, and the
// package is written back with only those paragraphs' runs changed; every other part (styles, numbering, images,
// relationships, settings) and everything of a paragraph but its runs (<w:pPr>: style, alignment, numbering) is
// copied byte for byte.
//
// Runs: adjacent runs with the same properties (<w:rPr>: bold, italic, font, colour, ...) are one, since Word splits
// runs for spell-checking and revision marks; each is a wrap (./inline.ts), so its formatting goes around the words
// its text was translated into. Text the translation puts outside every run gets the properties of the paragraph's
// first run. Tabs and line breaks are word breaks kept in place; fields, drawings, footnote marks, bookmarks,
// comments' ranges and tracked deletions are kept whole where their place projects. Hyperlinks, tracked insertions
// and simple fields wrap their runs. Not translated: text boxes (paragraphs inside a drawing), and the text of
// charts and SmartArt (their own parts).
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { ElementNode, MarkupNode } from '../segment/markup.js';
import { FileError, MB, type FileFormat, type Segment } from './format.js';
import { inlineHasLetters, inlineSegment, readInline, type Inline } from './inline.js';
import { elements, escapeXml, parseXml, textOf } from './xml.js';

const PARTS = /^word\/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml$/;
const MAX_UNZIPPED = 256 * MB; // a ZIP bomb is refused before it is inflated
const MAX_TAGS = 5_000_000;
const CONTAINERS = new Set(['w:hyperlink', 'w:smartTag', 'w:ins', 'w:fldSimple', 'w:customXml']);
const BREAKS = new Set(['w:tab', 'w:br', 'w:cr']);

type Wrap = { run: true; properties: string } | { run: false; open: string; close: string };

interface Paragraph {
  start: number; // the runs: source[start, end) is replaced
  end: number;
  items: Inline[];
  wraps: Wrap[];
  kept: string[]; // points' XML
  base?: string; // <w:rPr> of the first run with text: for text outside every run
}

export const docx: FileFormat = {
  name: 'docx',
  extensions: ['.docx'],
  mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  maxBytes: 30 * MB,
  read(bytes) {
    const files = unzip(bytes);
    const parts = Object.keys(files)
      .filter((name) => PARTS.test(name))
      .map((name) => {
        const xml = strFromU8(files[name]!);
        return {
          name,
          xml,
          paragraphs: paragraphsOf(parseXml(xml, `not a valid .docx file: ${name}`, MAX_TAGS), xml).filter((p) =>
            inlineHasLetters(p.items),
          ),
        };
      });
    const segments: Segment[] = parts.flatMap((part) => part.paragraphs.map((p) => inlineSegment(p.items)));
    if (segments.length === 0) throw new FileError('the document has no text to translate');
    return {
      segments,
      write(translations) {
        let next = 0;
        const out: Zippable = {};
        for (const [name, data] of Object.entries(files))
          out[name] = [data, { level: /\.(xml|rels)$/.test(name) ? 6 : 0 }];
        for (const part of parts) {
          const rendered = part.paragraphs.map((p) => ({
            p,
            runs: render(spacesIntoRuns(readInline(segments[next]!, translations[next++]!), p), p, p.base ?? ''),
          }));
          let xml = part.xml;
          for (const { p, runs } of rendered.reverse()) xml = xml.slice(0, p.start) + runs + xml.slice(p.end);
          out[part.name] = [strToU8(xml), { level: 6 }];
        }
        return zipSync(out);
      },
    };
  },
};

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new FileError(
      'the document is encrypted (password-protected) or in the old .doc format: save it as a .docx without a password',
    );
  }
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new FileError('not a .docx file: it is not a ZIP archive');
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (total > MAX_UNZIPPED) throw new FileError(`the document unpacks to more than ${MAX_UNZIPPED / MB} MB`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw new FileError(
      `not a valid .docx file: its ZIP archive is damaged (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!files['word/document.xml']) throw new FileError('not a .docx file: it has no word/document.xml');
  return files;
}

/** The paragraphs of a part, outermost only (a text box's paragraphs sit inside a run's drawing: kept as they are). */
function paragraphsOf(nodes: MarkupNode[], xml: string): Paragraph[] {
  return elements(nodes).flatMap((el) =>
    el.name === 'w:p' ? (el.isVoid ? [] : [paragraph(el, xml)]) : paragraphsOf(el.children, xml),
  );
}

function paragraph(p: ElementNode, xml: string): Paragraph {
  const children = elements(p.children);
  const pPr = children.find((el) => el.name === 'w:pPr');
  const raw = (el: ElementNode) => xml.slice(el.start, el.end);
  const para: Paragraph = { start: pPr ? pPr.end : p.openEnd, end: p.closeStart, items: [], wraps: [], kept: [] };
  const point = (el: ElementNode, space = false): Inline => ({
    point: para.kept.push(raw(el)) - 1,
    ...(space && { space }),
  });
  const items = (nodes: ElementNode[]): Inline[] => {
    const out: Inline[] = [];
    for (const el of nodes) {
      if (el === pPr) continue;
      if (el.name === 'w:r') {
        const properties = elements(el.children).find((c) => c.name === 'w:rPr');
        const content: Inline[] = elements(el.children)
          .filter((c) => c !== properties)
          .map((c) => (c.name === 'w:t' ? textOf(c.children) : point(c, BREAKS.has(c.name))));
        const props = properties ? raw(properties) : '';
        if (para.base === undefined && content.some((c) => typeof c === 'string' && c !== '')) para.base = props;
        const last = out[out.length - 1];
        const previous = last && typeof last === 'object' && 'wrap' in last ? last : undefined;
        const wrap = previous && para.wraps[previous.wrap];
        if (previous && wrap?.run && wrap.properties === props)
          previous.children.push(...content); // one run: same formatting
        else out.push({ wrap: para.wraps.push({ run: true, properties: props }) - 1, children: content });
      } else if (CONTAINERS.has(el.name) && !el.isVoid) {
        const wrap =
          para.wraps.push({
            run: false,
            open: xml.slice(el.start, el.openEnd),
            close: xml.slice(el.closeStart, el.end),
          }) - 1;
        out.push({ wrap, children: items(elements(el.children)) });
      } else out.push(point(el));
    }
    return out.map((item) =>
      typeof item === 'object' && 'wrap' in item ? { ...item, children: mergeText(item.children) } : item,
    );
  };
  para.items = items(children);
  return para;
}

const mergeText = (items: Inline[]): Inline[] =>
  items.reduce<Inline[]>((out, item) => {
    if (typeof item === 'string' && typeof out[out.length - 1] === 'string') out[out.length - 1] += item;
    else out.push(item);
    return out;
  }, []);

/** Whitespace the translation left between runs goes into the run before it (else after it), not a run of its own. */
function spacesIntoRuns(items: Inline[], para: Paragraph): Inline[] {
  const isRun = (item: Inline | undefined): item is { wrap: number; children: Inline[] } =>
    typeof item === 'object' && 'wrap' in item && para.wraps[item.wrap]!.run;
  const out: Inline[] = [];
  items.forEach((item, i) => {
    const before = out[out.length - 1],
      after = items[i + 1];
    if (typeof item === 'string' && item.trim() === '' && isRun(before)) before.children.push(item);
    else if (typeof item === 'string' && item.trim() === '' && isRun(after)) after.children.unshift(item);
    else if (typeof item === 'object' && 'wrap' in item && !para.wraps[item.wrap]!.run)
      out.push({ ...item, children: spacesIntoRuns(item.children, para) });
    else out.push(item);
  });
  return out;
}

const textRun = (properties: string, text: string) =>
  text ? `<w:r>${properties}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>` : '';

/** The paragraph's runs written from the translated inline content. */
function render(items: Inline[], para: Paragraph, base: string): string {
  return items
    .map((item) => {
      if (typeof item === 'string') return textRun(base, item);
      if (!('wrap' in item)) return para.kept[item.point]!;
      const wrap = para.wraps[item.wrap]!;
      if (!wrap.run) return wrap.open + render(item.children, para, base) + wrap.close;
      const content = mergeText(item.children)
        .map((c) =>
          typeof c === 'string'
            ? c
              ? `<w:t xml:space="preserve">${escapeXml(c)}</w:t>`
              : ''
            : 'wrap' in c
              ? ''
              : para.kept[c.point]!,
        )
        .join('');
      return content ? `<w:r>${wrap.properties}${content}</w:r>` : '';
    })
    .join('');
}
