// Blocks: the parts of a markup tree translated as one plain text each, that text, and where the inline markup sits
// in it (the rules are in ../markup.ts). Pure.
//
// The plain text is first built with two marks the model never sees: POINT where a point item (void element,
// comment, untranslated element) sits, so that "is there whitespace on each side of it" can be read off the text,
// and SPACE for the word break an inline <br> or a whitespace-only element stands for (left out where its run of
// points has whitespace beside it already). Collapsing then turns each run of whitespace (SPACE included, POINTs
// transparent) into one space, drops it at the block's ends, and maps every offset onto the collapsed text.
import { MarkupError, type ElementNode, type MarkupNode, type TextNode } from './parse.js';

export interface Settings {
  xml: boolean;
  ignore: Set<string>; // ignoreTags
  splitting: Set<string>; // splittingTags
  nonSplitting: Set<string>; // nonSplittingTags
  outline: boolean; // xml outline detection
}

/** An inline element: the block text [start, end) it wraps. */
export interface ElementItem {
  kind: 'element';
  node: ElementNode;
  start: number;
  end: number;
  children: Item[];
}

/** Markup copied whole at one offset of the block text. */
export interface PointItem {
  kind: 'point';
  node: MarkupNode;
  at: number;
  spaceBefore: boolean; // whitespace (or the block's edge) just before it in the source, not another point
  spaceAfter: boolean;
  run: { before: boolean; after: boolean }; // the same for the run of adjacent points it is in (maybe across tags)
  isSpace: boolean; // it stands for a word break (inline <br>, whitespace-only element): SPACE, unless its run has whitespace
}

export type Item = ElementItem | PointItem;

/** source[start, end) is replaced by the translation of `text` with `items` re-inserted. */
export interface Block {
  start: number;
  end: number;
  text: string;
  items: Item[];
}

// Blocks in html: HTML's block-level elements, plus br (a line break ends a block, see ../markup.ts).
const HTML_BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'caption',
  'center',
  'col',
  'colgroup',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'frameset',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'head',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'noscript',
  'ol',
  'optgroup',
  'option',
  'p',
  'pre',
  'section',
  'select',
  'summary',
  'table',
  'tbody',
  'td',
  'template',
  'tfoot',
  'th',
  'thead',
  'title',
  'tr',
  'ul',
]);
// Never translated in html: code, program text, raw-text elements, foreign markup, ruby readings.
const HTML_VERBATIM = new Set([
  'script',
  'style',
  'code',
  'pre',
  'kbd',
  'samp',
  'textarea',
  'svg',
  'math',
  'iframe',
  'noembed',
  'noframes',
  'xmp',
  'plaintext',
  'rt',
  'rp',
]);

const POINT = '\uFFFF',
  SPACE = '\uFFFE'; // noncharacters: any in the source text are read as U+FFFD
/** HTML's whitespace (space, tab, LF, FF, CR): what collapses in a block's text, and what a tag's edges stay outside of. */
export const isWhitespace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
const hasWords = (nodes: MarkupNode[]) => nodes.some((n) => n.kind === 'text' && /[^ \t\n\f\r]/.test(n.value));

/** The blocks of `tree` that have text to translate, in source order. */
export function blocksOf(tree: MarkupNode[], source: string, settings: Settings): Block[] {
  const { xml } = settings;
  const verbatim = (el: ElementNode) =>
    settings.ignore.has(el.name) ||
    (!xml &&
      (HTML_VERBATIM.has(el.name) ||
        el.attributes.get('translate')?.toLowerCase() === 'no' ||
        /(^|\s)notranslate(\s|$)/.test(el.attributes.get('class') ?? '')));
  const splits = (el: ElementNode, insideText: boolean) =>
    !settings.nonSplitting.has(el.name) &&
    (settings.splitting.has(el.name) || (xml ? settings.outline && !insideText : HTML_BLOCKS.has(el.name)));
  const structural = memo((el: ElementNode, insideText: boolean): boolean => {
    if (splits(el, insideText)) return true;
    const inside = insideText || hasWords(el.children);
    return !verbatim(el) && el.children.some((c) => c.kind === 'element' && structural(c, inside));
  });
  // 'words' if it has text to translate, 'space' if only whitespace or a <br>, else 'none'
  const content = memo((el: ElementNode): 'words' | 'space' | 'none' => {
    if (verbatim(el)) return 'none';
    if (hasWords(el.children)) return 'words';
    const inner = el.children.map((c) => (c.kind === 'element' ? content(c) : c.kind === 'text' ? 'space' : 'none'));
    return inner.includes('words') ? 'words' : inner.includes('space') || (!xml && el.name === 'br') ? 'space' : 'none';
  });

  const blocks: Block[] = [];
  const collect = (nodes: MarkupNode[], insideText: boolean) => {
    const inside = insideText || hasWords(nodes);
    let run: MarkupNode[] = [];
    for (const node of nodes) {
      if (node.kind !== 'element' || !structural(node, inside)) {
        run.push(node);
        continue;
      }
      addBlock(run);
      run = [];
      if (!verbatim(node)) collect(node.children, inside);
    }
    addBlock(run);
  };
  const addBlock = (nodes: MarkupNode[]) => {
    let pre = '';
    const points: PointItem[] = [];
    const walk = (nodes: MarkupNode[]): Item[] => {
      const items: Item[] = [];
      for (const node of nodes) {
        if (node.kind === 'text') pre += node.value.replace(/[\uFFFE\uFFFF]/g, '\uFFFD');
        else if (node.kind === 'element' && content(node) === 'words') {
          if (node.impliedEnd) throw new MarkupError(`inline <${node.name}> without its end tag`, source, node.start);
          const start = pre.length,
            children = walk(node.children);
          items.push({ kind: 'element', node, start, end: pre.length, children });
        } else {
          const point: PointItem = {
            kind: 'point',
            node,
            at: pre.length,
            spaceBefore: false,
            spaceAfter: false,
            run: { before: false, after: false },
            isSpace: node.kind === 'element' && content(node) === 'space',
          };
          pre += point.isSpace ? POINT + SPACE : POINT;
          points.push(point);
          items.push(point);
        }
      }
      return items;
    };
    const items = walk(nodes);
    const { text, map } = collapse(pre, spacePoints(points, pre));
    if (!text) return;
    remap(items, map, text);
    const first = nodes[0],
      last = nodes[nodes.length - 1];
    const lead = first.kind === 'text' ? rawSpace(source, first, 1) : 0;
    const trail = last.kind === 'text' ? rawSpace(source, last, -1) : 0;
    blocks.push({ start: first.start + lead, end: last.end - trail, text, items });
  };
  collect(tree, false);
  return blocks;
}

