// translateMarkup against fake translations whose projections are known exactly: identity, upper-casing, word
// reversal and hand-written alignments. Oracles independent of the module: expected texts written by hand, a
// document generator that writes each document's expected identity output alongside it, and a small regex tag
// scanner of this file's own that re-reads the output (well-formed? same elements, attributes and nesting? each
// element around the same words?).
import { describe, expect, it } from 'vitest';
import { translateMarkup, type TranslateBlocks } from '../../../src/core/document/translate-markup.js';
import {
  MAX_MARKUP_DEPTH,
  MAX_MARKUP_TAGS,
  MarkupError,
  type MarkupOptions,
  type Projection,
} from '../../../src/core/segment/markup.js';
import { seededRandom } from '../../../train/random.js';

type Span = { start: number; end: number };
const same = (start: number, end: number): Span => ({ start, end });

/** A fake model: each block's translation from `fn`, and the blocks it was sent, for inspection. */
function fake(fn: (text: string) => Projection) {
  const sent: string[] = [];
  const translate: TranslateBlocks = async (blocks) => {
    sent.push(...blocks);
    return blocks.map(fn);
  };
  return { sent, translate };
}
const identity = fake((text) => ({ text, project: same })).translate;
const upper = fake((text) => ({ text: text.toUpperCase(), project: same })).translate;

/** A hand-written alignment: `links` pairs a source substring with a target one (first occurrences); a range
 *  projects onto the union of the targets of the links it overlaps, a point onto the start of the link it is in or
 *  of the next link. */
function aligned(target: string, links: [string, string][]): (text: string) => Projection {
  return (text) => {
    const spans = links.map(([s, t]) => ({ src: span(text, s), tgt: span(target, t) }));
    return {
      text: target,
      project(start, end) {
        const hit = spans.filter(({ src }) =>
          start === end ? src.start <= start && start < src.end : src.start < end && start < src.end,
        );
        if (hit.length === 0) {
          const next = spans.find(({ src }) => src.start >= start);
          return next ? same(next.tgt.start, next.tgt.start) : same(target.length, target.length);
        }
        if (start === end) return same(hit[0].tgt.start, hit[0].tgt.start);
        return same(Math.min(...hit.map((h) => h.tgt.start)), Math.max(...hit.map((h) => h.tgt.end)));
      },
    };
  };
}
function span(text: string, part: string): Span {
  const start = text.indexOf(part);
  if (start < 0) throw new Error(`${part} not in ${text}`);
  return { start, end: start + part.length };
}

/** Words reversed ("a b c" -> "c b a"); word i projects onto word n-1-i, a point between words onto the same gap. */
function reversed(text: string): Projection {
  const words = (s: string) => [...s.matchAll(/[^ ]+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length })); // the text is collapsed
  const source = words(text),
    n = source.length;
  const target = source
    .map((w) => text.slice(w.start, w.end))
    .reverse()
    .join(' ');
  const out = words(target);
  const point = (q: number) => {
    const inside = source.findIndex((w) => w.start < q && q < w.end);
    if (inside >= 0) return out[n - 1 - inside].start + q - source[inside].start;
    const before = source.filter((w) => w.end <= q).length; // words before the point
    return before === 0 ? target.length : out[n - before].start;
  };
  return {
    text: target,
    project(start, end) {
      const hit = source.map((w, i) => ({ w, i })).filter(({ w }) => w.start < end && start < w.end);
      if (start === end || hit.length === 0) return same(point(start), point(start));
      const spans = hit.map(({ i }) => out[n - 1 - i]);
      return same(Math.min(...spans.map((s) => s.start)), Math.max(...spans.map((s) => s.end)));
    },
  };
}

const html = (source: string, translate: TranslateBlocks = identity, options: Partial<MarkupOptions> = {}) =>
  translateMarkup(source, { mode: 'html', ...options }, translate);
const xml = (source: string, translate: TranslateBlocks = identity, options: Partial<MarkupOptions> = {}) =>
  translateMarkup(source, { mode: 'xml', ...options }, translate);
const sentTo = async (run: (t: TranslateBlocks) => Promise<string>) => {
  const f = fake((text) => ({ text, project: same }));
  await run(f.translate);
  return f.sent;
};

