import { describe, expect, it } from 'vitest';
import { corpusBleu } from '../../train/bleu.js';

const split = (...lines: string[]) => lines.map((line) => (line === '' ? [] : line.split(' ')));

describe('corpusBleu', () => {
  it('is 100 for hypotheses equal to their references', () => {
    const refs = split('the cat sat on the mat', 'a dog barked loudly');
    expect(corpusBleu(refs, refs)).toEqual({
      bleu: 100,
      precisions: [100, 100, 100, 100],
      brevityPenalty: 1,
      ratio: 1,
      hypothesisLength: 10,
      referenceLength: 10,
    });
  });

  it('clips each n-gram count at its count in the reference', () => {
    // 1-grams: "the" x2 clipped to 1, "cat" 1 -> 2/3; 2-grams: "the cat" matches, "the the" not -> 1/2;
    // 3-grams: 0/1; 4-grams: none in a 3-token hypothesis -> 0. Any zero precision gives BLEU 0.
    const score = corpusBleu(split('the the cat'), split('the cat sat'));
    expect(score.precisions[0]).toBeCloseTo((100 * 2) / 3, 10);
    expect(score.precisions.slice(1)).toEqual([50, 0, 0]);
    expect(score.bleu).toBe(0);
  });

  it('sums matches over the corpus before taking the geometric mean', () => {
    // sentence 1 matches fully: 4/4, 3/3, 2/2, 1/1; sentence 2 ("x" for "c"): 3/4, 1/3 ("a b"), 0/2, 0/1.
    // corpus: 7/8, 4/6, 2/4, 1/2; c = r = 8 so BP = 1; BLEU = 100 * (7/8 * 2/3 * 1/2 * 1/2)^(1/4) = 100 * (7/48)^(1/4)
    // = 61.7965 (sentence 2 alone would score 0)
    const score = corpusBleu(split('a b c d', 'a b x d'), split('a b c d', 'a b c d'));
    expect(score.precisions).toEqual([87.5, 100 * (4 / 6), 50, 50]);
    expect(score.brevityPenalty).toBe(1);
    expect(score.bleu).toBeCloseTo(61.79654585, 6);
  });

  it('applies the brevity penalty exp(1 - r/c) when the hypotheses are shorter', () => {
    // every n-gram of "a b c d e" is in the reference; c = 5, r = 6: BP = exp(1 - 6/5) = exp(-0.2) = 0.818731
    const score = corpusBleu(split('a b c d e'), split('a b c d e f'));
    expect(score.precisions).toEqual([100, 100, 100, 100]);
    expect(score.brevityPenalty).toBeCloseTo(Math.exp(-0.2), 12);
    expect(score.bleu).toBeCloseTo(81.87307531, 6);
    expect(score.ratio).toBeCloseTo(5 / 6, 12);
  });

  it('gives no brevity penalty to hypotheses longer than the references', () => {
    // 8 tokens against 4: precisions 4/8, 3/7, 2/6, 1/5; BP = 1; BLEU = 100 * (1/2 * 3/7 * 1/3 * 1/5)^(1/4)
    // = 100 * (1/70)^(1/4) = 34.5721
    const score = corpusBleu(split('a b c d e f g h'), split('a b c d'));
    expect(score.brevityPenalty).toBe(1);
    expect(score.ratio).toBe(2);
    expect(score.bleu).toBeCloseTo(34.57207846, 6);
  });

  it('scores empty output 0 without dividing by zero', () => {
    expect(corpusBleu(split(''), split('a b'))).toMatchObject({
      bleu: 0,
      brevityPenalty: 0,
      ratio: 0,
      hypothesisLength: 0,
    });
    expect(corpusBleu([], [])).toMatchObject({ bleu: 0, ratio: 0, referenceLength: 0 });
  });

  it('rejects a different number of hypotheses and references', () => {
    expect(() => corpusBleu(split('a'), split('a', 'b'))).toThrow('got 1 hypotheses and 2 references');
  });
});
