// Markup -> tree of offsets into the source, for ../markup.ts. Pure. htmlparser2's Tokenizer finds the tokens; the
// tree is built here, so what is accepted is written here rather than inherited from a forgiving parser:
// - Every byte of the input belongs to a token: an unterminated tag, comment or CDATA section at the end of the
//   input, or html's `</>` (which the tokenizer drops), is an error rather than text that silently disappears.
// - xml: every element ends with its own end tag or `/>`; attribute values are quoted and names not repeated; a `<`
//   or `&` in text that starts no tag or known entity (&amp; &lt; &gt; &quot; &apos; &#..;) is an error, and so is
//   a DOCTYPE with an internal subset (`<!DOCTYPE x [...]>`, which the tokenizer would end at its first `>`).
// - html: names are case-insensitive (kept lower-cased); void elements (br, img, ...) have no end tag, and `/>` ends
//   only a void element or one inside <svg>/<math> (browsers ignore it elsewhere, so `<span/>` is an error, not a
//   guess). An end tag may be left out only where HTML allows it (p, li, td, ...: CLOSED_BY): it is implied when a
//   sibling that closes it opens (`<li>a<li>b`), when its parent ends or when the input ends. Any other
//   stray, mismatched or missing end tag is an error, since copying it would give ill-formed output.
// - Both: at most MAX_MARKUP_DEPTH elements open at once and MAX_MARKUP_TAGS tags in all.
import { QuoteType, Tokenizer } from 'htmlparser2';

/** Most elements open at once: deeper input is an error (and the recursion of the later passes stays bounded). */
export const MAX_MARKUP_DEPTH = 100;
/** Most tags (start tags, comments, doctypes, CDATA, processing instructions) in one input. */
export const MAX_MARKUP_TAGS = 20_000;

/** Malformed or oversized markup; the message names what and where (line:column, 1-based), `offset` is the index. */
export class MarkupError extends Error {
  constructor(
    what: string,
    source: string,
    readonly offset: number,
  ) {
    super(`${what} at ${lineColumn(source, offset)}`);
    this.name = 'MarkupError';
  }
}

function lineColumn(source: string, offset: number): string {
  const lines = source.slice(0, offset).split('\n');
  return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}

export interface TextNode {
  kind: 'text';
  start: number; // source[start, end): the raw text, entities as written
  end: number;
  value: string; // entities decoded
}

/** A comment, doctype, CDATA section or processing instruction: never translated, copied as written. */
export interface OtherNode {
  kind: 'other';
  start: number;
  end: number;
}

export interface ElementNode {
  kind: 'element';
  name: string; // lower-cased in html
  start: number; // start tag: source[start, openEnd)
  openEnd: number;
  closeStart: number; // end tag: source[closeStart, end), empty for a void element and an implied end
  end: number;
  isVoid: boolean; // a void element or `/>`: no content, no end tag
  impliedEnd: boolean; // html end tag left out
  attributes: Map<string, string>; // values decoded; the first of repeated names (html)
  children: MarkupNode[];
}

export type MarkupNode = TextNode | OtherNode | ElementNode;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const P_CLOSERS = [
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'dialog',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
];
/** html elements whose end tag may be left out, each with the start tags that then close it (HTML's "optional tags"). */
const CLOSED_BY = new Map<string, Set<string>>(
  Object.entries({
    p: P_CLOSERS,
    li: ['li'],
    dt: ['dt', 'dd'],
    dd: ['dt', 'dd'],
    option: ['option', 'optgroup', 'hr'],
    optgroup: ['optgroup', 'hr'],
    tr: ['tr', 'tbody', 'thead', 'tfoot'],
    td: ['td', 'th', 'tr', 'tbody', 'thead', 'tfoot'],
    th: ['td', 'th', 'tr', 'tbody', 'thead', 'tfoot'],
    thead: ['tbody', 'tfoot'],
    tbody: ['tbody', 'tfoot'],
    tfoot: [],
    colgroup: [],
    caption: [],
    rt: ['rt', 'rp'],
    rp: ['rt', 'rp'],
    head: ['body'],
    body: [],
    html: [],
  }).map(([name, closers]) => [name, new Set(closers)]),
);

