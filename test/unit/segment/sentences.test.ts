// splitSentences against sentences marked by hand, English, Japanese and mixed; cutSentence against a
// brute-force search over every set of clause cuts, and against the rules every piece must keep.
import { describe, expect, it } from 'vitest';
import { cutSentence, splitSentences, type Span } from '../../../src/core/segment/sentences.js';
import { findVerbatim } from '../../../src/core/segment/verbatim.js';

const texts = (text: string, spans: Span[]) => spans.map((s) => text.slice(s.start, s.end));
const split = (text: string) => texts(text, splitSentences(text));

describe('splitSentences', () => {
  it.each([
    // English: abbreviations, initials, decimals, numbered items
    [
      'Mr. Smith went to Washington. He arrived at 3 p.m. on Monday.',
      ['Mr. Smith went to Washington.', 'He arrived at 3 p.m. on Monday.'],
    ],
    [
      'Dr. Jones and Prof. Lee met Mrs. Park on Main St. in Boston.',
      ['Dr. Jones and Prof. Lee met Mrs. Park on Main St. in Boston.'],
    ],
    [
      'Bring fruit, e.g. Apples, i.e. red ones, etc. and more. Then go.',
      ['Bring fruit, e.g. Apples, i.e. red ones, etc. and more.', 'Then go.'],
    ],
    ['We bought apples, pears, etc. Then we left.', ['We bought apples, pears, etc.', 'Then we left.']],
    ['I live in the U.S. He lives in Japan.', ['I live in the U.S.', 'He lives in Japan.']],
    ['The U.S. Army is large. It is old.', ['The U.S. Army is large.', 'It is old.']],
    ['We met at 10 a.m. Then we ate.', ['We met at 10 a.m.', 'Then we ate.']],
    ['J. R. R. Tolkien wrote it. Read it.', ['J. R. R. Tolkien wrote it.', 'Read it.']],
    ['Pi is 3.14 and e is 2.72. Both are irrational.', ['Pi is 3.14 and e is 2.72.', 'Both are irrational.']],
    ['See Fig. 3 and p. 12 for details. No. 5 is here.', ['See Fig. 3 and p. 12 for details.', 'No. 5 is here.']],
    ['1. Buy milk. 2. Call mom.', ['1. Buy milk.', '2. Call mom.']],
    ['Steps: 1. Open the app. 2. Tap Settings.', ['Steps: 1. Open the app.', '2. Tap Settings.']],
    ['It was 1999. 2000 was better.', ['It was 1999.', '2000 was better.']],
    // URLs and e-mail addresses
    [
      'See example.com. Then open www.example.com/a?b=1 now.',
      ['See example.com.', 'Then open www.example.com/a?b=1 now.'],
    ],
    ['Mail me at john.doe@example.com. Thanks!', ['Mail me at john.doe@example.com.', 'Thanks!']],
    [
      'Version 2.0 of Node.js is out. Get it at https://nodejs.org/en/download?os=linux! Bye.',
      ['Version 2.0 of Node.js is out.', 'Get it at https://nodejs.org/en/download?os=linux!', 'Bye.'],
    ],
    // quotes and brackets
    ['He said "Stop." Then he left.', ['He said "Stop."', 'Then he left.']],
    ['He said “Stop.” Then he left.', ['He said “Stop.”', 'Then he left.']],
    ['"Stop!" he said. She left.', ['"Stop!" he said.', 'She left.']],
    ['She said "I came. I saw." and left. We stayed.', ['She said "I came. I saw." and left.', 'We stayed.']],
    ['(This is an aside.) Back to the point.', ['(This is an aside.)', 'Back to the point.']],
    // ellipses and runs of ? !
    ['Wait... what? I waited... Then he came.', ['Wait... what?', 'I waited...', 'Then he came.']],
    ['Wait… What?', ['Wait…', 'What?']],
    ['Really?! Yes!!! OK.', ['Really?!', 'Yes!!!', 'OK.']],
    ['Hey! what now?', ['Hey! what now?']],
    // Japanese
    ['昨日、友達と映画を見ました。とても面白かったです。', ['昨日、友達と映画を見ました。', 'とても面白かったです。']],
    ['本当ですか？はい、本当です！ありがとう。', ['本当ですか？', 'はい、本当です！', 'ありがとう。']],
    ['「こんにちは。」と彼は言った。次に行こう！', ['「こんにちは。」と彼は言った。', '次に行こう！']],
    ['「こんにちは。」「元気？」', ['「こんにちは。」', '「元気？」']],
    ['彼は「行く。帰る。」と言った。すごい！と思った。', ['彼は「行く。帰る。」と言った。', 'すごい！と思った。']],
    [
      '『ノルウェイの森』を読んだ。（面白かった。）次は何？',
      ['『ノルウェイの森』を読んだ。', '（面白かった。）', '次は何？'],
    ],
    ['本当？って聞いた。', ['本当？って聞いた。']],
    ['これはペンです．あれは本です!それは?はい', ['これはペンです．', 'あれは本です!', 'それは?', 'はい']],
    ['えっと…それは違います。', ['えっと…それは違います。']],
    ['円周率は３．１４です。覚えた？', ['円周率は３．１４です。', '覚えた？']],
    [
      '詳しくはhttps://example.jp/faq?id=1を見てください。よろしく。',
      ['詳しくはhttps://example.jp/faq?id=1を見てください。', 'よろしく。'],
    ],
    ['「ねえ。聞いて。', ['「ねえ。', '聞いて。']], // an unmatched bracket is ignored
    // mixed
    ['I ate 寿司 in Tokyo. 美味しかった！', ['I ate 寿司 in Tokyo.', '美味しかった！']],
    ['東京に行きました。It was great. また行きたい！', ['東京に行きました。', 'It was great.', 'また行きたい！']],
    ['I visited Tokyo.とても楽しかった。', ['I visited Tokyo.', 'とても楽しかった。']],
    ['The U.S.の経済は大きい。', ['The U.S.の経済は大きい。']],
    // whitespace and newlines (as spaces)
    ['  Leading and trailing.   Spaces here.  ', ['Leading and trailing.', 'Spaces here.']],
    [
      'A sentence that goes\non the next line. And another.',
      ['A sentence that goes\non the next line.', 'And another.'],
    ],
    ['No final punctuation', ['No final punctuation']],
    ['   ', []],
    ['', []],
  ])('%s', (text, expected) => {
    expect(split(text)).toEqual(expected);
  });

  it('takes linear time on long and adversarial text', () => {
    for (const text of [
      'Mr. Smith came at 3 p.m. 昨日、映画を見ました。 See a.com/x?y=1. '.repeat(2000),
      '1. '.repeat(30000),
      '('.repeat(40000) + ']'.repeat(40000),
    ]) {
      const started = performance.now();
      splitSentences(text);
      expect(performance.now() - started).toBeLessThan(3000); // quadratic would take minutes
    }
  });
});

