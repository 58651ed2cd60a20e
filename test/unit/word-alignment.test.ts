// The corpus aligner (train/align/): fast_align both ways, grow-diag-final-and, and the alignment error rate.
import { describe, expect, it } from 'vitest';
import { alignmentErrorRate, parseGold } from '../../train/align/aer.js';
import { alignCorpus } from '../../train/align/corpus.js';
import { alignOneWay, type Link } from '../../train/align/fast-align.js';
import { growDiagFinalAnd } from '../../train/align/symmetrize.js';

// A toy corpus where each word has one translation: EM must find it from co-occurrence alone.
const LEXICON: Record<string, string> = {
  cat: 'neko',
  dog: 'inu',
  eats: 'taberu',
  sees: 'miru',
  fish: 'sakana',
  big: 'ookii',
};
const sentences = [
  ['cat', 'eats', 'fish'],
  ['dog', 'eats', 'fish'],
  ['cat', 'sees', 'dog'],
  ['big', 'dog', 'sees', 'cat'],
  ['dog', 'sees', 'big', 'fish'],
  ['big', 'cat', 'eats'],
  ['fish', 'sees', 'cat'],
  ['dog', 'eats'],
];
// The "Japanese" side puts the verb last: the links are not the diagonal.
const translate = (words: string[]) =>
  [...words.filter((w) => !['eats', 'sees'].includes(w)), ...words.filter((w) => ['eats', 'sees'].includes(w))].map(
    (w) => LEXICON[w]!,
  );
const target = sentences.map(translate);
const truth = (k: number): Link[] => sentences[k]!.map((w, s): Link => [s, target[k]!.indexOf(LEXICON[w]!)]);
const sorted = (links: Link[]) => [...links].sort((a, b) => a[1] - b[1] || a[0] - b[0]);

describe('fast_align (IBM Model 2 with a diagonal prior)', () => {
  it('links every word of a toy corpus to its translation, off the diagonal too', () => {
    const links = alignOneWay(sentences, target, { iterations: 8, tension: 1, nullProbability: 0.01 });
    links.forEach((l, k) => expect(sorted(l), sentences[k]!.join(' ')).toEqual(sorted(truth(k))));
  });

  it('both ways and symmetrised, the same', () => {
    const links = alignCorpus(sentences, target, { iterations: 8, tension: 1, nullProbability: 0.01 });
    links.forEach((l, k) => expect(l).toEqual(sorted(truth(k))));
  });
});

describe('grow-diag-final-and', () => {
  it('keeps the intersection, grows along neighbours that attach an unaligned word, then adds links of two unaligned words', () => {
    // forward: target 0 <- source 0, target 1 <- source 1, target 2 <- source 1; backward: 0-0, 1-1, 3-3
    const forward: Link[] = [
      [0, 0],
      [1, 1],
      [1, 2],
    ];
    const backward: Link[] = [
      [0, 0],
      [1, 1],
      [3, 3],
    ];
    // intersection 0-0, 1-1; 1-2 is a neighbour of 1-1 and target 2 is unaligned: grown; 3-3 joins two unaligned words.
    expect(growDiagFinalAnd(forward, backward)).toEqual([
      [0, 0],
      [1, 1],
      [1, 2],
      [3, 3],
    ]);
  });

  it('does not grow into a link whose two words are both aligned already', () => {
    const forward: Link[] = [
      [0, 0],
      [1, 1],
      [0, 1],
    ];
    const backward: Link[] = [
      [0, 0],
      [1, 1],
    ];
    expect(growDiagFinalAnd(forward, backward)).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});

describe('alignment error rate', () => {
  const gold = parseGold('# a comment\n1\t0-0 1-1\t2-1\n2\t0-1\t\n');

  it('reads sure links, and possible ones with the sure included', () => {
    expect(gold).toEqual([
      {
        line: 1,
        sure: [
          [0, 0],
          [1, 1],
        ],
        possible: [
          [0, 0],
          [1, 1],
          [2, 1],
        ],
      },
      { line: 2, sure: [[0, 1]], possible: [[0, 1]] },
    ]);
  });

  it('is 0 for the sure links, with or without possible ones, and 1 for links that are all wrong', () => {
    expect(
      alignmentErrorRate(gold, [
        [
          [0, 0],
          [1, 1],
        ],
        [[0, 1]],
      ]),
    ).toBe(0);
    expect(
      alignmentErrorRate(gold, [
        [
          [0, 0],
          [1, 1],
          [2, 1],
        ],
        [[0, 1]],
      ]),
    ).toBe(0);
    expect(alignmentErrorRate(gold, [[[1, 0]], [[0, 0]]])).toBe(1);
  });

  it('is 1 - (|A&S| + |A&P|) / (|A| + |S|)', () => {
    // A = {0-0, 2-1, 3-3} and {}: A&S = 1, A&P = 2, |A| = 3, |S| = 3
    expect(
      alignmentErrorRate(gold, [
        [
          [0, 0],
          [2, 1],
          [3, 3],
        ],
        [],
      ]),
    ).toBeCloseTo(1 - 3 / 6);
  });

  it('refuses a malformed link', () => {
    expect(() => parseGold('1\t0-x\t')).toThrow(/"0-x" is not a link/);
  });
});