describe('blocks', () => {
  it('sends a paragraph with newlines and tabs as one sentence and keeps the layout around it (LibreTranslate#288)', async () => {
    const source =
      '<html lang="de">\n\t<body>\n\t<p>\n\t\tWenn eine Zeile kein Verb\n\t\tenthält, muss die Übersetzung\n\t\tfalsch sein.\n\t</p>\n\t</body>\n</html>';
    expect(await sentTo((t) => html(source, t))).toEqual([
      'Wenn eine Zeile kein Verb enthält, muss die Übersetzung falsch sein.',
    ]);
    expect(await html(source, upper)).toBe(
      '<html lang="de">\n\t<body>\n\t<p>\n\t\tWENN EINE ZEILE KEIN VERB ENTHÄLT, MUSS DIE ÜBERSETZUNG FALSCH SEIN.\n\t</p>\n\t</body>\n</html>',
    );
  });

  it('keeps nested inline tags inside one sentence (LibreTranslate#806)', async () => {
    const source =
      '<a href="#" target="_blank"> <em> <span style="color: #ff0000;"> View the complete range of </span> </em> <em> <span style="x"> drawer systems here! </span> </em> </a>';
    expect(await sentTo((t) => html(source, t))).toEqual(['View the complete range of drawer systems here!']);
    expect(await html(source, upper)).toBe(
      '<a href="#" target="_blank"><em><span style="color: #ff0000;">VIEW THE COMPLETE RANGE OF</span></em> <em><span style="x">DRAWER SYSTEMS HERE!</span></em></a>',
    );
  });

  it('splits on html block elements, not on inline ones, and copies whatever lies between blocks', async () => {
    const source = '<div>Intro <b>text</b><p>Para</p>tail</div>\n<ul>\n  <li>one</li>\n  <li>two <i>2</i></li>\n</ul>';
    expect(await sentTo((t) => html(source, t))).toEqual(['Intro text', 'Para', 'tail', 'one', 'two 2']);
    expect(await html(source, upper)).toBe(
      '<div>INTRO <b>TEXT</b><p>PARA</p>TAIL</div>\n<ul>\n  <li>ONE</li>\n  <li>TWO <i>2</i></li>\n</ul>',
    );
  });

  it('ends a block at <br> unless br is a non-splitting tag, where it is a word break inside the sentence', async () => {
    expect(await sentTo((t) => html('<p>Taro Yamada<br>1-2 Chiyoda<br/>Tokyo</p>', t))).toEqual([
      'Taro Yamada',
      '1-2 Chiyoda',
      'Tokyo',
    ]);
    const inline = { nonSplittingTags: ['br'] };
    expect(await sentTo((t) => html('<p>roses are red,<br>violets blue</p>', t, inline))).toEqual([
      'roses are red, violets blue',
    ]);
    expect(await html('<p>roses are red,<br>violets blue</p>', upper, inline)).toBe(
      '<p>ROSES ARE RED,<br>VIOLETS BLUE</p>',
    );
    expect(await html('<p>roses are red, <br> violets blue</p>', upper, inline)).toBe(
      '<p>ROSES ARE RED, <br> VIOLETS BLUE</p>',
    );
  });

  it('splits xml by outline detection: elements with text of their own are blocks, the ones inside them inline', async () => {
    const source =
      "<document>\n  <meta>\n    <title>A document's title</title>\n  </meta>\n  <content>\n    <par>This is the <b>first</b> sentence.</par>\n    <par>This is the third sentence.</par>\n  </content>\n</document>";
    expect(await sentTo((t) => xml(source, t))).toEqual([
      "A document's title",
      'This is the first sentence.',
      'This is the third sentence.',
    ]);
    expect(await sentTo((t) => xml('Press <i>Continue</i> to advance.', t))).toEqual(['Press Continue to advance.']);
    expect(await sentTo((t) => xml('<item><name>Tea</name> costs <price>5</price></item>', t))).toEqual([
      'Tea costs 5',
    ]);
  });

  it('joins xml blocks with non_splitting_tags and splits only on splitting_tags without outline detection', async () => {
    const source = '<p>\n<par>The firm said it had been</par>\n<par>conducting an internal investigation.</par>\n</p>';
    expect(await sentTo((t) => xml(source, t))).toEqual([
      'The firm said it had been',
      'conducting an internal investigation.',
    ]);
    expect(await sentTo((t) => xml(source, t, { nonSplittingTags: ['par'] }))).toEqual([
      'The firm said it had been conducting an internal investigation.',
    ]);
    const doc = '<doc><title>T</title><par>A <b>B</b></par></doc>';
    expect(await sentTo((t) => xml(doc, t, { outlineDetection: false }))).toEqual(['TA B']);
    expect(await sentTo((t) => xml(doc, t, { outlineDetection: false, splittingTags: ['title', 'par'] }))).toEqual([
      'T',
      'A B',
    ]);
  });

  it('splits on an inline element that contains a block, since its tags cannot move into a sentence', async () => {
    expect(await sentTo((t) => html('<a href="/x">Read <div>the news</div> today</a>', t))).toEqual([
      'Read',
      'the news',
      'today',
    ]);
    expect(await sentTo((t) => html('<p>one <span>two<br>three</span></p>', t))).toEqual(['one', 'two', 'three']);
  });

  it('sends no block that is only whitespace, comments or void elements, and leaves such input untouched', async () => {
    const source =
      '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><link rel=stylesheet href=a.css></head>\n<body>\n  <p> </p>\n  <p><img src="a.png"> <!-- c --></p>\n</body>\n</html>\n';
    const f = fake((text) => ({ text, project: same }));
    expect(await html(source, f.translate)).toBe(source);
    expect(f.sent).toEqual([]);
  });

  it('rejects a translate function that answers with the wrong number of blocks', async () => {
    await expect(html('<p>a</p><p>b</p>', async () => [])).rejects.toThrow('translate returned 0 results for 2 blocks');
  });
});