const words = (limit: number) => (piece: string) => piece.split(/\s+/).length <= limit;
const chars = (limit: number) => (piece: string) => piece.length <= limit;

/** Every cut keeps the text: pieces in order, trimmed, fitting, covering every non-space character. */
function expectValidCuts(text: string, pieces: Span[], fits: (piece: string) => boolean) {
  const verbatim = findVerbatim(text);
  let at = 0;
  for (const p of pieces) {
    expect(p.start).toBeGreaterThanOrEqual(at);
    expect(text.slice(at, p.start).trim()).toBe('');
    const piece = text.slice(p.start, p.end);
    expect(piece).toBe(piece.trim());
    expect(fits(piece) || [...piece].length === 1 || verbatim.some((v) => v.start === p.start && v.end === p.end)).toBe(
      true,
    );
    expect(/^[\udc00-\udfff]/.test(piece) || /[\ud800-\udbff]$/.test(piece)).toBe(false);
    for (const v of verbatim) expect([p.start, p.end].some((q) => q > v.start && q < v.end)).toBe(false);
    at = p.end;
  }
  expect(text.slice(at).trim()).toBe('');
}

/** The brute-force oracle: over every subset of the given cut points, the fewest fitting pieces, then
 *  the least sum of squared lengths. */
function bestCuts(text: string, points: number[], fits: (piece: string) => boolean): string[] | undefined {
  let best: { pieces: string[]; cost: number } | undefined;
  for (let subset = 0; subset < 1 << points.length; subset++) {
    const cuts = points.filter((_, i) => subset & (1 << i));
    const pieces = [0, ...cuts].map((start, i) => text.slice(start, [...cuts, text.length][i]).trim());
    if (!pieces.every(fits)) continue;
    const cost = pieces.reduce((sum, p) => sum + p.length ** 2, 0);
    if (!best || pieces.length < best.pieces.length || (pieces.length === best.pieces.length && cost < best.cost))
      best = { pieces, cost };
  }
  return best?.pieces;
}

