// On real text with the shipped models (model-artifacts/<direction>), the sentences of one translate() call,
// searched together, get exactly what each gets searched alone: tokens, scores, n-best lists and alignments, with
// unknown words replaced, and with the artifact's shortlist on and off.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTokenizer } from '../../src/core/tokenize/index.js';
import type { Translator } from '../../src/core/translator.js';
import type { Translation, TranslateOptions } from '../../src/core/translation.js';
import { initNodeBackend } from '../../train/backend.js';
import { loadModelDir } from '../../train/model-dir.js';

/** The first dev lines of ../shared/data/small_parallel_enja (corpus tokens), and one with names the vocabulary lacks. */
const DEV: Record<string, string[]> = {
  en: [
    'show your own business .',
    'he lived a hard life .',
    "no . i 'm sorry , i 've got to go back early .",
    'she wrote to me to come at once .',
    "i can 't swim at all .",
    'is there any hope of his success ?',
    "i 'll pick him up at 5 .",
    "it 's so lovely a day .",
    "you 've just been down in the dumps .",
    'choose one from among these .',
    'he loves no one but her .',
    'i study english every day .',
    'zarathustra met quetzalcoatl in ouagadougou .',
  ],
  ja: [
    '自分 の 事 を しろ 。',
    '彼 は つら い 人生 を 送 っ た 。',
    'ごめん なさ い 。 早 く 帰 ら な く ちゃ 。',
    '彼女 は 私 に すぐ 来 い と の 便り を よこ し た 。',
    '私 は 少し も 泳げ な い 。',
    '彼 の 成功 の 見込み は あ り ま す か 。',
    '私 は ５ 時 に 彼 を 迎え に 行 く つもり で す 。',
    '本当 に い い 天気 だ 。',
    'ただ 気分 が 落ち込 ん で い る だけ さ 。',
    'これ ら の 中 から １ つ 選 び な さ い 。',
    '彼女 以外 の 誰 も 愛 さ な い 。',
    '私 は 毎日 英語 の 勉強 を する 。',
    'ザラスシュトラ は ワガドゥグー で ケツァルコアトル に 会 っ た 。',
  ],
};

const shipped = ['en-ja', 'ja-en']
  .map((direction) => join('model-artifacts', direction))
  .filter((dir) => existsSync(join(dir, 'manifest.json')));

/** Everything a search decides, with alignment weights to 3 digits (they are rounded to 4 in the output). */
const decided = (t: Translation) => ({
  tokens: t.tokens,
  score: expectCloseTo(t.score),
  nbest: t.nbest?.map((alt) => ({ tokens: alt.tokens, score: expectCloseTo(alt.score) })),
  alignment: t.alignment?.weights.map((row) => row.map((w) => expect.closeTo(w, 3))),
});
const expectCloseTo = (x: number) => expect.closeTo(x, 4);
const plain = (t: Translation) => ({
  tokens: t.tokens,
  score: t.score,
  nbest: t.nbest?.map((alt) => ({ tokens: alt.tokens, score: alt.score })),
  alignment: t.alignment?.weights,
});

describe.each(shipped)('%s', (dir) => {
  let translator: Translator;
  let texts: string[];
  beforeAll(async () => {
    await initNodeBackend('wasm');
    translator = await loadModelDir(dir);
    const { lang, tokenizer } = translator.manifest.source;
    texts = DEV[lang].map((line) => getTokenizer(tokenizer).detokenize(line.split(' ')));
  });

  it.each([
    [2, true],
    [4, true],
    [10, true],
    [4, false],
  ])('at beam %i (shortlist %s), searches a batch exactly as each sentence alone', (beam, shortlist) => {
    const options: TranslateOptions = { beam, nbest: beam, alignment: true, replaceUnknown: true, shortlist };
    const batch = translator.translate(texts, options).translations;
    texts.forEach((text, i) => {
      const [alone] = translator.translate([text], options).translations;
      expect(plain(batch[i])).toEqual(decided(alone));
    });
    expect(batch.at(-1)?.unknownWords.length).toBeGreaterThan(0);
  });
});