describe('untranslated content', () => {
  it('copies translate="no", class="notranslate" and ignoreTags content byte for byte, blocks and inline alike', async () => {
    const source =
      '<h1>My First Heading</h1>\n<p translate="no">My first <b>paragraph</b>.</p>\n<p>Call <span translate=no>Ｔａｒｏ  &amp; Co</span> at <em class="x notranslate">ten</em>.</p>';
    expect(await sentTo((t) => html(source, t))).toEqual(['My First Heading', 'Call at .']);
    expect(await html(source, upper)).toBe(
      '<h1>MY FIRST HEADING</h1>\n<p translate="no">My first <b>paragraph</b>.</p>\n<p>CALL <span translate=no>Ｔａｒｏ  &amp; Co</span> AT <em class="x notranslate">ten</em>.</p>',
    );
    expect(await xml('Please open the page <x>Settings</x> to configure.', upper, { ignoreTags: ['x'] })).toBe(
      'PLEASE OPEN THE PAGE <x>Settings</x> TO CONFIGURE.',
    );
  });

  it('never translates code, pre, script, style, comments, CDATA or processing instructions', async () => {
    const source =
      '<p>Run <code>npm  test</code> now<!-- not this --></p><pre>  keep\n  this  </pre><script>if (a < b && c) x()</script><style>p > b {}</style>';
    expect(await sentTo((t) => html(source, t))).toEqual(['Run now']);
    expect(await html(source, upper)).toBe(
      '<p>RUN <code>npm  test</code> NOW<!-- not this --></p><pre>  keep\n  this  </pre><script>if (a < b && c) x()</script><style>p > b {}</style>',
    );
    expect(await xml('<?xml version="1.0"?><t>Some <![CDATA[raw <data>]]> text</t>', upper)).toBe(
      '<?xml version="1.0"?><t>SOME <![CDATA[raw <data>]]> TEXT</t>',
    );
  });

  it('copies inline svg, where `/>` closes elements, as one point', async () => {
    const source = '<p>Icon <svg viewBox="0 0 1 1"><path d="M0"/><title>t</title></svg> here</p>';
    expect(await html(source, upper)).toBe(
      '<p>ICON <svg viewBox="0 0 1 1"><path d="M0"/><title>t</title></svg> HERE</p>',
    );
  });

  it('keeps ruby readings out of the sentence and inside their ruby element', async () => {
    const source = '<p><ruby>漢字<rt>かんじ</rt></ruby>を読む</p>';
    expect(await sentTo((t) => html(source, t))).toEqual(['漢字を読む']);
    expect(await html(source, identity)).toBe(source);
  });
});

