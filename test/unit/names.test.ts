// Names (src/core/names, docs/names.md): the rules on examples, and the figures of train/records/names.json measured
// again on the committed held-out samples (train/eval/names-*.test.tsv, japanese-names.test.tsv), which no part of
// the shipped data was built from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isNameCandidate,
  japaneseName,
  nameOf,
  staysLatin,
  toEnglish,
  toHepburn,
  toKatakana,
  transliterateName,
} from '../../src/core/names/index.js';
import { NAMES_MODEL, NAMES_TABLE } from '../../src/core/names/data.js';
import { NameTable } from '../../src/core/names/japanese.js';
import { JointSequenceModel } from '../../src/core/names/joint-sequence.js';
import { score, scoreTableNames, type HeldOut } from '../../train/names/score.js';

const record = JSON.parse(readFileSync('train/records/names.json', 'utf8')) as {
  figures: Record<string, { exact: number; cer: number; covered?: number }>;
};
const model = new JointSequenceModel(NAMES_MODEL); // the figures are the model's: the lexicon of common names aside
const heldOut = (file: string): HeldOut[] =>
  readFileSync(`train/eval/${file}`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t') as [string, string])
    .map(([input, refs]) => ({ input, references: refs.split('|') }));

describe('English names to katakana', () => {
  it('writes common English names as Japanese does', () => {
    expect(['John', 'Emily', 'Smith', 'Michael'].map(toKatakana)).toEqual(['ジョン', 'エミリー', 'スミス', 'マイケル']);
  });

  it('writes each part of a hyphenated name, joined by ＝, and ignores apostrophes and accents', () => {
    expect(toKatakana('Jean-Paul')).toMatch(/^[\p{Script=Katakana}ー]+＝[\p{Script=Katakana}ー]+$/u);
    expect(toKatakana("O'Brien")).toBe(toKatakana('OBrien'));
    expect(toKatakana('José')).toBe(toKatakana('Jose'));
  });

  it('refuses what is not a Latin word', () => {
    for (const word of ['', '東京', 'a b', '😀', 'x'.repeat(2000), 'ab\u0007c', '-'])
      expect(toKatakana(word)).toBeUndefined();
  });

  it('matches the held-out figure on the committed sample', () => {
    const measured = score(heldOut('names-en-ja.test.tsv'), (input) => model.transliterate(input, 'en'));
    const full = record.figures['test en-ja']!;
    expect(measured.inputs).toBeGreaterThan(1000);
    expect(Math.abs(measured.exact - full.exact)).toBeLessThan(0.04);
    expect(Math.abs(measured.cer - full.cer)).toBeLessThan(0.03);
    expect(measured.exact).toBeGreaterThan(0.3);
  });
});

describe('katakana names to English', () => {
  it('spells katakana names in English letters, capitalised', () => {
    expect(toEnglish('ジョン')).toBe('John');
    expect(toEnglish('スミス')).toBe('Smith');
    expect(toEnglish('abc')).toBeUndefined();
  });

  it('matches the held-out figure on the committed sample', () => {
    const measured = score(heldOut('names-ja-en.test.tsv'), (input) => model.transliterate(input, 'ja'));
    const full = record.figures['test ja-en']!;
    expect(Math.abs(measured.exact - full.exact)).toBeLessThan(0.04);
    expect(Math.abs(measured.cer - full.cer)).toBeLessThan(0.03);
  });
});

describe('Japanese names to Hepburn', () => {
  it('writes readings as people write names in English: long vowels once, no apostrophe, capitalised', () => {
    expect(toHepburn('さくら')).toBe('Sakura');
    expect(toHepburn('とうきょう')).toBe('Tokyo');
    expect(toHepburn('さとう')).toBe('Sato');
    expect(toHepburn('おおの')).toBe('Ono');
    expect(toHepburn('いのうえ')).toBe('Inoue');
    expect(toHepburn('しんいち')).toBe('Shinichi');
    expect(toHepburn('やまだ たろう')).toBe('Yamada Taro');
    expect(toHepburn('tokyo')).toBeUndefined();
  });

  it('reads kanji names from the table, a full name family name first', () => {
    expect(japaneseName('田中')?.latin).toBe('Tanaka');
    expect(japaneseName('山田太郎')).toMatchObject({ latin: 'Yamada Taro', kind: 'full' });
    expect(japaneseName('東京')?.latin).toBe('Tokyo');
    expect(japaneseName('机上の空論')).toBeUndefined();
  });

  it("names a place of the table with its kind: 渋谷駅 is Shibuya Station, and 駅 alone or a word's 駅 is none", () => {
    expect(nameOf('渋谷駅', 'ja-en')).toMatchObject({ text: 'Shibuya Station', how: 'table' });
    expect(nameOf('東京大学', 'ja-en')?.text).toBe('Tokyo University');
    expect(nameOf('駅', 'ja-en')).toBeUndefined();
    expect(nameOf('机上の空論駅', 'ja-en')).toBeUndefined();
  });

  it('matches the held-out figure on ENAMDICT full names', () => {
    const rows = readFileSync('train/eval/japanese-names.test.tsv', 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t') as [string, string]);
    const measured = scoreTableNames(
      new NameTable(NAMES_TABLE),
      rows.map(([surface, latin]) => ({ surface, latin })),
    );
    const full = record.figures['full names']!;
    expect(Math.abs(measured.exact - full.exact)).toBeLessThan(0.04);
    expect(Math.abs(measured.covered! - full.covered!)).toBeLessThan(0.04);
  });
});

describe('what is a name, and what stays Latin', () => {
  it('keeps Latin-script brands as written (by form and by the list)', () => {
    for (const word of ['iPhone', 'YouTube', 'eBay', 'NASA', 'PS5', 'Wi-Fi', 'Netflix', 'Google'])
      expect(staysLatin(word)).toBe(true);
    for (const word of ['John', 'McDonald', "O'Brien", 'Jean-Paul', 'Microsoft']) expect(staysLatin(word)).toBe(false);
  });

  it('takes a capitalised word in mid-sentence that the model does not know as a name candidate', () => {
    const known = (word: string) => ['tom', 'the'].includes(word);
    expect(isNameCandidate('Emily', false, known)).toBe(true);
    expect(isNameCandidate('Emily', true, known)).toBe(false);
    expect(isNameCandidate('Tom', false, known)).toBe(false);
    expect(isNameCandidate('emily', false, known)).toBe(false);
    expect(isNameCandidate('iPhone', false, known)).toBe(false);
  });

  it('nameOf says what a word becomes each way, and how', () => {
    expect(nameOf('Emily', 'en-ja')).toEqual({ text: 'エミリー', how: 'transliterated' });
    expect(nameOf('Netflix', 'en-ja')).toEqual({ text: 'Netflix', how: 'latin' });
    expect(nameOf('Tanaka', 'en-ja')).toMatchObject({ text: '田中', how: 'table' });
    expect(nameOf('Kyoto', 'en-ja')).toMatchObject({ text: '京都', how: 'table' });
    expect(nameOf('Shinichi', 'en-ja')).toEqual({ text: 'シンイチ', how: 'table', kind: 'g' });
    expect(nameOf('ジョン', 'ja-en')).toEqual({ text: 'John', how: 'transliterated' });
    expect(nameOf('田中', 'ja-en')).toMatchObject({ text: 'Tanaka', how: 'table', kind: 's' });
    expect(nameOf('iPhone', 'ja-en')).toEqual({ text: 'iPhone', how: 'latin' });
    expect(transliterateName('Netflix', 'en-ja')).toBeUndefined();
    expect(transliterateName('Smith', 'en-ja')).toBe('スミス');
  });

  it('gives nothing for absurd input, and no crash', () => {
    for (const word of ['', 'x'.repeat(2000), '😀😀', '\u0000\u0001', 'が', 'です']) {
      expect(nameOf(word, 'en-ja')).toBeUndefined();
      expect(nameOf(word, 'ja-en')).toBeUndefined();
    }
  });
});