describe('cutSentence', () => {
  const long =
    'When the rain finally stopped, we walked slowly to the old station, but the train was late, so we waited, talked, and went home.';
  const japanese =
    '昨日は雨が降っていたので、私たちは駅まで歩いて行きましたが、電車が遅れていたので、長い間待ってから家に帰りました。';

  it('returns a sentence that fits whole', () => {
    expect(texts(long, cutSentence(long, words(100)))).toEqual([long]);
    expect(cutSentence('  ', words(3))).toEqual([]);
  });

  // Texts with one kind of clause mark, so that the best cuts over all its marks is the answer.
  it.each([
    [long, words(7)],
    [long, words(9)],
    [long, words(14)],
    [japanese, chars(20)],
    [japanese, chars(35)],
    ['Apples, pears, plums, figs, grapes, melons and cherries, all ripe, were on the table, waiting.', chars(30)],
    ['Prices rose to $1,234.56, then to $2,000, and the tax, 8%, stayed.', words(4)],
  ])('cuts at clauses into the fewest, most balanced pieces (%s)', (text, fits) => {
    const inVerbatim = (p: number) => findVerbatim(text).some((v) => p > v.start && p < v.end);
    const points = [...text.matchAll(/[,、]/g)].map((m) => m.index + 1).filter((p) => !inVerbatim(p));
    const pieces = cutSentence(text, fits);
    expectValidCuts(text, pieces, fits);
    expect(texts(text, pieces)).toEqual(bestCuts(text, points, fits));
  });

  it('cuts at semicolons first, then at commas inside a clause that does not fit', () => {
    const text = 'We went out, we ate well; they stayed in, they slept early.';
    expect(texts(text, cutSentence(text, words(6)))).toEqual([
      'We went out, we ate well;',
      'they stayed in, they slept early.',
    ]);
    // Commas are not weighed against the semicolons: "First we shop; then," would save a piece.
    const shop = 'First we shop; then, if time allows, we cook; finally we eat, rest, and sleep.';
    expect(texts(shop, cutSentence(shop, words(5)))).toEqual([
      'First we shop;',
      'then, if time allows,',
      'we cook;',
      'finally we eat,',
      'rest, and sleep.',
    ]);
    const note = 'Note: the price is high；税金は別です、送料も別です。';
    expect(texts(note, cutSentence(note, chars(18)))).toEqual([
      'Note:',
      'the price is high；',
      '税金は別です、送料も別です。',
    ]);
  });

  it('cuts at sentence ends inside quotes before clauses', () => {
    const text = 'She told us "we leave at dawn, so pack tonight. Bring water, food and a map." and went to bed.';
    expect(texts(text, cutSentence(text, words(10)))).toEqual([
      'She told us "we leave at dawn, so pack tonight.',
      'Bring water, food and a map." and went to bed.',
    ]);
  });

  it('falls back to spaces for a clause with no punctuation', () => {
    const text = 'The quick brown fox jumps over the lazy dog and runs far away into the deep dark forest';
    const pieces = cutSentence(text, words(6));
    expectValidCuts(text, pieces, words(6));
    expect(pieces).toHaveLength(3); // 18 words, 6 a piece
    expect(texts(text, pieces)).toEqual([
      'The quick brown fox jumps over',
      'the lazy dog and runs far',
      'away into the deep dark forest',
    ]);
  });

  it('falls back to characters for text without spaces, in as few pieces as greedy packing', () => {
    const text = '𠮷野家で𩸽を食べてから駅まで歩いて帰りました';
    for (const limit of [2, 3, 5, 8, 13]) {
      const pieces = cutSentence(text, chars(limit));
      expectValidCuts(text, pieces, chars(limit));
      let greedy = 0; // greedy packing of code points gives the fewest pieces
      for (let used = Infinity, i = 0, cps = [...text]; i < cps.length; i++) {
        if (used + cps[i].length > limit) [greedy, used] = [greedy + 1, 0];
        used += cps[i].length;
      }
      expect(pieces).toHaveLength(greedy);
    }
  });

  it('never cuts inside a verbatim span, even one that does not fit', () => {
    const text = '詳しくはhttps://example.jp/menuを見てから帰りました';
    for (const limit of [3, 5, 8, 13]) {
      const pieces = cutSentence(text, chars(limit));
      expectValidCuts(text, pieces, chars(limit));
      expect(texts(text, pieces)).toContain('https://example.jp/menu');
    }
  });

  it('keeps every rule over many sentences and budgets', () => {
    const sentences = [
      long,
      japanese,
      'I ate 寿司 in Tokyo, then ramen, then cake; 美味しかった、本当に、とても。',
      'A,B,C,D,E,F,G',
      '$1,000, $2,000 and $3,000, or 10:30, 11:45.',
    ];
    for (const text of sentences) {
      for (let limit = 1; limit <= 40; limit++) {
        expectValidCuts(text, cutSentence(text, chars(limit)), chars(limit));
        expectValidCuts(text, cutSentence(text, words(limit)), words(limit));
      }
    }
  });
});
