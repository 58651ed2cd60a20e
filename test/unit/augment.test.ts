// What training pairs teach beyond their words (train/augment.ts): placeholders on aligned spans, register tags;
// the register rules (src/core/register.ts); the attention targets of a batch (train/batches.ts guide).
import { describe, expect, it } from 'vitest';
import { inRegisterFirst, registerFor, registerOf, FormalityError } from '../../src/core/register.js';
import { augmentPairs, RARE_RANK, spanCandidates, type Reserved } from '../../train/augment.js';
import { makeBatch, type Pair } from '../../train/batches.js';
import { seededRandom } from '../../train/random.js';

const reserved: Reserved = {
  placeholders: { source: [9001, 9002], target: [8001, 8002] },
  registers: { polite: 9100, plain: 9101 },
};
const noNumbers = () => false;
// "john 's car is red ." -> "ジョン の 車 は 赤 い 。" with john rare (id >= RARE_RANK)
const john = RARE_RANK + 5;
const pair: Pair = {
  source: [john, 20, 30, 40, 50, 4],
  target: [700, 12, 13, 14, 15, 16, 5],
  links: [
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [4, 5],
    [5, 6],
  ],
  register: 'plain',
};

describe('placeholders', () => {
  it('a candidate is a rare word or a number aligned to consecutive target tokens that align to nothing else', () => {
    expect(spanCandidates(pair, noNumbers)).toEqual([[0, 0, 1]]);
    expect(spanCandidates(pair, (id) => id === 50)).toEqual([
      [0, 0, 1],
      [4, 4, 6],
    ]);
    // a word whose target is shared with another source word is no candidate
    expect(spanCandidates({ ...pair, links: [...pair.links!, [1, 0]] }, noNumbers)).toEqual([]);
  });

  it('replaces the span on both sides by the same placeholder and moves the links with the tokens', () => {
    const [out] = augmentPairs(
      [pair],
      { placeholderRate: 1, formality: 0 },
      reserved,
      seededRandom(1),
      (id) => id === 50,
    );
    // both candidates (john, and "red" -> 2 tokens) or john alone, numbered in source order
    if (out!.source[4] === 9002) {
      expect(out!.source).toEqual([9001, 20, 30, 40, 9002, 4]);
      expect(out!.target).toEqual([8001, 12, 13, 14, 8002, 5]);
      expect(out!.links).toEqual([
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
        [5, 5],
      ]);
    } else {
      expect(out!.source).toEqual([9001, 20, 30, 40, 50, 4]);
      expect(out!.target).toEqual([8001, 12, 13, 14, 15, 16, 5]);
    }
  });

  it('with --unknown-insert-rate, inserts <unk> before a word and before its first aligned target token', () => {
    const [out] = augmentPairs(
      [pair],
      { placeholderRate: 0, unknownInsertRate: 1, formality: 0 },
      {},
      seededRandom(3),
      noNumbers,
    );
    const s = out!.source.indexOf(1);
    const t = out!.target.indexOf(1);
    expect(out!.source.filter((id) => id !== 1)).toEqual(pair.source);
    expect(out!.target.filter((id) => id !== 1)).toEqual(pair.target);
    expect(Math.min(...pair.links!.filter(([a]) => a === s).map(([, b]) => b))).toBe(t); // the word after it, aligned
    expect(out!.links).toContainEqual([s, t]);
    expect(out!.links).toContainEqual([s + 1, t + 1]); // the word itself, shifted
  });

  it('leaves a share of 1 - rate untouched', () => {
    const pairs = Array.from({ length: 1000 }, () => pair);
    const out = augmentPairs(pairs, { placeholderRate: 0.2, formality: 0 }, reserved, seededRandom(2), noNumbers);
    const changed = out.filter((p) => p !== pair).length;
    expect(changed).toBeGreaterThan(150);
    expect(changed).toBeLessThan(250);
  });
});