describe('entities and attributes', () => {
  it('decodes entities for the model and escapes the translation so the output stays well-formed', async () => {
    expect(await sentTo((t) => html('<p>Tom &amp; Jerry &lt;3 &quot;cats&quot;&nbsp;&eacute;</p>', t))).toEqual([
      'Tom & Jerry <3 "cats"\u00A0é',
    ]);
    expect(await html('<p>Tom &amp; Jerry &lt;3 &quot;cats&quot;&nbsp;&eacute;</p>')).toBe(
      '<p>Tom &amp; Jerry &lt;3 "cats"&nbsp;é</p>',
    );
    expect(await xml('<p>a &amp; b</p>', fake(() => ({ text: 'x < y & z > w\u00A0', project: same })).translate)).toBe(
      '<p>x &lt; y &amp; z &gt; w\u00A0</p>',
    );
    expect(await sentTo((t) => xml('<t>it&apos;s &#x41;&#66; &quot;q&quot;</t>', t))).toEqual(['it\'s AB "q"']);
    expect(await html('<head><title>Tom &amp; Jerry</title></head>', upper)).toBe(
      '<head><title>TOM &amp; JERRY</title></head>',
    );
  });

  it('writes every tag as the source wrote it: case, attribute order, quoting, entities, spacing', async () => {
    const source = '<P Class = "a  b" title=\'say "hi" &amp; <bye>\' data-n=3 hidden>one <SPAN  id=x>two</SPAN >.</P>';
    expect(await html(source, upper)).toBe(
      '<P Class = "a  b" title=\'say "hi" &amp; <bye>\' data-n=3 hidden>ONE <SPAN  id=x>TWO</SPAN >.</P>',
    );
  });
});

describe('projection onto the translation', () => {
  it('moves a tag with its words when the translation reorders them', async () => {
    const ja = aligned('続行を押して次へ進みます。', [
      ['Press', 'を押して'],
      ['Continue', '続行'],
      ['to advance', '次へ進みます'],
      ['.', '。'],
    ]);
    expect(await xml('Press <b>Continue</b> to advance.', fake(ja).translate)).toBe(
      '<b>続行</b>を押して次へ進みます。',
    );
    const de = aligned('Drücken Sie „Weiter“, um fortzufahren.', [
      ['Press', 'Drücken Sie'],
      ['Continue', '„Weiter“'],
      ['to advance', 'um fortzufahren'],
      ['.', '.'],
    ]);
    expect(await xml('Press <i>Continue</i> to advance.', fake(de).translate)).toBe(
      'Drücken Sie <i>„Weiter“</i>, um fortzufahren.',
    );
  });

  it('puts an untranslated element and a void element at the projected point, spaced as the target language is', async () => {
    const source = '<p>Send <span translate="no">Taro</span> the <img src="i.png"> file</p>';
    const ja = aligned('ファイルを送る', [
      ['Send', '送る'],
      ['the', 'を'],
      ['file', 'ファイル'],
    ]);
    expect(await html(source, fake(ja).translate)).toBe(
      '<p><img src="i.png">ファイル<span translate="no">Taro</span>を送る</p>',
    );
    const de = aligned('Schick die Datei', [
      ['Send', 'Schick'],
      ['the', 'die'],
      ['file', 'Datei'],
    ]);
    expect(await html(source, fake(de).translate)).toBe(
      '<p>Schick <span translate="no">Taro</span> die <img src="i.png"> Datei</p>',
    );
  });

  it('clamps a child projected outside its parent back into it, and keeps it non-empty', async () => {
    // "b" wraps "big red", its child "i" wraps "red"; the projection sends "red" out of the parent.
    const t = {
      text: 'un gros chien rouge',
      project: (s: number, e: number) =>
        s === 0 && e === 7 ? same(0, 8) : s === 4 && e === 7 ? same(14, 19) : same(s, e),
    };
    expect(await html('<p><b>big <i>red</i></b> dog</p>', fake(() => t).translate)).toBe(
      '<p><b>un <i>gros</i></b> chien rouge</p>',
    );
  });

  it('pushes overlapping siblings apart so neither swallows the other', async () => {
    // both siblings project onto overlapping ranges: the earlier is cut where the later starts
    const t = {
      text: 'aa bb cc',
      project: (s: number, e: number) => (s === 0 ? same(0, 5) : s === 4 ? same(3, 8) : same(s, e)),
    };
    expect(await html('<p><b>one</b> <i>two</i></p>', fake(() => t).translate)).toBe('<p><b>aa</b> <i>bb cc</i></p>');
    // the same range for both: the later one moves after the earlier, onto the next free word
    const u = { text: 'aa bb cc', project: () => same(0, 2) };
    expect(await html('<p><b>one</b> <i>two</i> three</p>', fake(() => u).translate)).toBe(
      '<p><b>aa</b> <i>bb</i> cc</p>',
    );
  });

  it('widens an empty projection to the nearest word, a single character in Japanese', async () => {
    const t = { text: 'Der Hund schläft', project: (s: number, e: number) => (s === 4 ? same(9, 9) : same(s, e)) };
    expect(await html('<p>The <b>dog</b> sleeps</p>', fake(() => t).translate)).toBe('<p>Der Hund <b>schläft</b></p>');
    const ja = { text: '犬が寝ている', project: (s: number, e: number) => (s === 4 ? same(1, 1) : same(s, e)) };
    expect(await html('<p>The <b>dog</b> sleeps</p>', fake(() => ja).translate)).toBe('<p>犬<b>が</b>寝ている</p>');
  });

  it('stays well-formed whatever the projection answers: out of range, reversed, NaN', async () => {
    const wild = [same(-5, 99), same(7, 2), same(NaN, Infinity), same(3, 3)];
    let k = 0;
    const t = fake((text) => ({
      text: text.split('').reverse().join(''),
      project: () => wild[k++ % wild.length],
    })).translate;
    const source = '<p>a <b>b <i>c</i> <u>d</u></b> <img src=x> e <s>f</s></p>';
    const tree = (doc: string) =>
      elementsOf(doc, 'html')
        .map((e) => `${e.parent} > ${e.raw}`)
        .sort();
    expect(tree(await html(source, t))).toEqual(tree(source));
  });
});

