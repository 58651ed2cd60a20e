// HTML as browsers read it, for markup the strict reading of ./parse.ts refuses: parse5 builds the tree by the HTML
// Standard's tree-construction rules (implied end tags, formatting elements reopened across blocks, stray end tags
// dropped) and writes it back well-formed, which ./parse.ts then reads. Pure (parse5 is plain JS): workerd, Node and
// the browser alike.
//
// - `<p>I like <b>green tea.<p>Where is <i>the station?` reads as
//   `<p>I like <b>green tea.</b></p><p><b>Where is <i>the station?</i></b></p>`, as every browser shows it.
// - A whole document (it opens with a doctype, <html>, <head> or <body>, after comments) is parsed as one, so
//   <html>, <head> and <body> are there in the output even where the source left them out; anything else is
//   parsed as a fragment of <body>.
// - What parse5 writes differs from the source where the source was not well-formed, and in spelling: attributes
//   in double quotes, `&amp; &lt; &gt; &nbsp;` escaped. Well-formed markup never comes here: ../markup.ts copies its
//   tags byte for byte.
import { parse, parseFragment, serialize } from 'parse5';

const DOCUMENT = /^\s*(?:<!--[^]*?-->\s*)*<(?:!doctype|html|head|body)[\s>/]/i;

/** `source` as a browser builds its tree, written back as well-formed HTML. */
export function asBrowserReads(source: string): string {
  return DOCUMENT.test(source) ? serialize(parse(source)) : serialize(parseFragment(source));
}
