import { describe, expect, it } from 'vitest';
import {
  chrfScore,
  chrfStatistics,
  corpusChrf,
  entitiesFound,
  figures,
  pastedWords,
  scoreItem,
  spanIntact,
  type EverydayItem,
} from '../../train/everyday-metrics.js';

describe('chrF2', () => {
  it('is 100 for a hypothesis equal to its reference, whitespace aside', () => {
    expect(corpusChrf(['the cat sat'], ['thecat  sat'])).toBe(100);
    expect(corpusChrf(['今日は晴れです。'], ['今日は 晴れ です 。'])).toBe(100);
  });

  it('counts character n-grams up to 6, and no hypothesis n-gram of an order the reference lacks', () => {
    // "ab" against "abc": n=1 2 hyp, 3 ref, 2 match; n=2 1, 2, 1; n=3 the reference has "abc", the hypothesis none.
    expect(chrfStatistics('ab', 'abc')).toEqual([2, 3, 2, 1, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // "abcd" against "ab": the hypothesis's 3- and 4-grams are not counted, the reference having none.
    expect(chrfStatistics('abcd', 'ab')).toEqual([4, 2, 2, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('clips matches at the reference count', () => {
    // "aaa" against "ab": n=1 3 hyp, 2 ref, 1 match ("a" once in the reference); n=2 2, 1, 0.
    expect(chrfStatistics('aaa', 'ab').slice(0, 6)).toEqual([3, 2, 1, 2, 1, 0]);
  });

  it('averages precision and recall over the orders both sides have, then takes F with beta 2', () => {
    // "ab"/"abc": orders 1-2; P = (1 + 1)/2 = 1, R = (2/3 + 1/2)/2 = 7/12; F2 = 5PR/(4P + R) = (35/12)/(55/12) = 7/11.
    expect(corpusChrf(['ab'], ['abc'])).toBeCloseTo((100 * 7) / 11, 10);
    // "abcd"/"ab": P = (1/2 + 1/3)/2 = 5/12, R = 1; F2 = (25/12)/(20/12 + 1) = 25/32.
    expect(corpusChrf(['abcd'], ['ab'])).toBeCloseTo(78.125, 10);
  });

  it('sums the counts over the corpus before dividing', () => {
    // ("abcd", "ab") + ("xyz", "xyz"): n=1 7/5/5, n=2 5/3/3, n=3 0+1/0+1/1 (the first pair's 3-grams not counted).
    // P = (5/7 + 3/5 + 1)/3 = 27/35, R = 1: F2 = 5(27/35)/(4(27/35) + 1) = 135/143.
    expect(corpusChrf(['abcd', 'xyz'], ['ab', 'xyz'])).toBeCloseTo((100 * 135) / 143, 10);
  });

  it('matches sacreBLEU on its published examples', () => {
    // The chrF metric card of huggingface/datasets (sacrebleu CHRF, char_order 6, word_order 0, beta 2).
    expect(
      corpusChrf(
        ['The relationship between Obama and Netanyahu is not exactly friendly.'],
        ['The ties between Obama and Netanyahu are not particularly friendly.'],
      ),
    ).toBeCloseTo(61.576379378113785, 9);
    expect(
      corpusChrf(
        [
          'The relationship between cats and dogs is not exactly friendly.',
          'a good bookshop is just a genteel black hole that knows how to read.',
        ],
        [
          'The relationship between dogs and cats is not exactly friendly.',
          'A good bookshop is just a genteel Black Hole that knows how to read.',
        ],
      ),
    ).toBeCloseTo(84.64214891738334, 9);
  });

  it('is 0 for an empty hypothesis and for nothing in common', () => {
    expect(corpusChrf([''], ['abc'])).toBe(0);
    expect(corpusChrf(['xyz'], ['abc'])).toBe(0);
    expect(chrfScore(new Array(18).fill(0))).toBe(0);
  });
});

describe('entitiesFound', () => {
  it('finds entities in the output, both NFKC-normalised, case kept', () => {
    expect(entitiesFound('会議は午後３時３０分、３，８００円です', ['午後3時30分', '3,800円', '3月14日'])).toEqual([
      '午後3時30分',
      '3,800円',
    ]);
    expect(entitiesFound('it is 20℃ in tanaka', ['20°C', 'Tanaka'])).toEqual(['20°C']);
  });

  it('finds a lower-case entity capitalised where a sentence starts, not elsewhere', () => {
    expect(entitiesFound('Children play. Parks are big.', ['children', 'parks'])).toEqual(['children', 'parks']);
    expect(entitiesFound('We saw Children of Men.', ['children'])).toEqual([]);
  });
});

describe('pastedWords', () => {
  const item = { entities: ['iPhone', 'Wi-Fi'], spans: ['https://example.com/reset'] };

  it('into Japanese: Latin words that are not words of the entities or spans, in any case', () => {
    expect(pastedWords('新しいiphoneとWi-Fiで https://example.com/reset を開く', item, 'ja')).toEqual([]);
    expect(pastedWords('その機械はmachine的だ。pleaseを持って', item, 'ja')).toEqual(['machine', 'please']);
    expect(pastedWords('ｐｌｅａｓｅ', item, 'ja')).toEqual(['please']); // full-width letters are Latin too
  });

  it('into English: any kana or kanji', () => {
    expect(pastedWords('I like が. The ラーメン was 美味しい.', item, 'en')).toEqual(['が', 'ラーメン', '美味しい']);
    expect(pastedWords('Tokyo Station, 3:30 pm.', item, 'en')).toEqual([]);
  });
});

describe('spanIntact', () => {
  it('wants the span whole, with no Latin letter or digit touching it', () => {
    expect(spanIntact('https://example.com/reset でパスワードを', 'https://example.com/reset')).toBe(true);
    expect(spanIntact('Call 090-1234-5678.', '090-1234-5678')).toBe(true);
    expect(spanIntact('090-1234-5678に電話', '090-1234-5678')).toBe(true); // kana may touch it
    expect(spanIntact('https://example.com/resetsupport@example.com', 'https://example.com/reset')).toBe(false);
    expect(spanIntact('https://example.com/resetsupport@example.com', 'support@example.com')).toBe(false);
    expect(spanIntact('その3:3014会合', '3:30')).toBe(false);
    expect(spanIntact('https://example.com/re set', 'https://example.com/reset')).toBe(false);
  });

  it('is enough that one occurrence stands apart', () => {
    expect(spanIntact('A-20931x and A-20931', 'A-20931')).toBe(true);
  });
});

describe('figures', () => {
  const item = (entities: string[], spans: string[]): EverydayItem => ({
    id: 'x',
    block: 'b',
    source: 's',
    reference: 'abc',
    entities,
    spans,
  });

  it('pools entities and spans over the items, and counts outputs with a pasted word', () => {
    const items = [item(['ジョン', '東京'], []), item([], ['a@b.jp'])];
    const outputs = ['ジョンはabc', 'a@b.jpへ'];
    const result = figures(
      items,
      items.map((it, i) => scoreItem(it, outputs[i]!, 'ja')),
    );
    expect(result).toMatchObject({
      items: 2,
      entities: 50,
      pasted: 50,
      spans: 100,
      entitiesFound: 1,
      entitiesListed: 2,
      pastedOutputs: 1,
      spansIntact: 1,
      spansListed: 1,
    });
    expect(result.chrf).toBeCloseTo(corpusChrf(outputs, ['abc', 'abc']), 12);
  });

  it('gives null shares when the items list no entity or span', () => {
    expect(figures([item([], [])], [scoreItem(item([], []), 'abc', 'en')])).toMatchObject({
      chrf: 100,
      entities: null,
      spans: null,
      pasted: 0,
    });
  });
});