describe('malformed markup', () => {
  const cases: [string, 'html' | 'xml', string][] = [
    ['<a><b>text</a></b>', 'xml', 'unclosed <b> (opened at 1:4) before </a> at 1:11'],
    ['<a>text', 'xml', 'unclosed <a> (opened at 1:1) at 1:8'],
    ['text</x>', 'xml', 'stray </x> at 1:5'],
    ['<a x=1>t</a>', 'xml', 'attribute x of <a> is not quoted at 1:1'],
    ['<a x>t</a>', 'xml', 'attribute x of <a> is not quoted at 1:1'],
    ['<a x="1" x="2">t</a>', 'xml', 'attribute x repeated in <a> at 1:1'],
    ['<a>Tom & Jerry</a>', 'xml', "'&' that starts no tag or known entity at 1:8"],
    ['<a>&nbsp;</a>', 'xml', "'&' that starts no tag or known entity at 1:4"],
    ['<a>1 < 2</a>', 'xml', "'<' that starts no tag or known entity at 1:6"],
    ['<a>x<![CDATA[ y', 'xml', 'unterminated "<![CDATA[" at 1:5'],
    ['<!DOCTYPE x [ <!ENTITY e "v"> ]><x>t</x>', 'xml', 'DOCTYPE with an internal subset at 1:1'],
  ];
  it.each(cases)('%s (%s) -> %s', async (source, mode, message) => {
    const error = await translateMarkup(source, { mode }, identity).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarkupError);
    expect((error as MarkupError).message).toBe(message);
  });

  // The browser's reading of each, written by hand from the HTML Standard's tree construction (what parse5 builds).
  const sloppy: [string, string][] = [
    ['<p>one\n<b>two</p>', '<p>one\n<b>two</b></p>'],
    ['<p>one</b></p>', '<p>one</p>'],
    ['<p>a</p></p>', '<p>a</p><p></p>'],
    ['a<br></br>b', 'a<br><br>b'],
    ['<div>a', '<div>a</div>'],
    ['<p>a <span/> b</p>', '<p>a <span> b</span></p>'],
    ['<p>a</>b</p>', '<p>ab</p>'],
    ['<p>a <b', '<p>a </p>'],
    ['<p>a</p  ', '<p>a</p>'],
    ['<b>a<p>b</b>c</p>', '<b>a</b><p><b>b</b>c</p>'],
    ['<p>a <!-- open', '<p>a <!-- open--></p>'],
    ['<div>x <p>a<b>b</div>', '<div>x <p>a<b>b</b></p></div>'],
    [
      '<p>I like <b>green tea.<p>Where is <i>the station?',
      '<p>I like <b>green tea.</b></p><p><b>Where is <i>the station?</i></b></p>',
    ],
    [
      '<!DOCTYPE html><title>x</title><p>a<b>b',
      '<!DOCTYPE html><html><head><title>x</title></head><body><p>a<b>b</b></p></body></html>',
    ],
  ];
  it.each(sloppy)('html the strict reading refuses is read as a browser reads it: %s -> %s', async (source, read) => {
    expect(await html(source, upper)).toBe(await html(read, upper));
    expect(await sentTo((t) => html(source, t))).toEqual(await sentTo((t) => html(read, t)));
  });

  it('accepts the end tags html lets one leave out, implied by a sibling, the parent or the end of input', async () => {
    const source =
      '<ul><li>one<li>two <b>2</b></ul><table><tr><td>a<td>b<tr><td>c</table><p>x<div>y</div><dl><dt>t<dd>d</dl><p>end';
    expect(await sentTo((t) => html(source, t))).toEqual(['one', 'two 2', 'a', 'b', 'c', 'x', 'y', 't', 'd', 'end']);
    expect(await html(source, identity)).toBe(source);
  });

  it('reads an inline element without its end tag as a browser does, since its end could move', async () => {
    expect(await html('<div>a <p>b<p>c</div>', identity, { nonSplittingTags: ['p'] })).toBe(
      '<div>a <p>b</p><p>c</p></div>',
    );
  });

  it(`rejects nesting deeper than MAX_MARKUP_DEPTH (${MAX_MARKUP_DEPTH}) and more than MAX_MARKUP_TAGS (${MAX_MARKUP_TAGS}) tags`, async () => {
    const nested = (n: number) => '<b>'.repeat(n) + 'x' + '</b>'.repeat(n);
    expect(await html(nested(MAX_MARKUP_DEPTH))).toBe(nested(MAX_MARKUP_DEPTH));
    await expect(html(nested(MAX_MARKUP_DEPTH + 1))).rejects.toThrow(
      `elements nested deeper than ${MAX_MARKUP_DEPTH} at 1:${3 * MAX_MARKUP_DEPTH + 1}`,
    );
    expect(await html('<br>'.repeat(MAX_MARKUP_TAGS))).toBe('<br>'.repeat(MAX_MARKUP_TAGS));
    await expect(html('<br>'.repeat(MAX_MARKUP_TAGS + 1))).rejects.toThrow(`more than ${MAX_MARKUP_TAGS} tags`);
  });
});

