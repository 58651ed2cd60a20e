import { describe, expect, it } from 'vitest';
import { STAND_INS, standInFor } from '../../src/core/dictionary/stand-ins.js';

describe('standInFor', () => {
  const all = () => true;

  it('gives the first candidate of the class that the piece does not hold and the model reads', () => {
    expect(standInFor('name', 'en', new Set(), all)).toBe('tom');
    expect(standInFor('name', 'en', new Set(['tom']), all)).toBe('mary');
    expect(standInFor('noun', 'ja', new Set(['箱']), (word) => word !== 'カメラ')).toBe('ペン');
  });

  it('gives none when every candidate is taken or unread, or the class has none (English nouns)', () => {
    expect(standInFor('place', 'ja', new Set(STAND_INS.ja.place), all)).toBeUndefined();
    expect(standInFor('place', 'en', new Set(), () => false)).toBeUndefined();
    expect(standInFor('noun', 'en', new Set(), all)).toBeUndefined();
  });

  it('has candidates that are distinct, and folded as the tokenizers fold them (lower case)', () => {
    for (const classes of Object.values(STAND_INS))
      for (const words of Object.values(classes)) {
        expect(new Set(words).size).toBe(words.length);
        for (const word of words) expect(word).toBe(word.normalize('NFKC').toLowerCase());
      }
  });
});