/** The tree of `source` (top-level nodes); throws MarkupError. `maxTags`: files (../../files) read larger documents. */
export function parseMarkup(source: string, xml: boolean, maxTags: number = MAX_MARKUP_TAGS): MarkupNode[] {
  const root: MarkupNode[] = [];
  const stack: ElementNode[] = [];
  let cursor = 0; // end of the last token: the next one must start here
  let tags = 0;
  let open: ElementNode | undefined; // start tag being read
  let attribute = { name: '', value: '' };
  const fail = (what: string, at = cursor): never => {
    throw new MarkupError(what, source, at);
  };
  const describe = (el: ElementNode) => `<${el.name}> (opened at ${lineColumn(source, el.start)})`;
  const siblings = () => (stack.length ? stack[stack.length - 1].children : root);
  const startToken = (start: number) => {
    if (start !== cursor)
      fail(`unparsable markup ${JSON.stringify(source.slice(cursor, Math.min(start, cursor + 20)))}`);
  };
  const add = (node: MarkupNode) => {
    const list = siblings(),
      last = list[list.length - 1];
    if (node.kind === 'text' && last?.kind === 'text' && last.end === node.start)
      Object.assign(last, { end: node.end, value: last.value + node.value });
    else list.push(node);
    cursor = node.kind === 'element' ? node.openEnd : node.end;
  };
  const other = (end: number) => {
    if (++tags > maxTags) fail(`more than ${maxTags} tags`);
    if (end > source.length) fail(`unterminated ${JSON.stringify(source.slice(cursor, cursor + 9))}`); // the tokenizer ends it at the input's end
    add({ kind: 'other', start: cursor, end });
  };
  const close = (el: ElementNode, closeStart: number, end: number) => {
    Object.assign(el, { closeStart, end, impliedEnd: closeStart === end });
    stack.pop();
  };
  const closeImplied = (at: number, upTo: number) => {
    while (stack.length > upTo) close(stack[stack.length - 1], at, at);
  };
  const foreign = () => !xml && stack.some((el) => el.name === 'svg' || el.name === 'math');
  const name = (start: number, end: number) =>
    xml ? source.slice(start, end) : source.slice(start, end).toLowerCase();

  const startTag = (start: number, end: number) => {
    startToken(start - 1);
    if (++tags > maxTags) fail(`more than ${maxTags} tags`);
    const el: ElementNode = {
      kind: 'element',
      name: name(start, end),
      start: start - 1,
      openEnd: 0,
      closeStart: 0,
      end: 0,
      isVoid: false,
      impliedEnd: false,
      attributes: new Map(),
      children: [],
    };
    if (!xml) {
      // `<li>` ends an open <li>, with any optional-end elements inside it (`<li><p>a<li>`)
      let top = stack.length;
      while (top > 0 && CLOSED_BY.has(stack[top - 1].name)) top--;
      const closed = stack.findIndex((o, i) => i >= top && CLOSED_BY.get(o.name)!.has(el.name));
      if (closed >= 0) closeImplied(el.start, closed);
    }
    open = el;
  };
  const endStartTag = (endIndex: number, selfClosing: boolean) => {
    const el = open!;
    open = undefined;
    el.openEnd = endIndex + 1;
    el.isVoid = xml ? selfClosing : VOID.has(el.name) || (selfClosing && foreign());
    if (selfClosing && !el.isVoid) fail(`<${el.name}/>: html ignores '/>' on a non-void element`, el.start);
    if (!el.isVoid && stack.length >= MAX_MARKUP_DEPTH)
      fail(`elements nested deeper than ${MAX_MARKUP_DEPTH}`, el.start);
    add(el);
    if (el.isVoid) Object.assign(el, { closeStart: el.openEnd, end: el.openEnd });
    else stack.push(el);
  };
  const endTag = (start: number, end: number) => {
    const tagStart = start - 2,
      tagName = name(start, end),
      gt = source.indexOf('>', end);
    startToken(tagStart);
    if (gt < 0) fail(`unterminated </${tagName}`);
    let at = stack.length - 1;
    while (at >= 0 && stack[at].name !== tagName) at--;
    if (at < 0) fail(`stray </${tagName}>`);
    const unclosed = stack.slice(at + 1).find((el) => xml || !CLOSED_BY.has(el.name));
    if (unclosed) fail(`unclosed ${describe(unclosed)} before </${tagName}>`);
    closeImplied(tagStart, at + 1);
    close(stack[at], tagStart, gt + 1);
    cursor = gt + 1;
  };
  const text = (start: number, end: number) => {
    startToken(start);
    const raw = source.slice(start, end);
    if (xml && /[<&]/.test(raw))
      fail(`'${raw.match(/[<&]/)![0]}' that starts no tag or known entity`, start + raw.search(/[<&]/));
    add({ kind: 'text', start, end, value: raw });
  };

  const tokenizer = new Tokenizer(
    { xmlMode: xml, decodeEntities: true },
    {
      ontext: text,
      ontextentity: (codePoint, end) =>
        add({ kind: 'text', start: cursor, end, value: String.fromCodePoint(codePoint) }),
      onopentagname: startTag,
      onattribname: (start, end) => {
        attribute = { name: xml ? source.slice(start, end) : source.slice(start, end).toLowerCase(), value: '' };
      },
      onattribdata: (start, end) => {
        attribute.value += source.slice(start, end);
      },
      onattribentity: (codePoint) => {
        attribute.value += String.fromCodePoint(codePoint);
      },
      onattribend: (quote) => {
        const el = open!;
        if (xml && (quote === QuoteType.NoValue || quote === QuoteType.Unquoted))
          fail(`attribute ${attribute.name} of <${el.name}> is not quoted`, el.start);
        if (el.attributes.has(attribute.name)) {
          if (xml) fail(`attribute ${attribute.name} repeated in <${el.name}>`, el.start);
        } else el.attributes.set(attribute.name, attribute.value);
      },
      onopentagend: (endIndex) => endStartTag(endIndex, false),
      onselfclosingtag: (endIndex) => endStartTag(endIndex, true),
      onclosetag: endTag,
      oncomment: (_start, endIndex) => other(endIndex + 1),
      oncdata: (_start, endIndex) => other(endIndex + 1),
      ondeclaration: (start, endIndex) => {
        if (xml && source.slice(start, endIndex).includes('[')) fail('DOCTYPE with an internal subset');
        other(endIndex + 1);
      },
      onprocessinginstruction: (_start, endIndex) => other(endIndex + 2), // endIndex is the '?' of '?>'
      onend: () => {},
      isInForeignContext: foreign,
    },
  );
  tokenizer.write(source);
  tokenizer.end();
  if (cursor !== source.length) fail('unterminated markup');
  const unclosed = stack.find((el) => xml || !CLOSED_BY.has(el.name));
  if (unclosed) fail(`unclosed ${describe(unclosed)}`, source.length);
  closeImplied(source.length, 0);
  return root;
}