// ---- Generated documents ----

interface Piece {
  src: string;
  exp: string;
  words: boolean;
} // exp: the identity output; words: has text to translate

/**
 * Documents of random blocks and inline markup, with their expected identity output: whitespace between items is
 * one space in `exp` (none if the source had none), whitespace at a block's edges is kept, untranslated parts and
 * parts with no words are copied. `spaced`: whitespace between all inline items (so each element wraps whole words).
 */
function generator(seed: number, mode: 'html' | 'xml', spaced: boolean) {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const count = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  let ids = 0;
  const attrs = () => {
    const id = ++ids;
    const quoted =
      mode === 'xml' ? [`id="e${id}"`, `id='e${id}'`] : [`id="e${id}"`, `id='e${id}'`, `id=e${id}`, `ID = "e${id}"`];
    const extra =
      mode === 'xml'
        ? ['class="a  b"', `title='say "hi" &amp; > bye'`, 'lang = "en"', 'data-x="it\'s"']
        : ['class="a  b"', `title='say "hi" &amp; <bye>'`, 'data-n=3', 'hidden', 'lang = "en"', 'DATA-X="it\'s"'];
    const list = [pick(quoted), ...extra.filter(() => r() < 0.25)];
    return list.map((a) => pick([' ', '  ', '\n  ']) + a).join('');
  };
  const ws = () => pick(['', ' ', '\n  ', '\n\t\t', '  ']);
  const sep = () => (spaced ? pick([' ', '\n    ', ' \t ']) : pick(['', ' ', '\n    ', ' \t ']));
  const word = () =>
    pick(['alpha', 'Beta', 'Tom&amp;Jerry', 'a&lt;b', 'x&gt;y', '日本語', 'café', '42', 'ｆｕｌｌ　ｗｉｄｔｈ']);
  const raw = (src: string, words = false): Piece => ({ src, exp: src, words });
  const tag = (name: string) => (mode === 'html' && r() < 0.2 ? name.toUpperCase() : name);

  const inline = (depth: number, firstWord = false): Piece => {
    const items = Array.from({ length: count(1, 4) }, (_, i) =>
      i === 0 && firstWord ? raw(word(), true) : item(depth),
    );
    let src = items[0].src,
      exp = items[0].exp;
    for (const it of items.slice(1)) {
      const s = sep();
      src += s + it.src;
      exp += (s ? ' ' : '') + it.exp;
    }
    return { src, exp, words: items.some((it) => it.words) };
  };
  const element = (name: string, inner: Piece): Piece => {
    const open = `<${tag(name)}${attrs()}>`,
      close = `</${name}>`;
    return {
      src: open + inner.src + close,
      exp: inner.words ? open + inner.exp + close : open + inner.src + close,
      words: inner.words,
    };
  };
  const item = (depth: number): Piece => {
    const k = r();
    if (k < 0.4 || depth > 3) return raw(word(), true);
    if (k < 0.65)
      return element(
        pick(mode === 'xml' ? ['b', 'i', 'span', 'link'] : ['b', 'i', 'em', 'span', 'a', 'strong']),
        inline(depth + 1),
      );
    if (k < 0.75)
      return raw(
        mode === 'xml'
          ? `<x${attrs()}/>`
          : pick([`<img${attrs()}>`, `<input${attrs()}>`, `<br${attrs()}>`, `<wbr${attrs()}>`]),
      );
    if (k < 0.82)
      return raw(pick(['<!-- note -->', '<!---->', mode === 'xml' ? '<![CDATA[ a < b ]]>' : '<!-- a > b -->']));
    const kept = inline(depth + 1).src; // not translated: copied as written
    return raw(
      mode === 'xml'
        ? `<code${attrs()}>${kept}</code>`
        : pick([`<span translate="no"${attrs()}>${kept}</span>`, `<code${attrs()}>${kept}</code>`]),
    );
  };
  const block = (depth: number): Piece => {
    const k = r();
    if (k < 0.15 && depth < 2) {
      const inner = blocks(depth + 1),
        open = `<${mode === 'xml' ? 'section' : 'div'}${attrs()}>`,
        close = `</${mode === 'xml' ? 'section' : 'div'}>`,
        a = ws(),
        b = ws();
      return { src: open + a + inner.src + b + close, exp: open + a + inner.exp + b + close, words: inner.words };
    }
    if (k < 0.2) return raw('<!-- between blocks -->');
    if (mode === 'html' && k < 0.27) return raw(`<p translate="no"${attrs()}>${inline(depth).src}</p>`);
    const name = mode === 'xml' ? pick(['par', 'title']) : pick(['p', 'h2', 'li', 'td']);
    const inner = inline(depth, mode === 'xml'),
      a = ws(),
      b = ws();
    const wrapped =
      name === 'li'
        ? [`<ul${attrs()}>`, '</ul>']
        : name === 'td'
          ? [`<table${attrs()}><tr${attrs()}>`, '</tr></table>']
          : ['', ''];
    const open = `${wrapped[0]}<${tag(name)}${attrs()}>`,
      close = `</${name}>${wrapped[1]}`;
    return {
      src: open + a + inner.src + b + close,
      exp: open + a + (inner.words ? inner.exp : inner.src) + b + close,
      words: inner.words,
    };
  };
  const blocks = (depth: number): Piece => {
    const list = Array.from({ length: count(1, 3) }, () => block(depth));
    const gaps = list.map(() => ws());
    return {
      src: list.map((b, i) => (i ? gaps[i] : '') + b.src).join(''),
      exp: list.map((b, i) => (i ? gaps[i] : '') + b.exp).join(''),
      words: list.some((b) => b.words),
    };
  };
  const doc = blocks(0);
  return mode === 'xml'
    ? { src: `<doc>\n${doc.src}\n</doc>`, exp: `<doc>\n${doc.exp}\n</doc>` }
    : { src: `<!DOCTYPE html>\n${doc.src}`, exp: `<!DOCTYPE html>\n${doc.exp}` };
}

