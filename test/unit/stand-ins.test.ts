import { describe, expect, it } from 'vitest';
import { STAND_INS, standInFor } from '../../src/core/dictionary/stand-ins.js';
import { lostStandIns, retryLostStandIns } from '../../src/core/document/pieces.js';
import type { Masked } from '../../src/core/document/verbatim-mask.js';
import type { Translation } from '../../src/core/translation.js';

describe('standInFor', () => {
  const all = () => true;

  it('gives the first candidate of the class that the piece does not hold and the model reads', () => {
    expect(standInFor('name', 'en', new Set(), all)).toBe('tom');
    expect(standInFor('name', 'en', new Set(['tom']), all)).toBe('mary');
    expect(standInFor('noun', 'ja', new Set(['箱']), (word) => word !== 'カメラ')).toBe('ペン');
  });

  it('gives the next ones on later attempts, then none', () => {
    expect(standInFor('noun', 'ja', new Set(['箱']), (word) => word !== 'カメラ', 1)).toBe('ピアノ');
    expect(standInFor('name', 'en', new Set(), all, 3)).toBe('ken');
    expect(standInFor('name', 'en', new Set(), all, 4)).toBeUndefined();
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

describe('a sentence that lost a stand-in', () => {
  // One piece with a word read as a stand-in (スマホ -> 箱), whose translation annotates the word when it kept it.
  const piece: Masked = {
    text: 'この箱',
    spans: [
      {
        kind: 'dictionary',
        rule: 'word',
        source: { start: 2, end: 5, text: 'スマホ' },
        target: 'smartphone',
        read: '箱',
        tokens: ['箱'],
      },
    ],
  };
  const translation = (kept: boolean, text: string): Translation => ({
    translation: text,
    tokens: [text],
    score: 0,
    unknownWords: [],
    annotations: kept ? [{ kind: 'dictionary', source: 'スマホ', target: 'smartphone' }] : [],
  });

  it('counts the words read as stand-ins that its translation left out', () => {
    expect(lostStandIns({ pieces: [piece], translations: [translation(false, 'this')] })).toBe(1);
    expect(lostStandIns({ pieces: [piece], translations: [translation(true, 'this smartphone')] })).toBe(0);
  });

  it('is translated again until an attempt keeps the word, at most three times; the best attempt stays', () => {
    const attempts: number[] = [];
    const kept = { pieces: [piece], translations: [translation(false, 'first')] };
    retryLostStandIns([kept], (batch, attempt) => {
      attempts.push(attempt);
      for (const s of batch) s.translations = [translation(attempt === 1, `attempt ${attempt}`)];
    });
    expect(attempts).toEqual([1]);
    expect(kept.translations[0]!.translation).toBe('attempt 1');

    attempts.length = 0;
    const lost = { pieces: [piece], translations: [translation(false, 'first')] };
    retryLostStandIns([lost], (batch, attempt) => {
      attempts.push(attempt);
      for (const s of batch) s.translations = [translation(false, `attempt ${attempt}`)];
    });
    expect(attempts).toEqual([1, 2]);
    expect(lost.translations[0]!.translation).toBe('first'); // none did better: the first
  });

  it('sentences still losing a word are translated again together, one batch an attempt', () => {
    const a = { pieces: [piece], translations: [translation(false, 'a')] };
    const b = { pieces: [piece], translations: [translation(false, 'b')] };
    const batches: number[] = [];
    retryLostStandIns([a, b], (batch, attempt) => {
      batches.push(batch.length);
      for (const s of batch) s.translations = [translation(s === a && attempt === 1, `attempt ${attempt}`)];
    });
    expect(batches).toEqual([2, 1]); // a kept its word at attempt 1
    expect([a.translations[0]!.translation, b.translations[0]!.translation]).toEqual(['attempt 1', 'b']);
  });

  it('is not translated again when it kept every word', () => {
    const done = { pieces: [piece], translations: [translation(true, 'this smartphone')] };
    retryLostStandIns([done], () => expect.unreachable());
  });
});
