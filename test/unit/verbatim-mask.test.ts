// Verbatim spans through the model: masked by placeholders, every one back exactly once, character for character.
import { describe, expect, it } from 'vitest';
import { markKnownSpans, maskVerbatim, placeEveryPlaceholder, unmaskVerbatim, withoutPlaceholders } from '../../src/core/document/verbatim-mask.js';
import { getTokenizer } from '../../src/core/tokenize/index.js';

const P0 = '\uE000';
const P1 = '\uE001';

describe('maskVerbatim', () => {
  it('replaces each span by its own placeholder and keeps the spans', () => {
    const masked = maskVerbatim('Call 090-1234 at 3:30 or mail taro@example.com.');
    expect(masked.spans).toContain('3:30');
    expect(masked.spans).toContain('taro@example.com');
    expect(unmaskVerbatim(masked.text, masked)).toBe('Call 090-1234 at 3:30 or mail taro@example.com.');
  });

  it('leaves a span the model knows in the text', () => {
    const masked = maskVerbatim('at 5 and 3:30', (span) => span === '5');
    expect(masked).toEqual({ text: 'at 5 and \uE001', spans: ['5', '3:30'], sources: ['5', '\uE001'] });
  });

  it("drops the text's own private-use characters, so they cannot pose as placeholders", () => {
    const masked = maskVerbatim(`a${P1}b 42`);
    expect(masked.spans).toEqual(['42']);
    expect(masked.text).toBe(`ab ${P0}`);
  });

  it.each(['english', 'japanese'])('leaves each placeholder a token of its own for the %s tokenizer', (name) => {
    const masked = maskVerbatim(name === 'english' ? 'it costs $5 on 2026-12-01.' : '２０２６年に３回会った');
    const tokens = getTokenizer(name).tokenize(masked.text);
    masked.spans.forEach((_, i) => expect(tokens).toContain(String.fromCharCode(0xe000 + i)));
  });
});

describe('placeEveryPlaceholder', () => {
  const masked = { text: `at ${P0} and ${P1}`, spans: ['3:30', 'https://a.jp'], sources: [P0, P1] };
  const alignment = (target: string[]) => ({
    source: ['at', P0, 'and', P1],
    target,
    // target token t attends to source column t % 4
    weights: target.map((_, t) => [0, 1, 2, 3].map((j) => (j === t % 4 ? 0.7 : 0.1))),
  });

  it('keeps placeholders the model placed, and only their first place', () => {
    const tokens = ['a', P0, 'b', P0, P1];
    expect(placeEveryPlaceholder(tokens, masked, alignment(tokens)).tokens).toEqual(['a', P0, 'b', P1]);
  });

  it('inserts a missing placeholder after (English) or before (Japanese) the target word attending to it most', () => {
    const tokens = ['x', 'y', 'z', 'w']; // y (t = 1) attends most to P0, w (t = 3) to P1
    const placed = placeEveryPlaceholder(tokens, masked, alignment(tokens));
    expect(placed.tokens).toEqual(['x', 'y', P0, 'z', 'w', P1]);
    expect(placed.origin).toEqual([0, 1, -1, 2, 3, -1]);
    expect(placeEveryPlaceholder(tokens, masked, alignment(tokens), true).tokens).toEqual(['x', P0, 'y', 'z', P1, 'w']);
  });

  it('never places a span by punctuation, nor before a kana ending in Japanese', () => {
    const tokens = ['感動', 'し', 'た', '。']; // most attention on P0: '。' then 'た' then 'し', skipped
    const weights = [[0, 0.2, 0, 0], [0, 0.3, 0, 0], [0, 0.4, 0, 0], [0, 0.9, 0, 0]];
    const placed = placeEveryPlaceholder(tokens, masked, { source: ['at', P0, 'and', P1], target: tokens, weights }, true);
    expect(placed.tokens).toEqual([P0, P1, '感動', 'し', 'た', '。']); // P1 has no attention anywhere: the first word
  });

  it("marks the target token carrying a known span, as the tokenizers fold it, and only a whole number", () => {
    const known = { text: 'at 5 and 15', spans: ['5', '15'], sources: ['5', '15'] };
    expect(markKnownSpans(['１５', '時', 'と', '５', '時'], known)).toEqual(['\uE001', '時', 'と', P0, '時']);
    expect(markKnownSpans(['５時'], known)).toEqual([`${P0}時`]);
  });

  it('appends missing placeholders without attention, and before everything for an empty output', () => {
    expect(placeEveryPlaceholder(['x'], masked).tokens).toEqual(['x', P0, P1]);
    expect(placeEveryPlaceholder([], masked).tokens).toEqual([P0, P1]);
  });

  it('round-trips into text with every span exactly once', () => {
    const placed = placeEveryPlaceholder(['会議', 'は', P1, P1, 'です'], masked, alignment(['会議', 'は', P1, P1, 'です']));
    const text = unmaskVerbatim(placed.tokens.join(''), masked);
    for (const span of masked.spans) expect(text.split(span).length - 1).toBe(1);
  });
});

it('withoutPlaceholders removes placeholders from the unknown words', () => {
  expect(withoutPlaceholders([P0, 'tokyo', P1])).toEqual(['tokyo']);
});
