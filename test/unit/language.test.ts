import { describe, expect, it } from 'vitest';
import { chooseDirection, detectLanguage, UnsupportedDirectionError } from '../../src/core/language.js';

const BOTH = ['en-ja', 'ja-en'];

describe('detectLanguage', () => {
  it.each([
    ['i like green tea .', 'en'],
    ['私は学生です。', 'ja'],
    ['カタカナ', 'ja'],
    ['ひらがな', 'ja'],
    ['漢字', 'ja'],
    ['I bought an iPhone を', 'en'], // the share of letters decides, not one kana
    ['I ate 寿司 in Tokyo yesterday.', 'en'],
    ['Toyota (トヨタ) is a car company.', 'en'],
    ['私はiPhoneを買った', 'ja'],
    ['東京タワーはTokyo Towerと呼ばれる', 'ja'],
    ['1234 !?', 'en'],
    ['Привет', 'en'], // no model reads it; auto falls back to English
  ])('%s -> %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});

describe('chooseDirection', () => {
  it('auto (or no direction) picks the served direction whose source matches the script', () => {
    expect(chooseDirection(undefined, 'hello .', BOTH)).toEqual({ direction: 'en-ja' });
    expect(chooseDirection('auto', '猫が好き', BOTH)).toEqual({ direction: 'ja-en' });
  });

  it('auto falls back to the first served direction, with a warning, when none matches', () => {
    const choice = chooseDirection('auto', '猫が好き', ['en-ja']);
    expect(choice.direction).toBe('en-ja');
    expect(choice.warning).toMatch(/looks like Japanese but no ja-\* model is served here; translated with en-ja/);
  });

  it('keeps an explicit direction and warns when the script does not match', () => {
    expect(chooseDirection('ja-en', '猫が好き', BOTH)).toEqual({ direction: 'ja-en' });
    expect(chooseDirection('ja-en', 'i like cats .', BOTH)).toEqual({
      direction: 'ja-en',
      warning: 'the text looks like English but ja-en translates from Japanese; set "direction" to "en-ja" or "auto"',
    });
    expect(chooseDirection('en-ja', '猫', ['en-ja']).warning).toMatch(/no model for that language is served here/);
  });

  it('rejects a direction that is not served, naming the served ones (the HTTP faces answer 400 unsupported_direction)', () => {
    expect(() => chooseDirection('ja-en', '猫', ['en-ja'])).toThrow(
      new UnsupportedDirectionError('direction "ja-en" is not served here; use "auto" or one of: en-ja'),
    );
  });
});