describe('register tags', () => {
  it('prepend the tag of the target register and shift the links', () => {
    const [out] = augmentPairs([pair], { placeholderRate: 0, formality: 1 }, reserved, seededRandom(1), noNumbers);
    expect(out!.source).toEqual([9101, ...pair.source]);
    expect(out!.links![0]).toEqual([1, 0]);
    expect(out!.target).toEqual(pair.target);
  });

  it('put it around the source with --register-tag around: the links shift by the first one', () => {
    const [out] = augmentPairs(
      [pair],
      { placeholderRate: 0, formality: 1, registerTag: 'around' },
      reserved,
      seededRandom(1),
      noNumbers,
    );
    expect(out!.source).toEqual([9101, ...pair.source, 9101]);
    expect(out!.links![0]).toEqual([1, 0]);
  });

  it('tag nothing without a register or without the reserved tokens', () => {
    const { register: _, ...bare } = pair;
    expect(augmentPairs([bare], { placeholderRate: 0, formality: 1 }, reserved, seededRandom(1), noNumbers)[0]).toBe(
      bare,
    );
    expect(augmentPairs([pair], { placeholderRate: 1, formality: 1 }, {}, seededRandom(1), noNumbers)[0]).toBe(pair);
  });
});

describe('the register of Japanese text', () => {
  it.each([
    ['私 は 学生 で す 。', 'polite'],
    ['駅 は どこ で す か 。', 'polite'],
    ['昨日 東京 へ 行 き ま し た 。', 'polite'],
    ['窓 を 開け て くださ い 。', 'polite'],
    ['一緒 に 行 き ま しょ う 。', 'polite'],
    ['ありがとう ござ い ま す 。', 'polite'],
    ['私 は 学生 だ 。', 'plain'],
    ['彼 は 昨日 東京 へ 行 っ た 。', 'plain'],
    ['この 本 は 面白 い 。', 'plain'],
    ['雨 が 降 る でしょ う か 。', 'polite'],
    ['ちょっと 待 っ て 。', 'plain'],
  ])('%s is %s', (text, register) => expect(registerOf(text)).toBe(register));
});

describe('outputs in the asked register first', () => {
  const outputs = ['彼 は 行 っ た 。', '彼 は 行 き ま し た 。', '行 っ た 。', '行 き ま す 。'];
  it('puts those in the register first, each group in its order', () => {
    expect(inRegisterFirst(outputs, (o) => o, 'polite')).toEqual([outputs[1], outputs[3], outputs[0], outputs[2]]);
    expect(inRegisterFirst(outputs, (o) => o, 'plain')).toEqual([outputs[0], outputs[2], outputs[1], outputs[3]]);
  });

  it('keeps the order where none or all are in it', () => {
    expect(inRegisterFirst([outputs[0], outputs[2]], (o) => o, 'polite')).toEqual([outputs[0], outputs[2]]);
  });
});

describe('DeepL formality', () => {
  it('more and less ask for a register where the model has them', () => {
    expect(registerFor('more', true, 'm')).toBe('polite');
    expect(registerFor('prefer_less', true, 'm')).toBe('plain');
    expect(registerFor('default', true, 'm')).toBeUndefined();
  });

  it('prefer_* fall back where it has none, more and less are refused', () => {
    expect(registerFor('prefer_more', false, 'm')).toBeUndefined();
    expect(() => registerFor('less', false, 'ja-en@1')).toThrow(FormalityError);
  });
});

describe('guided alignment targets', () => {
  it('decoder step t of a batch spreads 1 over the source tokens linked to target token t', () => {
    const batch = makeBatch(
      [
        {
          source: [5, 6, 7],
          target: [8, 9],
          links: [
            [0, 0],
            [2, 0],
            [1, 1],
          ],
        },
        { source: [5], target: [8] },
      ],
      2,
      3,
    );
    const { S, T, guide } = batch;
    expect([S, T]).toEqual([3, 3]);
    const row = (b: number, t: number) => Array.from(guide!.subarray((b * T + t) * S, (b * T + t + 1) * S));
    expect(row(0, 0)).toEqual([0.5, 0, 0.5]);
    expect(row(0, 1)).toEqual([0, 1, 0]);
    expect(row(0, 2)).toEqual([0, 0, 0]); // </s>
    expect(row(1, 0)).toEqual([0, 0, 0]); // a pair without links
  });

  it('batches without links have no guide', () => {
    expect(makeBatch([{ source: [5], target: [8] }], 2, 3).guide).toBeUndefined();
  });
});
