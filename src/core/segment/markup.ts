// A document with markup (DeepL's tag_handling=html|xml, LibreTranslate's format=html) taken apart into blocks of
// plain text, and each block written back around its translation, without ever corrupting, dropping or moving a tag
// away from the words it wraps. The model translates plain text only; ../document/translate-markup.ts translates the
// blocks in between, each with a projection of source ranges onto its translation (from the attention alignment, as
// Bergamot carries tags over: browsermt/bergamot-translator#253, #266). Pure: no node:*, no DOM, no HTMLRewriter, so
// it runs in workerd, Node and the browser alike.
//
// Rules (the parsing rules and what is malformed are in ./markup/parse.ts):
// - Reading. xml must be well-formed (MarkupError otherwise). html is first read strictly (./markup/parse.ts), so its
//   tags are copied byte for byte; html that reading refuses (an unclosed <b>, a stray end tag, `<span/>`) is read
//   as a browser reads it (./markup/html5.ts, parse5) and translated in that well-formed spelling: only the limits of
//   ./markup/parse.ts (depth, tag count) make html an error.
// - Blocks. A splitting element's content is translated apart from its surroundings, and its tags, the whitespace
//   between blocks and everything outside blocks are copied byte for byte. Splitting: in html, HTML's block-level
//   elements (p, div, li, h1-h6, td, th, tr, table, ul, ol, section, article, header, footer, blockquote, title,
//   option, ..., see ./markup/blocks.ts) and <br>: a line break the author wrote (an address, a poem, "20 lines in,
//   20 lines out") ends a block, where DeepL keeps it inside the sentence; nonSplittingTags: ['br'] does that. In xml
//   with outlineDetection (the default, as DeepL's outline_detection), an element splits unless an ancestor (or
//   the document) has text of its own: `<doc><title>T</title><par>A <b>B</b></par></doc>` gives blocks "T" and
//   "A B". Without it, only splittingTags split. Both modes: splittingTags split, nonSplittingTags never do, and
//   an element that contains a splitting one splits too (its tags cannot move into a sentence).
// - Everything else is inline: a block is a run of text and inline elements. Its plain text, the text translated, has
//   the tags removed, entities decoded (&amp; -> &) and whitespace collapsed as a browser renders it: each run of
//   spaces, tabs and newlines is one space and there is none at the block's ends (LibreTranslate#288: newlines and
//   tabs inside a <p> must not break its sentence). The whitespace before and after the block's text is copied.
//   A block with no text but whitespace is not sent, just copied.
// - Inline elements go around the projection of the text they wrapped, with their tags as written (name, attributes,
//   quoting), so nested and adjacent inline tags never split a sentence (LibreTranslate#806). Projections are fixed
//   up so the output is well-formed and nested as the source: a child is clamped into its parent; siblings come in
//   the translation's order (a translation reorders phrases) and may not overlap (where two do, the earlier is cut
//   at the later's start, or the later moved after the earlier); an element whose words were translated never
//   comes out empty while there is room: an empty projection is widened to the nearest word. Tags hug words: the
//   spaces at the edges of a range are left outside it (unless a point inside the element sits beyond them). The
//   translation is escaped (& < >, and U+00A0 as &nbsp; in html) so the output stays well-formed.
// - Not translated, copied byte for byte: comments, doctypes, processing instructions, CDATA; ignoreTags elements;
//   in html also translate="no" and class="notranslate" elements (DeepL; a translate="yes" inside is not looked
//   at), and code, pre, kbd, samp, script, style, textarea, svg, math, iframe and ruby readings (rt, rp). Such an
//   element that splits is copied in place; an inline one, like a void element (<img>, <input>, `<x/>`), an
//   element without words (`<a id="x"></a>`) or a comment, is a point: it is left out of the plain text and
//   written whole at the projection of its offset. Points that had whitespace on both sides (a run of adjacent
//   points counts as one) get a space on the side where the translation has none, if it has one on the other, so
//   Japanese gets none. An inline <br> or a whitespace-only element with no whitespace beside it is a space in the
//   plain text ("a<br>b" is "a b"), and replaces that space in the translation.
//
// This module is markup's entry point: what is outside ./markup/ reaches the reader, the blocks and the placing here.
import { blocksOf, type Block, type Settings } from './markup/blocks.js';
import { asBrowserReads } from './markup/html5.js';
import { MarkupError, parseMarkup, type MarkupNode } from './markup/parse.js';

export {
  MarkupError,
  MAX_MARKUP_DEPTH,
  MAX_MARKUP_TAGS,
  parseMarkup,
  type ElementNode,
  type MarkupNode,
} from './markup/parse.js';
export { renderBlock, type Projection } from './markup/place.js';
export type { Block } from './markup/blocks.js';

export interface MarkupOptions {
  mode: 'html' | 'xml';
  ignoreTags?: string[]; // elements whose content is not translated
  splittingTags?: string[]; // elements that always split blocks
  nonSplittingTags?: string[]; // elements that never split blocks (unless they contain one that does)
  outlineDetection?: boolean; // xml only: find the splitting elements automatically (default true)
}

/** The blocks of `source` to translate, in order, and the text they index (the browser's reading of html that the
 *  strict reading refuses); throws MarkupError on malformed input. */
export function markupBlocks(source: string, options: MarkupOptions): { text: string; blocks: Block[] } {
  const xml = options.mode === 'xml';
  const names = (list: string[] = []) => new Set(list.map((name) => (xml ? name : name.toLowerCase())));
  const settings: Settings = {
    xml,
    ignore: names(options.ignoreTags),
    splitting: names(options.splittingTags),
    nonSplitting: names(options.nonSplittingTags),
    outline: options.outlineDetection ?? true,
  };
  const { text, result: blocks } = leniently(source, xml, (text) => blocksOf(parseMarkup(text, xml), text, settings));
  return { text, blocks };
}

/** The tree of `source` as markupBlocks reads it (html that the strict reading refuses, as a browser does). */
export function readMarkup(source: string, mode: 'html' | 'xml'): MarkupNode[] {
  return leniently(source, mode === 'xml', (text) => parseMarkup(text, mode === 'xml')).result;
}

/** The Unicode code points of `source`'s text: with a markup mode, of its text only, not of its tags or comments (as DeepL bills). */
export function characterCount(source: string, mode?: 'html' | 'xml'): number {
  const codePoints = (s: string) => [...s].length;
  const textOf = (nodes: MarkupNode[]): number =>
    nodes.reduce(
      (sum, node) =>
        sum + (node.kind === 'text' ? codePoints(node.value) : node.kind === 'element' ? textOf(node.children) : 0),
      0,
    );
  return mode ? textOf(readMarkup(source, mode)) : codePoints(source);
}

/** `read(source)`, or for html that it refuses, `read` of the browser's reading of it (and that text). */
function leniently<T>(source: string, xml: boolean, read: (text: string) => T): { text: string; result: T } {
  try {
    return { text: source, result: read(source) };
  } catch (err) {
    if (xml || !(err instanceof MarkupError)) throw err;
    const text = asBrowserReads(source);
    return { text, result: read(text) };
  }
}
