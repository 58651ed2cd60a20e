import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, SPECIAL_TOKEN_TEXT } from '../../src/core/artifact.js';
import { Vocab } from '../../src/core/vocab.js';

const SPECIALS = [...SPECIAL_TOKEN_TEXT];
const sentences = [
  ['the', 'cat', 'sat', '.'],
  ['the', 'dog', 'sat', '.'],
  ['a', 'cat', '.'],
];
const vocabText = (...tokens: string[]) => [...SPECIALS, ...tokens].join('\n') + '\n';

describe('Vocab.build', () => {
  it('puts the special tokens first, then tokens by count, ties in code point order', () => {
    // counts: "." 3, cat 2, sat 2, the 2, a 1, dog 1
    const vocab = Vocab.build(sentences);
    expect(vocab.toText()).toBe(vocabText('.', 'cat', 'sat', 'the', 'a', 'dog'));
    expect(vocab.size).toBe(10);
  });

  it('gives the same vocabulary whatever the sentence order', () => {
    expect(Vocab.build([...sentences].reverse()).toText()).toBe(Vocab.build(sentences).toText());
  });

  it('orders ties by code point, not by UTF-16 unit', () => {
    // U+FF21 (full-width A) comes before U+1F600 (an emoji), although the emoji's first UTF-16 unit 0xD83D is smaller
    expect(Vocab.build([['\u{1f600}', '\uff21', 'b', 'ab', 'a']]).toText()).toBe(
      vocabText('a', 'ab', 'b', '\uff21', '\u{1f600}'),
    );
  });

  it('keeps at most maxSize ids, special tokens included', () => {
    expect(Vocab.build(sentences, { maxSize: 6 }).toText()).toBe(vocabText('.', 'cat'));
    expect(Vocab.build(sentences, { maxSize: 4 }).size).toBe(4);
  });

  it('drops tokens seen fewer than minCount times', () => {
    expect(Vocab.build(sentences, { minCount: 2 }).toText()).toBe(vocabText('.', 'cat', 'sat', 'the'));
  });

  it('does not count special tokens found in the sentences', () => {
    expect(Vocab.build([['<unk>', 'x', '</s>']]).toText()).toBe(vocabText('x'));
  });

  it('rejects a maxSize too small for the special tokens, and empty or spaced tokens', () => {
    expect(() => Vocab.build(sentences, { maxSize: 3 })).toThrow(
      'maxSize must be at least 4 (the special tokens), got 3',
    );
    expect(() => Vocab.build([['a'], ['b', '']])).toThrow('sentence 2 has an empty or whitespace token: ""');
    expect(() => Vocab.build([['a b']])).toThrow('sentence 1 has an empty or whitespace token: "a b"');
  });
});

describe('Vocab lookups', () => {
  const vocab = Vocab.build(sentences);

  it('maps tokens to ids and back', () => {
    expect(vocab.id('.')).toBe(4);
    expect(vocab.token(4)).toBe('.');
    expect(vocab.id('<s>')).toBe(SPECIAL_TOKENS.start);
    expect(vocab.token(SPECIAL_TOKENS.end)).toBe('</s>');
  });

  it('gives the <unk> id to unknown tokens and tells which tokens it has', () => {
    expect(vocab.id('zebra')).toBe(SPECIAL_TOKENS.unk);
    expect(vocab.has('zebra')).toBe(false);
    expect(vocab.has('cat')).toBe(true);
  });

  it('encodes a token sequence', () => {
    expect(vocab.encode(['the', 'zebra', 'sat', '.'])).toEqual([7, 1, 6, 4]);
  });

  it('rejects ids outside the vocabulary', () => {
    expect(() => vocab.token(10)).toThrow('token id 10 is outside the vocabulary (size 10)');
    expect(() => vocab.token(-1)).toThrow('token id -1 is outside the vocabulary');
    expect(() => vocab.token(1.5)).toThrow('token id 1.5 is outside the vocabulary');
  });
});

describe('Vocab.parse', () => {
  it('reads back what toText writes', () => {
    const vocab = Vocab.build(sentences);
    const parsed = Vocab.parse(vocab.toText());
    expect(parsed.toText()).toBe(vocab.toText());
    expect(parsed.id('dog')).toBe(vocab.id('dog'));
  });

  it('accepts a file without a trailing newline', () => {
    expect(Vocab.parse(vocabText('x').trimEnd()).id('x')).toBe(4);
  });

  it('requires the special tokens in their places', () => {
    expect(() => Vocab.parse('<unk>\n<pad>\n<s>\n</s>\n')).toThrow(
      'vocab line 1 must be the special token "<pad>", found "<unk>"',
    );
    expect(() => Vocab.parse('<pad>\n<unk>\n')).toThrow(
      'vocab line 3 must be the special token "<s>", found "(end of file)"',
    );
    expect(() => Vocab.parse('')).toThrow('vocab line 1 must be the special token "<pad>"');
  });

  it('rejects empty lines, whitespace and duplicates, naming the line', () => {
    expect(() => Vocab.parse(vocabText('a', '', 'b'))).toThrow('vocab line 6 is empty');
    expect(() => Vocab.parse(vocabText('a', 'b\r'))).toThrow('vocab line 6 has whitespace in token "b\\r"');
    expect(() => Vocab.parse(vocabText('a', 'b', 'a'))).toThrow('vocab line 7: token "a" already on line 5');
    expect(() => Vocab.parse(vocabText('<s>'))).toThrow('vocab line 5: token "<s>" already on line 3');
  });
});
