// The bilingual dictionary: EDICT read and compiled (train/dictionary), looked up (src/core/dictionary/dictionary.ts),
// opened as an artifact with its sha256s, and the rules that turn a word the model cannot read into a translation, a
// kept spelling or nothing (unknown-words.ts), English noun forms and truecasing. On a fixture of real EDICT lines
// (test/fixtures/dictionary), so no package is fetched.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { SpanAnnotation } from '../../src/core/annotation.js';
import { ArtifactError } from '../../src/core/artifact.js';
import { DICTIONARY_FILES, openDictionary } from '../../src/core/dictionary/artifact.js';
import { Dictionary, DictionaryError } from '../../src/core/dictionary/dictionary.js';
import { articleFor, fitNouns, nounForm } from '../../src/core/dictionary/english-form.js';
import { truecaseTokens } from '../../src/core/dictionary/truecase.js';
import {
  handleUnknownWords,
  hasWordsToHandle,
  lookable,
  singulars,
  type TokenSpan,
} from '../../src/core/dictionary/unknown-words.js';
import { markKnownSpans, markKnownTerms } from '../../src/core/document/carriers.js';
import type { Alignment } from '../../src/core/align.js';
import { maskVerbatim, placeEveryPlaceholder, unmaskVerbatim } from '../../src/core/document/verbatim-mask.js';
import { sha256Hex } from '../../src/core/open-artifact.js';
import { getTokenizer } from '../../src/core/tokenize/index.js';
import { tokenSpans } from '../../src/core/tokenize/spans.js';
import { compileDictionary } from '../../train/dictionary/compile.js';
import { parseEdict, parseEnamdict } from '../../train/dictionary/edict.js';

const FIXTURE = 'test/fixtures/dictionary';
const eucJp = (bytes: Uint8Array) => new TextDecoder('euc-jp').decode(bytes); // the packages' encoding
const entries = parseEdict(eucJp(readFileSync(`${FIXTURE}/edict`)));
const corpus = {
  ja: (word: string) => ({ 電池: 5, 会合: 3, 会議: 2 })[word] ?? 0,
  en: (word: string) => ({ battery: 4 })[word] ?? 0,
};
const compiled = compileDictionary(entries, corpus);
const dictionary = Dictionary.parse(compiled.files);

describe('reading EDICT', () => {
  it('reads headword, reading, (P) and senses with their part of speech and tags', () => {
    const [phone] = entries.filter((e) => e.headword === '携帯');
    expect(phone).toMatchObject({ reading: 'けいたい', common: true });
    expect(phone!.senses[1]).toEqual({ pos: ['n'], misc: ['abbr', 'uk'], glosses: ['mobile phone', 'cell phone'] });
    expect(entries.find((e) => e.reading === 'たばこ')!.senses[0]).toMatchObject({ pos: ['n'], misc: ['gikun', 'uk'] }); // tags before the number
    expect(entries.find((e) => e.headword === 'イメージ')!.senses[1]!.glosses).toEqual(['(computer) image']); // not a tag
  });

  it('reads ENAMDICT names with their kinds', () => {
    const names = parseEnamdict(eucJp(readFileSync(`${FIXTURE}/enamdict`)));
    expect(names.find((n) => n.headword === '東京' && n.reading === 'とうきょう')).toMatchObject({
      kinds: ['p', 's'],
      glosses: ['Tokyo'],
    });
  });
});

