// Glossaries in the shared core: entries as DeepL writes them (TSV, CSV), finding terms (checked against a brute-force
// oracle of one regular expression per term and form), and terms through the verbatim-span masks.
import { describe, expect, it } from 'vitest';
import { markKnownTerms } from '../../src/core/document/carriers.js';
import {
  capitalizeLeadingTerm,
  maskVerbatim,
  placeEveryPlaceholder,
  unmaskVerbatim,
} from '../../src/core/document/verbatim-mask.js';
import type { Alignment } from '../../src/core/align.js';
import { GlossaryEntriesError, parseEntries, toTsv, type Entry } from '../../src/core/glossary/entries.js';
import { GlossaryMatcher, plurals, type TermMatch } from '../../src/core/glossary/match.js';
import { getTokenizer } from '../../src/core/tokenize/index.js';

const detail = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof GlossaryEntriesError) return err.detail;
    throw err;
  }
  throw new Error('no error');
};

describe('parseEntries', () => {
  it('reads TSV with any line ends, skipping blank lines and trimming terms', () => {
    expect(parseEntries('a\tb\r\nc d \t e\r\n\n\rf\tg', 'tsv')).toEqual([
      { source: 'a', target: 'b' },
      { source: 'c d', target: 'e' },
      { source: 'f', target: 'g' },
    ]);
  });

  it('reads CSV with quotes, doubled quotes, commas inside quotes and language columns of the pair', () => {
    const csv = 'sourceEntry1,targetEntry1,en,ja\n"source""Entry","target,Entry",EN,ja\nplain,"quoted"';
    expect(parseEntries(csv, 'csv', { source: 'en', target: 'ja' })).toEqual([
      { source: 'sourceEntry1', target: 'targetEntry1' },
      { source: 'source"Entry', target: 'target,Entry' },
      { source: 'plain', target: 'quoted' },
    ]);
  });

  it('names the entry and its line position in every error', () => {
    expect(detail(() => parseEntries('a\tb\nc\nd\te', 'tsv'))).toBe(
      'Key with the index 1 (starting at position 4) misses tab separator',
    );
    expect(detail(() => parseEntries('a\tb\nx\ty\na\tz', 'tsv'))).toBe(
      'Key with the index 2 (starting at position 8) duplicates key with the index 0 (starting at position 0)',
    );
    expect(detail(() => parseEntries('a,b\n"c', 'csv'))).toMatch(/index 1 .*quote that is not closed/);
    expect(detail(() => parseEntries('a,b,en', 'csv'))).toMatch(/has 3 columns/);
    expect(detail(() => parseEntries('a,b,ja,en', 'csv', { source: 'en', target: 'ja' }))).toMatch(
      /is for ja -> en, not the dictionary's en -> ja/,
    );
  });

  it('round-trips through TSV', () => {
    const entries: Entry[] = [
      { source: 'A%=&', target: 'B&=%' },
      { source: 'Δぁ', target: '深' },
      { source: '🪨', target: '🪵' },
    ];
    expect(parseEntries(toTsv(entries), 'tsv')).toEqual(entries);
  });
});

describe('plurals', () => {
  it.each([
    ['prize', ['prizes']],
    ['box', ['boxes']],
    ['city', ['cities']],
    ['day', ['days']],
    ['green tea', ['green teas']],
    ['child', ['children']],
    ['knife', ['knives']],
    ['Apple', ['Apples']],
    ['CPU', ['CPUs']],
    ['猫', []],
    ['v2', []],
  ])('%s -> %j', (term, expected) => expect(plurals(term)).toEqual(expected));
});

