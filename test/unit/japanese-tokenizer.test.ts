import { describe, expect, it } from 'vitest';
import { getTokenizer } from '../../src/tokenize/index.js';
import { detokenizeJapanese, tokenizeJapaneseSpaced } from '../../src/tokenize/japanese.js';

describe('tokenizeJapaneseSpaced', () => {
  it('splits segmented text on whitespace', () => {
    expect(tokenizeJapaneseSpaced('私 は テニス 部員 で す 。')).toEqual(['私', 'は', 'テニス', '部員', 'で', 'す', '。']);
  });

  it('ignores leading, trailing and repeated whitespace, including ideographic spaces', () => {
    expect(tokenizeJapaneseSpaced('  自分 \t の\u3000事 \n')).toEqual(['自分', 'の', '事']);
    expect(tokenizeJapaneseSpaced(' ')).toEqual([]);
  });
});

describe('detokenizeJapanese', () => {
  it('joins tokens without spaces', () => {
    expect(detokenizeJapanese(['エミ', 'は', '幸せ', 'そう', 'に', '見え', 'ま', 'す', '。'])).toBe('エミは幸せそうに見えます。');
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
    expect(() => getTokenizer('klingon')).toThrow('unknown tokenizer "klingon"; known tokenizers: "english", "japanese-spaced"');
    expect(() => getTokenizer('toString')).toThrow('unknown tokenizer "toString"');
  });
});
