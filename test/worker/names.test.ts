// The names module inside workerd (no fs, no eval, the data imported as a module): the same answers as in Node
// (test/unit/names.test.ts measures them), so the Worker, Node and the page agree.
import { describe, expect, it } from 'vitest';
import { nameOf, toHepburn, toKatakana } from '../../src/core/names/index.js';

describe('names in workerd', () => {
  it('transliterates English names, reads kanji names and kana readings, keeps brands', () => {
    expect(['John', 'Emily', 'Smith', 'Michael'].map(toKatakana)).toEqual(['ジョン', 'エミリー', 'スミス', 'マイケル']);
    expect(nameOf('山田太郎', 'ja-en')?.text).toBe('Yamada Taro');
    expect(nameOf('ジョン', 'ja-en')?.text).toBe('John');
    expect(nameOf('Netflix', 'en-ja')).toEqual({ text: 'Netflix', how: 'latin' });
    expect(toHepburn('さくら')).toBe('Sakura');
  });
});