describe('the compiled dictionary', () => {
  it('translates an English noun into the Japanese of its best sense: (P), a plain sense, then the corpus', () => {
    expect(dictionary.translate('battery', 'en')?.target).toBe('電池');
    expect(dictionary.translate('smartphone', 'en')?.target).toBe('スマートフォン'); // not the abbreviation スマホ
    expect(dictionary.translate('meeting', 'en')?.target).toBe('会合'); // the corpus has it more often
    expect(dictionary.translate('laptop', 'en')?.target).toBe('ラップトップ'); // ノート's "laptop" is its third sense
    expect(dictionary.translate('printer', 'en')?.target).toBe('プリンター'); // EDICT's プリンタ first: the long vowel
  });

  it('gives a Japanese noun its English and a particle or a pronoun none', () => {
    expect(dictionary.translate('パスワード', 'ja')).toMatchObject({ target: 'password', common: true, proper: false });
    expect(dictionary.translate('東京', 'ja')).toMatchObject({ target: 'Tokyo', proper: true });
    expect(dictionary.translate('の', 'ja')).toBeUndefined();
    expect(dictionary.translate('が', 'ja')).toBeUndefined();
    expect(dictionary.translate('私', 'ja')).toBeUndefined(); // its best entry is the pronoun, though わたくし is a noun too
  });

  it('leaves out what Japanese writes in Latin letters, and marks English words that are verbs too', () => {
    expect(dictionary.entries('wi-fi', 'en')).toEqual([]);
    expect(dictionary.translate('die', 'en')).toMatchObject({ target: 'サイコロ', verb: true });
    expect(dictionary.translate('reset', 'en')).toMatchObject({ target: 'リセット', suru: true });
  });

  it('looks up both ways with senses, and a kana spelling finds its kanji entry', () => {
    const [tobacco] = dictionary.entries('たばこ', 'ja');
    expect(tobacco).toMatchObject({ headword: '煙草', reading: 'たばこ', common: true, translation: 'tobacco' });
    const battery = dictionary.entries('Battery', 'en');
    expect(battery.map((e) => e.headword)).toEqual(['電池', 'バッテリー', '乾電池']);
    expect(battery[0]!.senses[0]).toEqual({ pos: ['n'], glosses: ['battery', 'cell'] });
  });

  it('refuses files that are not in its format', () => {
    expect(() => Dictionary.parse({ 'ja-en': 'b\t\t\t\tn:x\na\t\t\t\tn:y\n', 'en-ja': '' })).toThrow(DictionaryError); // out of order
    expect(() => Dictionary.parse({ 'ja-en': 'a\t\t\t\t@7\n', 'en-ja': '' })).toThrow('past the end');
    expect(() => Dictionary.parse({ 'ja-en': 'a\t\t\tn:y\n', 'en-ja': '' })).toThrow('fields');
  });
});

describe('the dictionary artifact', () => {
  const artifact = async () => {
    const files: Record<string, Uint8Array> = {
      [DICTIONARY_FILES['ja-en']]: gzipSync(compiled.files['ja-en']),
      [DICTIONARY_FILES['en-ja']]: gzipSync(compiled.files['en-ja']),
      'LICENCE.txt': new TextEncoder().encode('EDRDG licence'),
    };
    const listed = Object.fromEntries(
      await Promise.all(
        Object.entries(files).map(async ([p, b]) => [p, { bytes: b.byteLength, sha256: await sha256Hex(b) }]),
      ),
    );
    const licence = {
      name: 'CC BY-SA 3.0',
      holder: 'EDRDG',
      url: 'https://www.edrdg.org/edrdg/licence.html',
      file: 'LICENCE.txt',
      credit: 'EDICT, EDRDG',
    };
    const manifest = {
      format: 1,
      name: 'dictionary',
      version: 'test-1',
      licence,
      source: { edict: 'fixture' },
      entries: dictionary.entryCount,
      build: { command: 'test' },
      files: listed,
    };
    return { manifest, files };
  };
  const reader = (objects: Record<string, Uint8Array | string>) => async (path: string) => {
    const found = objects[path];
    if (found === undefined) throw new Error(`${path} missing`);
    return typeof found === 'string' ? new TextEncoder().encode(found) : found;
  };

  it('opens, checking every sha256, and reads the same dictionary', async () => {
    const { manifest, files } = await artifact();
    const opened = await openDictionary(reader({ ...files, 'manifest.json': JSON.stringify(manifest) }), 'test-1');
    expect(opened.manifest.version).toBe('test-1');
    expect(opened.dictionary.translate('battery', 'en')?.target).toBe('電池');
  });

  it('refuses a flipped bit, a bad manifest, another version and bytes that are not gzip', async () => {
    const { manifest, files } = await artifact();
    const path = DICTIONARY_FILES['en-ja'];
    const flipped = files[path]!.slice();
    flipped[10]! ^= 1;
    await expect(
      openDictionary(reader({ ...files, [path]: flipped, 'manifest.json': JSON.stringify(manifest) })),
    ).rejects.toThrow('sha256');
    await expect(openDictionary(reader({ ...files, 'manifest.json': '{"format": 1}' }))).rejects.toThrow(ArtifactError);
    await expect(openDictionary(reader({ ...files, 'manifest.json': 'not json' }))).rejects.toThrow(ArtifactError);
    await expect(
      openDictionary(reader({ ...files, 'manifest.json': JSON.stringify(manifest) }), 'test-2'),
    ).rejects.toThrow('describes');
    const plain = new TextEncoder().encode(compiled.files['en-ja']);
    const unzipped = {
      ...manifest,
      files: { ...manifest.files, [path]: { bytes: plain.byteLength, sha256: await sha256Hex(plain) } },
    };
    await expect(
      openDictionary(reader({ ...files, [path]: plain, 'manifest.json': JSON.stringify(unzipped) })),
    ).rejects.toThrow('gzip');
  });
});