/** Sets the points' spaceBefore/After and run from `pre`; returns the offsets of the SPACEs to leave out: those of
 *  runs that have whitespace beside them already. */
function spacePoints(points: PointItem[], pre: string): Set<number> {
  const silent = new Set<number>();
  const next = (p: PointItem) => p.at + (p.isSpace ? 2 : 1);
  for (const point of points) {
    point.spaceBefore = point.at === 0 || isWhitespace(pre[point.at - 1]);
    point.spaceAfter = next(point) === pre.length || isWhitespace(pre[next(point)]);
  }
  for (let i = 0, j = 0; i < points.length; i = ++j) {
    // points[i..j]: one run of adjacent points
    while (j + 1 < points.length && points[j + 1].at === next(points[j])) j++;
    const run = { before: points[i].spaceBefore, after: points[j].spaceAfter };
    for (let k = i; k <= j; k++) {
      points[k].run = run;
      if (points[k].isSpace && (run.before || run.after)) silent.add(points[k].at + 1);
    }
  }
  return silent;
}

function memo<A extends object, B extends unknown[], R>(f: (a: A, ...rest: B) => R): (a: A, ...rest: B) => R {
  const seen = new Map<A, R>(); // one answer per element: its insideText is its ancestors'
  return (a, ...rest) => {
    if (!seen.has(a)) seen.set(a, f(a, ...rest));
    return seen.get(a)!;
  };
}

/** Whitespace runs -> one space, none at the ends, POINTs and `silent` offsets left out; map[i] is the collapsed
 *  offset of pre offset i. */
function collapse(pre: string, silent: Set<number>): { text: string; map: Int32Array } {
  const map = new Int32Array(pre.length + 1);
  let text = '',
    afterSpace = true; // true at the start: leading whitespace is dropped
  for (const { index: i, 0: piece } of pre.matchAll(/[^ \t\n\f\r\uFFFE\uFFFF]+|[^]/g)) {
    // a run of plain characters, or one mark
    map[i] = text.length;
    if (piece.length > 1 || !/[ \t\n\f\r\uFFFE\uFFFF]/.test(piece)) {
      for (let k = 1; k < piece.length; k++) map[i + k] = text.length + k;
      text += piece;
      afterSpace = false;
    } else if (piece !== POINT && !silent.has(i)) {
      if (!afterSpace) text += ' ';
      afterSpace = true;
    }
  }
  map[pre.length] = text.length;
  if (text.endsWith(' ')) text = text.slice(0, -1);
  for (let i = 0; i < map.length; i++) map[i] = Math.min(map[i], text.length);
  return { text, map };
}

/** Items from pre offsets to text offsets. An element's range loses the spaces at its edges, but still covers its
 *  children (`<i><code>x</code> y</i>` keeps the space: a point at its start would otherwise fall out of it). */
function remap(items: Item[], map: Int32Array, text: string): void {
  for (const item of items) {
    if (item.kind === 'point') {
      item.at = map[item.at];
      continue;
    }
    remap(item.children, map, text);
    let start = map[item.start],
      end = map[item.end];
    while (text[start] === ' ' && start < end) start++;
    while (text[end - 1] === ' ' && end > start) end--;
    for (const child of item.children) {
      start = Math.min(start, child.kind === 'point' ? child.at : child.start);
      end = Math.max(end, child.kind === 'point' ? child.at : child.end);
    }
    Object.assign(item, { start, end });
  }
}

/** Length of the raw whitespace at the start (direction 1) or end (-1) of a text node, copied as written. */
function rawSpace(source: string, node: TextNode, direction: 1 | -1): number {
  let n = 0;
  while (n < node.end - node.start && isWhitespace(source[direction === 1 ? node.start + n : node.end - 1 - n])) n++;
  return n;
}
