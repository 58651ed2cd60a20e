// Inline content that is not plain text (a .docx run's formatting, a Markdown emphasis or link, a placeholder such
// as `%s` or `{name}`) carried through translation by the markup pipeline (../segment/markup.ts): a format writes its
// inline content as a small XML of its own, translates it with INLINE_MARKUP, and reads the translation back.
//
// - A wrap (`<w i="k">...</w>`) goes around the words its content was translated into, as any inline tag does.
// - A point (`<p i="k"/>`) is left out of what the model reads and written once, whole, where its place projects
//   in the translation; a space point (`<s i="k"> </s>`: a tab, a line break) also stands for a word break.
// - `k` indexes the format's own table of what the wrap or point was; only the format knows how to write it.
// Every point and wrap of the source comes back exactly once (../segment/markup.ts), so a placeholder is never lost,
// doubled or altered.
import { parseMarkup, type MarkupNode } from '../segment/markup.js';
import type { MarkupOptions } from '../segment/markup.js';
import { hasLetters, type Segment } from './format.js';
import { escapeXml } from './xml.js';

export type Inline = string | InlinePoint | InlineWrap;
export interface InlinePoint {
  point: number;
  space?: boolean; // a word break (tab, line break): the words on either side stay apart
}
export interface InlineWrap {
  wrap: number;
  children: Inline[];
}

/** All inline, nothing splits: the whole content is one block of text for the model. */
export const INLINE_MARKUP: MarkupOptions = { mode: 'xml', outlineDetection: false };

/** Plain text where the content is only text, else its inline XML (INLINE_MARKUP). */
export function inlineSegment(items: Inline[]): Segment {
  if (items.every((item) => typeof item === 'string')) return { text: items.join('') };
  return { text: encode(items), markup: INLINE_MARKUP };
}

/** The translation of an inlineSegment as inline content again (plain text is one string). */
export function readInline(segment: Segment, translation: string): Inline[] {
  if (!segment.markup) return [translation];
  return decode(parseMarkup(translation, true, Infinity));
}

/** Whether inline content has anything for the model: letters outside its points. */
export function inlineHasLetters(items: Inline[]): boolean {
  return items.some((item) =>
    typeof item === 'string' ? hasLetters(item) : 'wrap' in item && inlineHasLetters(item.children),
  );
}

function encode(items: Inline[]): string {
  return items
    .map((item) => {
      if (typeof item === 'string') return escapeXml(item);
      if ('wrap' in item) return `<w i="${item.wrap}">${encode(item.children)}</w>`;
      return item.space ? `<s i="${item.point}"> </s>` : `<p i="${item.point}"/>`;
    })
    .join('');
}

function decode(nodes: MarkupNode[]): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    if (node.kind === 'text') {
      if (typeof out[out.length - 1] === 'string') out[out.length - 1] += node.value;
      else out.push(node.value);
    } else if (node.kind === 'element') {
      const i = Number(node.attributes.get('i'));
      if (node.name === 'w') out.push({ wrap: i, children: decode(node.children) });
      else out.push({ point: i, ...(node.name === 's' && { space: true }) });
    }
  }
  return out;
}

// Placeholders of message catalogues, kept verbatim: printf (%s %d %5.2f %1$s %%), Python (%(name)s), braces
// ({name} {0} {{name}} ${name}), and tags (<b> </b> <br/>), which a message may carry for its markup.
export const PLACEHOLDER =
  /%(?:\(\w+\)|\d+\$)?[-+0#]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t|q)?[diouxXeEfFgGaAcspnrb@%]|\{\{[^{}]*\}\}|\$?\{[^{}]*\}|<\/?[A-Za-z][^<>]*>/g;

/** A message's text with its placeholders (or the given pattern's matches) as points; `kept` collects what they were. */
export function withPlaceholders(text: string, kept: string[], pattern: RegExp = PLACEHOLDER): Inline[] {
  const items: Inline[] = [];
  let at = 0;
  for (const m of text.matchAll(new RegExp(pattern.source, 'g'))) {
    if (m.index > at) items.push(text.slice(at, m.index));
    items.push({ point: kept.push(m[0]) - 1 });
    at = m.index + m[0].length;
  }
  if (at < text.length) items.push(text.slice(at));
  return items;
}

/** Inline content back to text: text as `escape` writes it, points as `kept` has them (wraps are a format's own). */
export function joinInline(items: Inline[], kept: string[], escape: (text: string) => string = (t) => t): string {
  return items
    .map((item) =>
      typeof item === 'string'
        ? escape(item)
        : 'wrap' in item
          ? joinInline(item.children, kept, escape)
          : kept[item.point]!,
    )
    .join('');
}

/**
 * A short message of a catalogue (.po, .json, a subtitle cue's text) as segments: one a line, its leading and
 * trailing whitespace and its line breaks kept, placeholders kept verbatim; `write` puts it back together. A line
 * without letters outside its placeholders is kept as it is.
 */
export function readMessage(
  text: string,
  pattern?: RegExp,
): { segments: Segment[]; write(translations: string[]): string } {
  const kept: string[] = [];
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines = parts.map((part, i) => {
    if (i % 2 === 1) return { part };
    const [, lead = '', body = '', trail = ''] = part.match(/^(\s*)([^]*?)(\s*)$/) ?? [];
    const items = withPlaceholders(body, kept, pattern);
    return inlineHasLetters(items) ? { part, lead, trail, segment: inlineSegment(items) } : { part };
  });
  const segments = lines.flatMap((line) => line.segment ?? []);
  return {
    segments,
    write(translations) {
      let next = 0;
      return lines
        .map((line) =>
          line.segment
            ? line.lead + joinInline(readInline(line.segment, translations[next++]!), kept) + line.trail
            : line.part,
        )
        .join('');
    },
  };
}