/** The tokens of a text, unknown but those in `known` (and punctuation); those in `rare` known and rare. */
function spansOf(text: string, from: 'en' | 'ja', known: string[], rare: string[] = []): TokenSpan[] {
  const tokens = getTokenizer(from === 'en' ? 'english' : 'japanese').tokenize(text);
  return tokenSpans(text, tokens).flatMap((span, k) => {
    if (!span) return [];
    const token = tokens[k]!;
    if (rare.includes(token)) return [{ start: span[0], end: span[1], known: true, rare: true }];
    return [{ start: span[0], end: span[1], known: known.includes(token) || /^[\p{P}\p{S}]+$/u.test(token) }];
  });
}

/** The words the rules handle in a text, with every token unknown but those in `known`. */
function found(text: string, from: 'en' | 'ja', known: string[], names?: (word: string) => string | undefined) {
  const translate = (word: string, want: 'proper' | 'any') => dictionary.translate(word, from, want);
  return handleUnknownWords(text, spansOf(text, from, known), { from, translate, ...(names && { names }) });
}

/** The rules on a text, with every token unknown but those in `known`. */
function handled(
  text: string,
  from: 'en' | 'ja',
  known: string[] = [],
  translate = (word: string, want: 'proper' | 'any') => dictionary.translate(word, from, want),
) {
  return handleUnknownWords(text, spansOf(text, from, known), { from, translate }).map(
    ({ source, target, kind }) => `${source}>${target}:${kind}`,
  );
}