/** The oracle: at each position, every form of every entry tried with its own regular expression; the longest fitting one. */
function bruteForce(entries: Entry[], text: string): TermMatch[] {
  const W = '[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{N}\\p{M}_]';
  const forms = entries.flatMap((entry) =>
    [entry.source, ...plurals(entry.source)].map((form) => {
      const body = form
        .split(/\s+/u)
        .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('\\s+');
      const edge = (ch: string) => new RegExp(`^${W}$`, 'u').test(ch);
      const re = new RegExp(
        `${edge(form[0]!) ? `(?<!${W}|${W}-)` : ''}(?:${body})${edge([...form].at(-1)!) ? `(?!${W}|-${W})` : ''}`,
        'iuy',
      );
      return { entry, form, re };
    }),
  );
  const fits = (form: string, seen: string) => {
    const [a, b] = [[...form.replace(/\s+/gu, ' ')], [...seen.replace(/\s+/gu, ' ')]];
    return a.length === b.length && a.every((ch, i) => ch === ch.toLowerCase() || b[i] === ch);
  };
  const found: TermMatch[] = [];
  for (let i = 0; i < text.length;) {
    let best: TermMatch | undefined;
    let exact = false;
    for (const { entry, form, re } of forms) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m || !fits(form, m[0])) continue;
      const isExact = form.replace(/\s+/gu, ' ') === m[0].replace(/\s+/gu, ' ');
      const end = i + m[0].length;
      if (!best || end > best.end || (end === best.end && isExact && !exact)) {
        best = { start: i, end, source: entry.source, target: entry.target };
        exact = isExact;
      }
    }
    if (best) found.push(best);
    i = best ? best.end : i + 1;
  }
  return found;
}

describe('GlossaryMatcher', () => {
  const find = (entries: Record<string, string>, text: string) =>
    new GlossaryMatcher(Object.entries(entries).map(([source, target]) => ({ source, target })))
      .find(text)
      .map((m) => text.slice(m.start, m.end) + '=' + m.target);

  it('finds whole words only, leftmost then longest, plurals too', () => {
    const terms = { prize: 'P', 'New York': 'NY', 'New York City': 'NYC', York: 'Y' };
    expect(find(terms, 'The prizes of New York City, not apprize or prize-winner; York.')).toEqual([
      'prizes=P',
      'New York City=NYC',
      'York=Y',
    ]);
  });

  it('matches lower-case letters of a term in either case, upper-case ones only as written', () => {
    expect(find({ apple: 'a' }, 'Apple APPLE apple')).toEqual(['Apple=a', 'APPLE=a', 'apple=a']);
    expect(find({ Apple: 'A' }, 'apple Apple APPLE')).toEqual(['Apple=A', 'APPLE=A']);
    expect(find({ NASA: 'N' }, 'nasa Nasa NASA')).toEqual(['NASA=N']);
    expect(find({ apple: 'fruit', Apple: 'company' }, 'apple Apple')).toEqual(['apple=fruit', 'Apple=company']);
  });

  it('lets whitespace inside a term match any run of whitespace', () => {
    expect(find({ 'green tea': 'G' }, 'green\n  tea')).toEqual(['green\n  tea=G']);
  });

  it('finds Japanese terms wherever their characters are, and characters outside the BMP', () => {
    expect(find({ 猫: 'cat', 子猫: 'kitten' }, '子猫と猫')).toEqual(['子猫=kitten', '猫=cat']);
    expect(find({ '🪨': 'rock' }, 'a🪨b')).toEqual(['🪨=rock']);
  });

  it('agrees with the brute-force oracle on random glossaries and texts', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const words = [
      'cat',
      'Cat',
      'box',
      'city',
      'tea',
      'green',
      'NASA',
      'child',
      'a',
      'ab',
      'x-ray',
      '猫',
      '子猫',
      'e2e',
    ];
    const glue = [' ', ' ', '  ', '-', '', ', ', '\n', 's ', 'es ', 'ies '];
    for (let round = 0; round < 300; round++) {
      const entries = new Map<string, string>();
      for (let i = 0; i < 1 + random() * 6; i++)
        entries.set(Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(words)).join(' '), `T${i}`);
      const list = [...entries].map(([source, target]) => ({ source, target }));
      const text = Array.from(
        { length: 12 },
        () => (random() < 0.5 ? pick(words).toUpperCase() : pick(words)) + pick(glue),
      ).join('');
      expect(new GlossaryMatcher(list).find(text), `${JSON.stringify(list)} in ${JSON.stringify(text)}`).toEqual(
        bruteForce(list, text),
      );
    }
  });
});

