import { describe, expect, it } from 'vitest';
import { rowsByWord } from '../../src/core/align.js';
import { characters, joinPieces, Subwords, SubwordsError } from '../../src/core/tokenize/subwords.js';
import { learnBpe } from '../../train/bpe.js';

// The example of Sennrich et al. (2016), as sentences: low x5, lower x2, newest x6, widest x3.
const CORPUS = [
  ...Array(5).fill(['low']),
  ...Array(2).fill(['lower']),
  ...Array(6).fill(['newest']),
  ...Array(3).fill(['widest']),
] as string[][];

describe('learnBpe', () => {
  it('merges the most frequent pair first, ties in code-unit order', () => {
    const { merges } = learnBpe(CORPUS, 4);
    // e+s and s+t both occur 9 times (newest, widest): "e@@ s@@" sorts first; then "es@@ t" (9), l+o (7), and of
    // the three pairs of newest (6 each) "e@@ w@@"
    expect(merges).toEqual([
      ['e@@', 's@@'],
      ['es@@', 't'],
      ['l@@', 'o@@'],
      ['e@@', 'w@@'],
    ]);
  });

  it('stops when no pair occurs twice', () => {
    const { merges } = learnBpe([['ab'], ['cd']], 10);
    expect(merges).toEqual([]);
  });

  it('splits every training word as the learner left it, and the pieces join back into the word', () => {
    const sentences = [
      ['the', 'cat', 'sat', 'on', 'the', 'mat'],
      ['that', 'cat', 'is', 'fat'],
      ['a', 'mat', 'that', 'sat'],
    ];
    const subwords = learnBpe(sentences, 8);
    const vocabulary = new Set(sentences.flat().flatMap((w) => subwords.split(w)));
    for (const word of sentences.flat()) {
      expect(joinPieces(subwords.split(word)).words).toEqual([word]);
    }
    expect(subwords.split('that')).toEqual(['that']); // frequent enough to be merged whole
    expect(vocabulary.size).toBeLessThan(new Set(sentences.flat().flatMap(characters)).size + 8);
  });
});

describe('Subwords', () => {
  const subwords = learnBpe(CORPUS, 4);

  it('applies the merges in the order learned, also to words it never saw', () => {
    expect(subwords.split('newest')).toEqual(['n@@', 'ew@@', 'est']);
    expect(subwords.split('lowest')).toEqual(['lo@@', 'w@@', 'est']);
    expect(subwords.split('slow')).toEqual(['s@@', 'lo@@', 'w']);
    expect(subwords.split('x')).toEqual(['x']);
  });

  it('maps pieces to their words', () => {
    expect(subwords.pieces(['slow', 'x'])).toEqual({ pieces: ['s@@', 'lo@@', 'w', 'x'], wordOf: [0, 0, 0, 1] });
  });

  it('round-trips its text form and names a bad line', () => {
    expect(Subwords.parse(subwords.toText()).merges).toEqual(subwords.merges);
    expect(() => Subwords.parse('e@@ s@@\nes t\n')).toThrow(SubwordsError);
    expect(() => Subwords.parse('e@@ s@@\nes t\n')).toThrow(/line 2/);
    expect(() => Subwords.parse('a@@ b c\n')).toThrow(/line 1/);
  });
});

describe('joinPieces', () => {
  it('joins continued pieces into words and maps each piece to its word', () => {
    expect(joinPieces(['low@@', 'est', 'x', 'n@@', 'ew'])).toEqual({
      words: ['lowest', 'x', 'new'],
      wordOf: [0, 0, 1, 2, 2],
    });
  });

  it('ends a word at a continued piece with nothing after it, and keeps "@@" itself a word', () => {
    expect(joinPieces(['low@@'])).toEqual({ words: ['low'], wordOf: [0] });
    expect(joinPieces(['@@', 'a'])).toEqual({ words: ['@@', 'a'], wordOf: [0, 1] });
    expect(joinPieces(characters('@@'))).toEqual({ words: ['@@'], wordOf: [0, 0] });
  });
});

describe('rowsByWord', () => {
  it('sums a source word pieces weights and averages a target word pieces rows', () => {
    // target pieces t0 t1 (one word), t2; source pieces s0 s1 (one word), s2, then a padding column
    const rows = [
      [0.5, 0.25, 0.25, 0],
      [0.1, 0.1, 0.8, 0],
      [0, 0, 1, 0],
    ];
    const words = rowsByWord(rows, [0, 0, 1], [0, 0, 1]).map((row) => Array.from(row, (x) => Number(x.toFixed(4))));
    expect(words).toEqual([
      [0.475, 0.525],
      [0, 1],
    ]);
  });

  it('leaves rows of whole words as they are, padding cut', () => {
    expect(rowsByWord([[0.3, 0.7, 0]], [0, 1], [0]).map((r) => Array.from(r, (x) => Number(x.toFixed(4))))).toEqual([
      [0.3, 0.7],
    ]);
    expect(rowsByWord([], [0, 1], [])).toEqual([]);
  });
});