describe('words the model cannot read', () => {
  const EN = ['he', 'my', 'the', 'two', 'bought', 'in', 'i', 'like', 'a', 'and', 'quickly', 'is'];

  it('English: nouns translated, plurals read as their singular, brands and names kept as written', () => {
    expect(handled('I like my smartphone.', 'en', EN)).toEqual(['smartphone>スマートフォン:dictionary']);
    expect(handled('He bought two salads and a plug', 'en', EN)).toEqual([
      'salads>サラダ:dictionary',
      'plug>プラグ:dictionary',
    ]);
    expect(handled('I like my iPhone and my PS5', 'en', EN)).toEqual(['iPhone>iPhone:verbatim', 'PS5>PS5:verbatim']);
    expect(handled('I like Netflix', 'en', EN)).toEqual(['Netflix>Netflix:verbatim']);
    expect(handled('I like Tokyo', 'en', EN)).toEqual(['Tokyo>東京:dictionary']); // a proper noun the dictionary has
  });

  it('English: a word that is a verb too is translated only after a determiner or a number', () => {
    expect(handled('My battery dies quickly', 'en', EN)).toEqual(['battery>電池:dictionary']);
    expect(handled('He bought two dies', 'en', EN)).toEqual(['dies>サイコロ:dictionary']);
  });

  it('Japanese: Latin kept as written, katakana runs and whole tokens looked up, particles never', () => {
    expect(handled('私はiPhoneが好き', 'ja', ['私', 'は', 'が', '好き'])).toEqual(['iPhone>iPhone:verbatim']);
    expect(handled('新しいスマートフォン', 'ja', ['新しい'])).toEqual(['スマートフォン>smartphone:dictionary']);
    expect(handled('電池の', 'ja')).toEqual(['電池>battery:dictionary']); // の is unknown here, and still gets nothing
    expect(handled('東京で', 'ja', ['で'])).toEqual(['東京>Tokyo:dictionary']);
  });

  it('Japanese: a Latin run is kept whole, its inner spaces and + included, where the tokenizer joined it to kanji too', () => {
    expect(handled('今夜Netflixで見よう', 'ja', ['今', 'で', '見よう'])).toEqual(['Netflix>Netflix:verbatim']); // 今|夜netflix|で
    expect(handled('まず pip freeze を実行', 'ja', ['まず', 'を', '実行'])).toEqual(['pip freeze>pip freeze:verbatim']);
    expect(handled('Alt+Tab で切り替え', 'ja', ['で'])).toContain('Alt+Tab>Alt+Tab:verbatim');
  });

  it('a name where neither the model nor the dictionary reads the word, or before an honorific', () => {
    const names = (word: string) => ({ John: 'ジョン', Shibuya: '渋谷', パスワード: 'Pasuwado', ジョン: 'John' })[word];
    const withNames = (text: string, from: 'en' | 'ja', known: string[]) =>
      found(text, from, known, names).map((f) => `${f.source}>${f.target}:${f.kind}`);
    expect(withNames('I like John', 'en', ['i', 'like'])).toEqual(['John>ジョン:transliteration']);
    expect(withNames('I like Wi-Fi', 'en', ['i', 'like'])).toEqual(['Wi-Fi>Wi-Fi:verbatim']); // a brand of src/core/names/latin.ts
    expect(withNames('I like Shibuya Station', 'en', ['i', 'like', 'station'])).toEqual([
      'Shibuya Station>渋谷駅:transliteration',
    ]); // a place's kind after it
    expect(withNames('I like John Park', 'en', ['i', 'like', 'park'])).toEqual(['John>ジョン:transliteration']); // a person
    expect(withNames('I like Tokyo Station', 'en', ['i', 'like', 'station'])).toEqual([
      'Tokyo Station>東京駅:dictionary',
    ]);
    expect(withNames('ジョンが', 'ja', ['が'])).toEqual(['ジョン>John:transliteration']);
    expect(withNames('パスワードが', 'ja', ['が'])).toEqual(['パスワード>password:dictionary']);
    expect(withNames('パスワードさん', 'ja', ['さん'])).toEqual(['パスワード>Pasuwado:transliteration']); // a name first
    const fullNames = (word: string) => ({ 田中浩: 'Tanaka Hiroshi', 浩: 'Hiroshi' })[word];
    const fullName = (text: string, known: string[]) =>
      found(text, 'ja', known, fullNames).map((f) => `${f.source}>${f.target}`);
    expect(fullName('田中浩さんが', ['田中', 'さん', 'が'])).toEqual(['田中浩>Tanaka Hiroshi']); // the surname with it
  });

  it('says which words a stand-in of their class may stand for: names, places, Japanese katakana nouns where nouns go', () => {
    const names = (word: string) => ({ John: 'ジョン', ジョン: 'John', マーク: 'Mark' })[word];
    const classes = (text: string, from: 'en' | 'ja', known: string[]) =>
      found(text, from, known, names).map((f) => `${f.source}:${f.standIn}`);
    expect(classes('I like John', 'en', ['i', 'like'])).toEqual(['John:name']);
    expect(classes('I like Tokyo', 'en', ['i', 'like'])).toEqual(['Tokyo:place']);
    expect(classes('I like my smartphone', 'en', ['i', 'like', 'my'])).toEqual(['smartphone:undefined']); // English nouns: none
    expect(classes('ジョンが', 'ja', ['が'])).toEqual(['ジョン:name']);
    expect(classes('マークさん', 'ja', ['さん'])).toEqual(['マーク:undefined']); // before an honorific: as itself
    expect(classes('パスワードが', 'ja', ['が'])).toEqual(['パスワード:noun']);
    expect(classes('パスワード', 'ja', [])).toEqual(['パスワード:noun']); // the end
    expect(classes('パスワードできない', 'ja', ['できない'])).toEqual(['パスワード:undefined']); // a verb's place
    expect(classes('電池が', 'ja', ['が'])).toEqual(['電池:undefined']); // kanji
  });

  it('a capitalised word in mid-sentence that the model reads but saw rarely is a name or place with its stand-in', () => {
    const names = (word: string) => ({ Tanaka: '田中', Hello: 'ハロー' })[word];
    const translate = (word: string, want: 'proper' | 'any') => dictionary.translate(word, 'en', want);
    const rare = (text: string, rareWords: string[]) => {
      const spans = spansOf(text, 'en', getTokenizer('english').tokenize(text), rareWords);
      const words = handleUnknownWords(text, spans, { from: 'en', translate, names });
      return [hasWordsToHandle(text, spans, 'en'), words.map((f) => `${f.source}>${f.target}:${f.standIn}`)];
    };
    expect(rare('I met Tanaka in Tokyo', ['tanaka'])).toEqual([true, ['Tanaka>田中:name']]);
    expect(rare('I met Tanaka in Tokyo', ['tokyo'])).toEqual([true, ['Tokyo>東京:place']]);
    expect(rare('I met Tanaka in Tokyo', [])).toEqual([false, []]); // frequent words: the model's
    expect(rare('Tanaka is here', ['tanaka'])).toEqual([false, []]); // a sentence's first word may be any word
    expect(rare('I met tanaka', ['tanaka'])).toEqual([false, []]); // not written as a name
  });

  it('an absurd word gets no look-up and no crash: 2,000 characters, control characters, emoji', () => {
    const translate = vi.fn((_word: string) => undefined);
    for (const text of [
      'x'.repeat(2000),
      'ab\u0001cd\u0007',
      '😀🎉 ✨',
      'ｘ'.repeat(2000),
      'ス'.repeat(2000),
      '\u0000\u0000',
      '\u202e\u200b',
    ]) {
      expect(() => handled(text, 'en', [], translate)).not.toThrow();
      expect(() => handled(text, 'ja', [], translate)).not.toThrow();
    }
    expect(translate.mock.calls.map(([word]) => word).filter((word) => !lookable(word))).toEqual([]); // "ab" and "cd", in English (Japanese keeps Latin as written)
    expect(translate).toHaveBeenCalledTimes(2);
    expect([
      lookable('smartphone'),
      lookable('x'.repeat(40)),
      lookable('a\u0001'),
      lookable('😀'),
      lookable('3d'),
    ]).toEqual([true, false, false, false, false]);
  });

  it('reads English plurals back to their singulars', () => {
    expect(singulars('salads')).toContain('salad');
    expect(singulars('batteries')).toContain('battery');
    expect(singulars('boxes')).toContain('box');
    expect(singulars('scarves')).toContain('scarf');
    expect(singulars('children')).toContain('child');
    expect(singulars('glass')).toEqual([]);
  });
});

