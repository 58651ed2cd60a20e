// Where a block's inline markup goes in its translation, and the block written out (the rules are in ../markup.ts).
// Pure. Top down: each element's projection is clamped into its parent's final range, then its siblings are made
// disjoint, then its own children are placed inside it, so whatever the projection returns the nesting is the
// source's and every tag is written once.
import type { Span } from '../sentences.js';
import { isWhitespace, type Block, type ElementItem, type Item, type PointItem } from './blocks.js';

/** A block's translation, and where each range of the block's text went in it (../../document/projection.ts makes one
 *  from the attention alignment). */
export interface Projection {
  text: string; // the translation of the block's plain text
  /** The target [start, end) that the source range [start, end) of the block's text corresponds to (start === end:
   *  a point between characters, for void tags or removed inline content). Out-of-range answers are clamped. */
  project(start: number, end: number): Span;
  words?: Span[]; // the translation's words in order: a tag's edges snap to theirs, so no tag splits a word (without:
  // the WORD pattern below)
}

interface Placed {
  item: Item;
  order: number; // index among its source siblings: ties keep source order
  start: number; // a point has start === end
  end: number;
  children: Placed[];
}

// A word to widen an empty range to: one Han or hiragana character, a katakana run, a run of other letters and
// digits, or one other visible character.
const WORD =
  /[\p{Script=Han}\p{Script=Hiragana}]|[\p{Script=Katakana}ー]+|[^\s\p{P}\p{S}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+|\S/gu;

/** `block` written with `translation.text` in place of its text: source[block.start, block.end) replaced. */
export function renderBlock(block: Block, translation: Projection, source: string, xml: boolean): string {
  const { text } = translation;
  const clamp = (x: number, lo: number, hi: number) =>
    Math.min(hi, Math.max(lo, Number.isFinite(x) ? Math.round(x) : lo));
  const skipped = new Uint8Array(text.length + 1); // 1: a target space replaced by a point that stands for a space
  const escape = (from: number, to: number) => {
    let s = '',
      at = from;
    for (let i = from; i < to; i++)
      if (skipped[i]) {
        s += text.slice(at, i);
        at = i + 1;
      }
    s += text.slice(at, to);
    const escaped = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return xml ? escaped : escaped.replace(/\u00A0/g, '&nbsp;');
  };

  const layout = (items: Item[], lo: number, hi: number): Placed[] => {
    const elements: Placed[] = [],
      points: Placed[] = [];
    items.forEach((item, order) => {
      if (item.kind === 'point') {
        const at = clamp(translation.project(item.at, item.at).start, lo, hi);
        if (item.isSpace && !item.run.before && !item.run.after) absorbSpace(at);
        points.push({ item, order, start: at, end: at, children: [] });
        return;
      }
      const r = snapToWords(translation.project(item.start, item.end), translation.words);
      const start = clamp(r.start, lo, hi);
      elements.push(nonEmpty({ item, order, start, end: clamp(r.end, start, hi), children: [] }, lo, hi));
    });
    elements.sort((a, b) => a.start - b.start || a.order - b.order);
    for (let i = 1; i < elements.length; i++) {
      // overlapping siblings: the earlier one is cut, or the later one moved
      const a = elements[i - 1],
        b = elements[i];
      if (b.start < a.end) {
        if (b.start > a.start) a.end = trimEnd(a.start, b.start);
        else b.start = a.end;
      }
      nonEmpty(b, b.start, hi);
    }
    for (const el of elements)
      el.children = el.item.kind === 'element' ? layout(el.item.children, el.start, el.end) : [];
    return [...elements, ...points].sort((a, b) => a.start - b.start || a.order - b.order);
  };
  const trimEnd = (start: number, end: number) => {
    while (end > start && isWhitespace(text[end - 1])) end--;
    return end;
  };
  /** Trims an element's spaces (at the edges where its source range has none: there a point child sits beyond
   *  them); an empty range is widened to the nearest word within [lo, hi), if there is one. */
  const nonEmpty = (p: Placed, lo: number, hi: number): Placed => {
    const { start, end } = p.item as ElementItem;
    p.end = Math.max(p.end, p.start);
    while (block.text[start] !== ' ' && p.start < p.end && isWhitespace(text[p.start])) p.start++;
    if (block.text[end - 1] !== ' ') p.end = trimEnd(p.start, p.end);
    if (p.start === p.end) Object.assign(p, nearestWord(text, p.start, lo, hi, translation.words) ?? {});
    return p;
  };
  const absorbSpace = (at: number) => {
    if (isWhitespace(text[at])) skipped[at] = 1;
    else if (isWhitespace(text[at - 1])) skipped[at - 1] = 1;
  };

  /** placed[] written over text[lo, hi), and whether a space is owed after it: a point at `hi` that gets a space
   *  after it has it after the end tags, where the source had it. */
  const render = (placed: Placed[], lo: number, hi: number): { out: string; owed: boolean } => {
    let out = '',
      cursor = lo,
      owed = false;
    const write = (s: string) => {
      if (owed && s) {
        out += ' ';
        owed = false;
      }
      out += s;
    };
    for (let i = 0; i < placed.length; i++) {
      const p = placed[i],
        at = Math.max(p.start, cursor);
      write(escape(cursor, at));
      cursor = at;
      if (p.item.kind === 'element') {
        const { node } = p.item,
          inner = render(p.children, p.start, p.end);
        write(source.slice(node.start, node.openEnd) + inner.out + source.slice(node.closeStart, node.end));
        [owed, cursor] = [inner.owed, p.end];
        continue;
      }
      const group: PointItem[] = [p.item]; // the points written together at `at`
      while (placed[i + 1]?.item.kind === 'point' && placed[i + 1].start <= at)
        group.push(placed[++i].item as PointItem);
      const { before, after } = spacing(group, at);
      write(
        (before ? ' ' : '') +
          group
            .map(
              (g, k) =>
                (k > 0 && group[k - 1].spaceAfter && g.spaceBefore ? ' ' : '') + source.slice(g.node.start, g.node.end),
            )
            .join(''),
      );
      if (after && at === hi) owed = true;
      else if (after) out += ' ';
    }
    write(escape(cursor, hi));
    return { out, owed };
  };
  /** Points spaced on both sides in the source get a space on the side where the translation has none, if it has
   *  one on the other (Japanese has none). An end of the text counts as a space if the points were at it already. */
  const spacing = (group: PointItem[], at: number) => {
    const first = group[0],
      last = group[group.length - 1];
    const left = at === 0 ? first.at === 0 : isWhitespace(text[at - 1]);
    const right = at === text.length ? last.at === block.text.length : isWhitespace(text[at]);
    return {
      before: first.spaceBefore && first.run.after && right && !left,
      after: last.spaceAfter && last.run.before && left && !right,
    };
  };

  return render(layout(block.items, 0, text.length), 0, text.length).out;
}

/** A range widened to the edges of the words it touches (a word it only touches at an edge is left out). */
function snapToWords(r: Span, words: Span[] | undefined): Span {
  if (!words || r.end <= r.start) return r;
  const inside = words.filter((w) => w.start < r.end && r.start < w.end);
  if (inside.length === 0) return r;
  return { start: Math.min(r.start, inside[0].start), end: Math.max(r.end, inside[inside.length - 1].end) };
}

/** The word of text[lo, hi) containing q, else the nearest one (on a tie the following one: `<=`). */
function nearestWord(text: string, q: number, lo: number, hi: number, words?: Span[]): Span | undefined {
  let best: Span | undefined,
    bestDistance = Infinity;
  const candidates = words
    ? words.filter((w) => w.start >= lo && w.end <= hi)
    : [...text.slice(lo, hi).matchAll(WORD)].map((m) => ({ start: lo + m.index, end: lo + m.index + m[0].length }));
  for (const { start, end } of candidates) {
    const distance = q < start ? start - q : q >= end ? q - end + 1 : 0;
    if (distance <= bestDistance) [best, bestDistance] = [{ start, end }, distance];
  }
  return best;
}