describe('glossary terms through the verbatim masks', () => {
  const terms = (entries: Record<string, string>) => {
    const matcher = new GlossaryMatcher(Object.entries(entries).map(([source, target]) => ({ source, target })));
    return { find: (text: string) => matcher.find(text) };
  };

  it('masks a term like a span; its placeholder comes back as the target term', () => {
    const masked = maskVerbatim('The artist won 3 prizes.', () => false, terms({ artist: '画家', prize: '賞' }));
    expect(masked.text).toBe('The \uE000 won \uE001 \uE002.');
    expect(masked.spans.map((span) => span.target)).toEqual(['画家', '3', '賞']);
    expect(masked.spans.map((span) => span.entry)).toEqual(['artist', undefined, 'prize']);
    expect(unmaskVerbatim('\uE000は\uE001つの\uE002を取った', masked)).toBe('画家は3つの賞を取った');
  });

  it('lets the longer of a term and a span win where they overlap; a term is never left as a known span', () => {
    const url = maskVerbatim('see example.com/apple now', () => false, terms({ apple: 'X' }));
    expect(url.spans.map((span) => span.target)).toEqual(['example.com/apple']);
    const model = maskVerbatim('buy iPhone 15 today', () => true, terms({ 'iPhone 15': 'アイフォン15' }));
    expect(model.text).toBe('buy \uE000 today');
    expect(model.spans).toMatchObject([{ target: 'アイフォン15', read: '\uE000' }]);
  });

  it('masks nothing more without terms (the existing behaviour)', () => {
    expect(maskVerbatim('at 5 and 3:30', (span) => span === '5', terms({}))).toEqual(
      maskVerbatim('at 5 and 3:30', (span) => span === '5'),
    );
  });

  it('capitalises an English sentence that starts with a term, and the word after a leading placeholder stays lower case', () => {
    const masked = maskVerbatim('猫が好き', () => false, terms({ 猫: 'cat' }));
    const text = getTokenizer('english').detokenize(['\uE000', 'is', 'cute', '.']);
    expect(text).toBe('\uE000 is cute.');
    expect(capitalizeLeadingTerm(text, unmaskVerbatim(text, masked), masked)).toBe('Cat is cute.');
  });

  describe('a term the model knows stays in the text, and its carrier in the output gets the target term', () => {
    const TABLE: Record<string, string[]> = {
      his: ['彼', 'の'],
      success: ['成功', 'の', '彼'],
      is: ['か'],
      hope: ['見込み'],
    };
    const kept = (text: string, entries: Record<string, string>) =>
      maskVerbatim(text, () => false, {
        ...terms(entries),
        tokensOf: (piece, start, end) => [piece.slice(start, end).toLowerCase()],
      });
    const source = ['is', 'there', 'any', 'hope', 'of', 'his', 'success', '?'];
    const target = ['彼', 'の', '成功', 'の', '見込み', 'は', 'あり', 'ます', 'か', '。'];
    // Attention peaking one token late, as the shipped models' does: 成功 (2) on "?" (7), の (3) on "success" (6).
    const late: Alignment = {
      source,
      target,
      weights: target.map((_, t) => source.map((_, j) => (j === [5, 6, 6, 6, 3, 0, 0, 0, 0, 7][t] ? 1 : 0))),
    };
    const restoreWith = (entries: Record<string, string>, alignment = late) => {
      const masked = kept('Is there any hope of his success?', entries);
      const placed = placeEveryPlaceholder(
        markKnownTerms(target, masked, alignment, (s) => TABLE[s] ?? []),
        masked,
        alignment,
        true,
      );
      return { masked, text: unmaskVerbatim(placed.tokens.join(''), masked) };
    };

    it('leaves the text as it is and reads the term with its own token', () => {
      const { masked } = restoreWith({ success: '成就' });
      expect(masked.text).toBe('Is there any hope of his success?');
      expect(masked.spans).toMatchObject([{ entry: 'success', target: '成就', read: 'success', tokens: ['success'] }]);
    });

    it("replaces the token the term's row ranks best, not the one its attention peaks on", () => {
      expect(restoreWith({ success: '成就' }).text).toBe('彼の成就の見込みはありますか。');
    });

    it('keeps the place of a target term the model already wrote', () => {
      expect(restoreWith({ success: '成功' }).text).toBe('彼の成功の見込みはありますか。');
    });

    it('inserts the term as a missing placeholder is when no token carries it: here no word attends to "any", so first', () => {
      expect(restoreWith({ any: 'いくらか' }).text).toBe('いくらか彼の成功の見込みはありますか。');
    });
  });
});