describe('dictionary words through the masks', () => {
  const words = (keep: boolean) => (text: string) => {
    const start = text.indexOf('smartphone');
    return start < 0
      ? []
      : [{ start, end: start + 10, source: 'smartphone', target: 'スマートフォン', kind: 'dictionary' as const, keep }];
  };

  it('a word of one token stays in the text for a model without placeholders; every token its <unk>s became carries it', () => {
    const masked = maskVerbatim('I like my smartphone', undefined, undefined, undefined, words(true));
    expect(masked.text).toBe('I like my smartphone');
    const marked = markKnownSpans(['私', 'は', 'smartphone', 'が', 'smartphone', 'だ'], masked);
    expect(marked).toEqual(['私', 'は', '\uE000', 'が', '\uE000', 'だ']);
    const placed = placeEveryPlaceholder(marked, masked).tokens;
    expect(unmaskVerbatim(placed.join(''), masked)).toBe('私はスマートフォンがだ'); // the first kept, the repeat dropped
  });

  it('a stand-in takes its place in the text; the token translating it becomes the word, and a repeat of it goes', () => {
    const readAs = (text: string) => words(false)(text).map((w) => ({ ...w, readAs: 'box' }));
    const masked = maskVerbatim('I like my smartphone', undefined, undefined, undefined, readAs);
    expect(masked.text).toBe('I like my box');
    expect(masked.spans).toMatchObject([{ source: { text: 'smartphone' }, read: 'box', tokens: ['box'] }]);
    const source = ['i', 'like', 'my', 'box'];
    const target = ['私', 'は', '箱', 'が', '好き', 'で', '箱', 'だ'];
    const alignment: Alignment = { source, target, weights: target.map(() => [0.25, 0.25, 0.25, 0.25]) };
    const TABLE: Record<string, string[]> = { box: ['箱', 'の'], i: ['私', 'は'], like: ['好き'] };
    const marked = markKnownTerms(markKnownSpans(target, masked), masked, alignment, (s) => TABLE[s] ?? []);
    const placed = placeEveryPlaceholder(marked, masked, alignment, true).tokens;
    expect(unmaskVerbatim(placed.join(''), masked)).toBe('私はスマートフォンが好きでだ');
  });

  it('a masked one becomes a placeholder; one the output lacks is left out when optional, not inserted', () => {
    const masked = maskVerbatim('I like my smartphone', undefined, undefined, undefined, words(false));
    expect(masked.text).toBe('I like my \uE000');
    expect(placeEveryPlaceholder(['私', 'は', '好き'], masked, undefined, true, () => true).tokens).toEqual([
      '私',
      'は',
      '好き',
    ]);
    expect(placeEveryPlaceholder(['私', 'は', '好き'], masked, undefined, true).tokens).toContain('\uE000');
  });
});