const generatedOptions = (mode: 'html' | 'xml'): MarkupOptions => ({
  mode,
  ignoreTags: mode === 'xml' ? ['code'] : [],
  nonSplittingTags: ['br'],
});

interface Scanned {
  raw: string;
  name: string;
  parent: string | null;
  words: string[];
  outer: string;
  kept: boolean;
}

/**
 * This file's own reading of generated markup: comments, CDATA, doctype, start/end/self-closing tags by regex, text
 * between them. Throws unless it is well-formed (every end tag closes the innermost open element, nothing is left
 * open, no stray '<' in text). Each element's words: its text with entities decoded, without untranslated parts.
 */
function elementsOf(doc: string, mode: 'html' | 'xml'): Scanned[] {
  const token =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[\s\S]*?\?>|<\/([^\s>]+)\s*>|<([A-Za-z][^\s/>]*)(?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*\s*(\/?)>|[^<]+/y;
  const voids = new Set(['img', 'input', 'br', 'wbr', 'hr', 'meta', 'link']);
  const all: Scanned[] = [],
    stack: { el: Scanned; start: number }[] = [];
  for (let at = 0; at < doc.length;) {
    token.lastIndex = at;
    const m = token.exec(doc);
    if (!m) throw new Error(`not well-formed at ${at}: ${doc.slice(at, at + 30)}`);
    const [text, close, open, selfClosing] = m;
    const name = (s: string) => (mode === 'html' ? s.toLowerCase() : s);
    if (open) {
      const kept = /translate="no"|^<code/i.test(text) || stack.some((s) => s.el.kept);
      const el: Scanned = {
        raw: text,
        name: name(open),
        parent: stack.at(-1)?.el.raw ?? null,
        words: [],
        outer: '',
        kept,
      };
      all.push(el);
      if (!selfClosing && !(mode === 'html' && voids.has(el.name))) stack.push({ el, start: at });
      else el.outer = text;
    } else if (close) {
      const top = stack.pop();
      if (!top || top.el.name !== name(close)) throw new Error(`</${close}> closes ${top?.el.raw} at ${at}`);
      top.el.outer = doc.slice(top.start, at + text.length);
    } else if (!text.startsWith('<')) {
      const words = text
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&nbsp;/g, '\u00A0')
        .replace(/&amp;/g, '&')
        .split(/[ \t\n\r\f]+/)
        .filter(Boolean);
      for (const { el } of stack) if (!el.kept) el.words.push(...words);
    }
    at += text.length;
  }
  if (stack.length) throw new Error(`unclosed ${stack.at(-1)!.el.raw}`);
  for (const el of all) el.words.sort();
  return all;
}

