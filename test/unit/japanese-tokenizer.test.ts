import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getTokenizer } from '../../src/core/tokenize/index.js';
import {
  detokenizeJapanese,
  tokenizeByVocabulary,
  tokenizeJapanese,
  tokenizeJapaneseSpaced,
} from '../../src/core/tokenize/japanese.js';

describe('tokenizeJapanese (TinySegmenter, raw input)', () => {
  it('segments text without spaces into words', () => {
    expect(tokenizeJapanese('私は学生です。')).toEqual(['私', 'は', '学生', 'です', '。']);
  });

  it('round-trips: the tokens join back into the (normalised) text, for every line of the tiny corpus', () => {
    const lines = readFileSync(new URL('../fixtures/tiny/train.ja', import.meta.url), 'utf8')
      .trim()
      .split('\n');
    for (const line of lines) {
      const raw = line.replaceAll(' ', '');
      expect(detokenizeJapanese(tokenizeJapanese(raw))).toBe(raw.normalize('NFKC').toLowerCase());
    }
  });

  it('is deterministic: the same text always gives the same tokens (training and serving agree)', () => {
    const text = '彼はつらい人生を送った。ごめんなさい。早く帰らなくちゃ。';
    expect(tokenizeJapanese(text)).toEqual(tokenizeJapanese(text));
  });

  it('normalises width and case (NFKC, lower case) and drops whitespace', () => {
    expect(tokenizeJapanese('ＡＢＣを　買った')).toEqual(tokenizeJapanese('abcを買った'));
    expect(tokenizeJapanese('ｶﾀｶﾅ')).toEqual(tokenizeJapanese('カタカナ'));
    expect(tokenizeJapanese(' \t ')).toEqual([]);
  });

  it('keeps surrogate pairs (emoji, rare kanji) whole', () => {
    const tokens = tokenizeJapanese('𠮷野家で🍣を食べた');
    expect(tokens.join('')).toBe('𠮷野家で🍣を食べた');
    for (const token of tokens) expect(token).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/); // no half pair at either end
  });
});

describe('tokenizeJapaneseSpaced', () => {
  it('splits segmented text on whitespace', () => {
    expect(tokenizeJapaneseSpaced('私 は テニス 部員 で す 。')).toEqual([
      '私',
      'は',
      'テニス',
      '部員',
      'で',
      'す',
      '。',
    ]);
  });

  it('ignores leading, trailing and repeated whitespace, including ideographic spaces', () => {
    expect(tokenizeJapaneseSpaced('  自分 \t の\u3000事 \n')).toEqual(['自分', 'の', '事']);
    expect(tokenizeJapaneseSpaced(' ')).toEqual([]);
  });
});

describe('detokenizeJapanese', () => {
  it('joins tokens without spaces', () => {
    expect(detokenizeJapanese(['エミ', 'は', '幸せ', 'そう', 'に', '見え', 'ま', 'す', '。'])).toBe(
      'エミは幸せそうに見えます。',
    );
    expect(detokenizeJapanese([])).toBe('');
  });
});

describe('getTokenizer', () => {
  it('finds the tokenizers named in artifact manifests', () => {
    expect(getTokenizer('english').tokenize("I'm here.")).toEqual(['i', "'m", 'here', '.']);
    expect(getTokenizer('japanese-spaced').detokenize(['私', 'は'])).toBe('私は');
    expect(getTokenizer('english').name).toBe('english');
  });

  it('rejects an unknown name and lists the known ones', () => {
    expect(() => getTokenizer('klingon')).toThrow(
      'unknown tokenizer "klingon"; known tokenizers: "english", "japanese", "japanese-spaced"',
    );
    expect(() => getTokenizer('toString')).toThrow('unknown tokenizer "toString"');
  });
});

describe("tokenizeByVocabulary (raw text as a vocabulary's longest tokens)", () => {
  const vocab = new Set(['私', 'は', '学生', '学', 'です', '。', 'abc']);
  const known = (token: string) => vocab.has(token);

  it('takes the longest known token at each position, a character of its own where none starts', () => {
    expect(tokenizeByVocabulary('私は学生です。', known)).toEqual(['私', 'は', '学生', 'です', '。']);
    expect(tokenizeByVocabulary('私は猫です', known)).toEqual(['私', 'は', '猫', 'です']);
  });

  it('normalizes as the serving tokenizer does and drops whitespace', () => {
    expect(tokenizeByVocabulary('ＡＢＣ 私', known)).toEqual(['abc', '私']);
  });

  it('is what the japanese-spaced tokenizer reads raw text with', () => {
    expect(getTokenizer('japanese-spaced').tokenizeRaw?.('学生です', known)).toEqual(['学生', 'です']);
  });
});