describe('English nouns in their sentence', () => {
  it('takes a plural after a number above one or a plural word, never for a proper noun', () => {
    expect([
      nounForm('app', 'two'),
      nounForm('battery', '3'),
      nounForm('app', '1'),
      nounForm('app', 'the'),
      nounForm('Tokyo', 'many'),
    ]).toEqual(['apps', 'batteries', 'app', 'app', 'Tokyo']);
  });

  it('makes the article agree with the noun', () => {
    expect([
      articleFor('a', 'app'),
      articleFor('an', 'user'),
      articleFor('A', 'umbrella'),
      articleFor('a', 'hour'),
      articleFor('an', 'one-way ticket'),
    ]).toEqual(['an', 'a', 'An', 'an', 'a']);
  });

  it('fits each dictionary noun of an output by its placeholder, and only those', () => {
    const word = (kind: 'dictionary' | 'verbatim', target: string, i: number): SpanAnnotation => ({
      kind,
      rule: 'word',
      source: { start: 0, end: 0, text: target },
      target,
      read: String.fromCharCode(0xe000 + i),
    });
    const spans = [word('dictionary', 'app', 0), word('dictionary', 'umbrella', 1), word('verbatim', 'NASA', 2)];
    const fitted = fitNouns(['i', 'bought', 'a', '\uE000', 'and', 'two', '\uE001', 'for', 'a', '\uE002'], spans);
    expect(fitted.tokens).toEqual(['i', 'bought', 'an', '\uE000', 'and', 'two', '\uE001', 'for', 'a', '\uE002']);
    expect(fitted.spans.map((span) => span.target)).toEqual(['app', 'umbrellas', 'NASA']);
  });
});

describe('truecasing English output', () => {
  it('cases names, places, languages, days and phrases as English writes them, and leaves cased tokens alone', () => {
    const cased = truecaseTokens([
      'i',
      'met',
      'john',
      'at',
      'tokyo',
      'station',
      'on',
      'monday',
      'to',
      'watch',
      'tv',
      'in',
      'english',
      'on',
      'my',
      'iPhone',
      '.',
    ]);
    expect(cased).toEqual([
      'i',
      'met',
      'John',
      'at',
      'Tokyo',
      'Station',
      'on',
      'Monday',
      'to',
      'watch',
      'TV',
      'in',
      'English',
      'on',
      'my',
      'iPhone',
      '.',
    ]);
    expect(truecaseTokens(['the', 'same', 'station', 'in', 'may', 'he', 'drew', 'a', 'bill'])).toEqual([
      'the',
      'same',
      'station',
      'in',
      'may',
      'he',
      'drew',
      'a',
      'bill',
    ]);
    expect(getTokenizer('english').detokenize(['i', 'live', 'in', 'new', 'york', 'with', 'mr.', 'tanaka', '.'])).toBe(
      'I live in New York with Mr. Tanaka.',
    );
  });
});