describe('generated documents', () => {
  for (const mode of ['html', 'xml'] as const) {
    it(`${mode}: an identity translation gives the input back, whitespace inside blocks collapsed (400 documents)`, async () => {
      for (let seed = 1; seed <= 400; seed++) {
        const { src, exp } = generator(seed, mode, seed % 2 === 0);
        expect({ seed, out: await translateMarkup(src, generatedOptions(mode), identity) }).toEqual({ seed, out: exp });
      }
    });

    it(`${mode}: reversed words keep every element, attribute and nesting, each element around its own words (400 documents)`, async () => {
      const summary = (els: Scanned[], words: boolean) =>
        els
          .map((e) => ({ raw: e.raw, parent: e.parent, words: words ? e.words : [] }))
          .sort((a, b) => (a.raw < b.raw ? -1 : 1));
      for (let seed = 1; seed <= 400; seed++) {
        // spaced: each element wraps whole words, which reversal moves as a whole; unspaced: tags inside words too
        const spaced = seed % 2 === 0,
          { src } = generator(seed, mode, spaced);
        const out = await translateMarkup(src, generatedOptions(mode), fake(reversed).translate);
        const before = elementsOf(src, mode),
          after = elementsOf(out, mode);
        expect({ seed, elements: summary(after, spaced) }).toEqual({ seed, elements: summary(before, spaced) });
        for (const el of before.filter((e) => e.kept && !before.find((p) => p.raw === e.parent)?.kept))
          expect(out).toContain(el.outer);
      }
    });
  }
});
