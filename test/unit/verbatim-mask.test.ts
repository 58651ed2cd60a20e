// Verbatim spans through the model: masked by placeholders, every one back exactly once, character for character.
import { describe, expect, it } from 'vitest';
import { annotationOf, type SpanAnnotation } from '../../src/core/annotation.js';
import { markKnownSpans } from '../../src/core/document/carriers.js';
import {
  maskVerbatim,
  placeEveryPlaceholder,
  setApart,
  unmaskVerbatim,
  withoutCopied,
  withoutPlaceholders,
  type Masked,
} from '../../src/core/document/verbatim-mask.js';
import { findEntities } from '../../src/core/entities/index.js';
import { getTokenizer } from '../../src/core/tokenize/index.js';

const P0 = '\uE000';
const P1 = '\uE001';

/** Verbatim spans written by hand, each coming back as itself: read as its placeholder unless `reads` says otherwise. */
const verbatim = (
  texts: string[],
  reads = texts.map((_, i) => String.fromCharCode(0xe000 + i)),
  apart: boolean[] = [],
): SpanAnnotation[] =>
  texts.map((text, i) => ({
    kind: 'verbatim',
    rule: 'verbatim',
    source: { start: 0, end: 0, text },
    target: text,
    read: reads[i]!,
    ...(apart[i] && { apart: true as const }),
  }));
const targets = (masked: Masked) => masked.spans.map((span) => span.target);

describe('maskVerbatim', () => {
  it('replaces each span by its own placeholder and keeps the spans', () => {
    const masked = maskVerbatim('Call 090-1234 at 3:30 or mail taro@example.com.');
    expect(targets(masked)).toContain('3:30');
    expect(targets(masked)).toContain('taro@example.com');
    expect(unmaskVerbatim(masked.text, masked)).toBe('Call 090-1234 at 3:30 or mail taro@example.com.');
  });

  it('leaves a span the model knows in the text', () => {
    const masked = maskVerbatim('at 5 and 3:30', (span) => span === '5');
    expect(masked.text).toBe('at 5 and \uE001');
    expect(masked.spans.map(({ target, read }) => [target, read])).toEqual([
      ['5', '5'],
      ['3:30', '\uE001'],
    ]);
  });

  it("drops the text's own private-use characters, so they cannot pose as placeholders", () => {
    const masked = maskVerbatim(`a${P1}b 42`);
    expect(targets(masked)).toEqual(['42']);
    expect(masked.text).toBe(`ab ${P0}`);
  });

  it.each(['english', 'japanese'])('leaves each placeholder a token of its own for the %s tokenizer', (name) => {
    const masked = maskVerbatim(name === 'english' ? 'it costs $5 on 2026-12-01.' : '２０２６年に３回会った');
    const tokens = getTokenizer(name).tokenize(masked.text);
    masked.spans.forEach((_, i) => expect(tokens).toContain(String.fromCharCode(0xe000 + i)));
  });
});

describe('placeEveryPlaceholder', () => {
  const masked = { text: `at ${P0} and ${P1}`, spans: verbatim(['3:30', 'https://a.jp']) };
  const alignment = (target: string[]) => ({
    source: ['at', P0, 'and', P1],
    target,
    // target token t attends to source column t % 4
    weights: target.map((_, t) => [0, 1, 2, 3].map((j) => (j === t % 4 ? 0.7 : 0.1))),
  });

  it('keeps placeholders the model placed, and only their first place', () => {
    const tokens = ['a', P0, 'b', P0, P1];
    expect(placeEveryPlaceholder(tokens, masked, alignment(tokens)).tokens).toEqual(['a', P0, 'b', P1]);
  });

  it('inserts a missing placeholder after (English) or before (Japanese) the target word attending to it most', () => {
    const tokens = ['x', 'y', 'z', 'w']; // y (t = 1) attends most to P0, w (t = 3) to P1
    const placed = placeEveryPlaceholder(tokens, masked, alignment(tokens));
    expect(placed.tokens).toEqual(['x', 'y', P0, 'z', 'w', P1]);
    expect(placed.origin).toEqual([0, 1, -1, 2, 3, -1]);
    expect(placeEveryPlaceholder(tokens, masked, alignment(tokens), true).tokens).toEqual(['x', P0, 'y', 'z', P1, 'w']);
  });

  it('never places a span by punctuation, nor before a kana ending in Japanese', () => {
    const tokens = ['感動', 'し', 'た', '。']; // most attention on P0: '。' then 'た' then 'し', skipped
    const weights = [
      [0, 0.2, 0, 0],
      [0, 0.3, 0, 0],
      [0, 0.4, 0, 0],
      [0, 0.9, 0, 0],
    ];
    const placed = placeEveryPlaceholder(
      tokens,
      masked,
      { source: ['at', P0, 'and', P1], target: tokens, weights },
      true,
    );
    expect(placed.tokens).toEqual([P0, P1, '感動', 'し', 'た', '。']); // P1 has no attention anywhere: the first word
  });

  it('marks the target token carrying a known span, as the tokenizers fold it, and only a whole number', () => {
    const known = { text: 'at 5 and 15', spans: verbatim(['5', '15'], ['5', '15']) };
    expect(markKnownSpans(['１５', '時', 'と', '５', '時'], known)).toEqual(['\uE001', '時', 'と', P0, '時']);
    expect(markKnownSpans(['５時'], known)).toEqual([`${P0}時`]);
  });

  it('appends missing placeholders without attention, and before everything for an empty output', () => {
    expect(placeEveryPlaceholder(['x'], masked).tokens).toEqual(['x', P0, P1]);
    expect(placeEveryPlaceholder([], masked).tokens).toEqual([P0, P1]);
  });

  it('round-trips into text with every span exactly once', () => {
    const placed = placeEveryPlaceholder(
      ['会議', 'は', P1, P1, 'です'],
      masked,
      alignment(['会議', 'は', P1, P1, 'です']),
    );
    const text = unmaskVerbatim(placed.tokens.join(''), masked);
    for (const span of targets(masked)) expect(text.split(span).length - 1).toBe(1);
  });
});

it('withoutPlaceholders removes placeholders from the unknown words', () => {
  expect(withoutPlaceholders([P0, 'tokyo', P1])).toEqual(['tokyo']);
});

describe('entities through the masks', () => {
  const entities = (
    from: string,
    to: string,
    tokensOf?: (text: string, start: number, end: number) => string[] | undefined,
  ) => ({ find: (text: string) => findEntities(text, from, to), ...(tokensOf && { tokensOf }) });

  it('masks an entity as a span that comes back in the target conventions, longer than the verbatim span inside it', () => {
    const masked = maskVerbatim(
      'Moved to 3:30 pm on Friday, March 14th.',
      () => false,
      undefined,
      entities('en', 'ja'),
    );
    expect(masked.text).toBe(`Moved to ${P0} on ${P1}.`);
    expect(unmaskVerbatim(`${P1}の${P0}に変更`, masked)).toBe('3月14日（金）の午後3時30分に変更');
    expect(masked.spans.map(annotationOf)).toEqual([
      { kind: 'entity', source: '3:30 pm', target: '午後3時30分' },
      { kind: 'entity', source: 'Friday, March 14th', target: '3月14日（金）' },
    ]);
  });

  it('leaves an entity the caller says the model reads in the text, as a known term', () => {
    const masked = maskVerbatim(
      'See you on Friday.',
      () => false,
      undefined,
      entities('en', 'ja', (text, start, end) => [text.slice(start, end).toLowerCase()]),
    );
    expect(masked.text).toBe('See you on Friday.');
    expect(masked.spans[0]).toMatchObject({ kind: 'entity', target: '金曜日', tokens: ['friday'] });
  });

  it('prefers a glossary term to an entity of the same length, and an entity to a verbatim span', () => {
    const glossary = {
      find: (text: string) =>
        text.includes('$25')
          ? [{ start: text.indexOf('$25'), end: text.indexOf('$25') + 3, source: '$25', target: 'お手頃価格' }]
          : [],
    };
    expect(
      maskVerbatim('Only $25 and $30.', () => false, glossary, entities('en', 'ja')).spans.map(annotationOf),
    ).toEqual([
      { kind: 'glossary', source: '$25', target: 'お手頃価格' },
      { kind: 'entity', source: '$30', target: '30ドル' },
    ]);
  });

  it('annotates verbatim spans, their full-width digits back in ASCII and links character for character', () => {
    const masked = maskVerbatim('０３－５５５５－０１９９か１２３番', () => false);
    expect(masked.spans.map(annotationOf)).toEqual([
      { kind: 'verbatim', source: '０３－５５５５－０１９９', target: '03-5555-0199' },
      { kind: 'verbatim', source: '１２３', target: '123' },
    ]);
    const url = maskVerbatim('See https://example.com/a and `npm test`.', () => false);
    expect(url.spans.map(annotationOf)).toEqual([
      { kind: 'verbatim', source: 'https://example.com/a', target: 'https://example.com/a' },
      { kind: 'verbatim', source: '`npm test`', target: '`npm test`' },
    ]);
    expect(url.spans.map((span) => span.apart ?? false)).toEqual([true, false]);
  });
});

it("masks a piece into the spans of src/core/annotation.ts's worked example", () => {
  const iPhone = (text: string) => [
    {
      start: text.indexOf('iPhone'),
      end: text.indexOf('iPhone') + 6,
      source: 'iPhone',
      target: 'iPhone',
      kind: 'verbatim' as const,
    },
  ];
  const masked = maskVerbatim(
    'Call me at 3:30 pm on iPhone',
    () => false,
    undefined,
    { find: (text) => findEntities(text, 'en', 'ja') },
    iPhone,
  );
  expect(masked.text).toBe(`Call me at ${P0} on ${P1}`);
  expect(masked.spans).toEqual([
    {
      kind: 'entity',
      rule: 'entity',
      source: { start: 11, end: 18, text: '3:30 pm' },
      target: '午後3時30分',
      read: P0,
    },
    { kind: 'verbatim', rule: 'word', source: { start: 22, end: 28, text: 'iPhone' }, target: 'iPhone', read: P1 },
  ]);
});

describe('withoutCopied', () => {
  const placed = (tokens: string[]) => ({ tokens, origin: tokens.map((_, k) => k) });
  const read = maskVerbatim(
    'x',
    () => false,
    undefined,
    undefined,
    () => [],
  ); // the words went through the dictionary's rules

  it("leaves out an unread source word an <unk> copied in the source's script, and keeps the origins in step", () => {
    expect(withoutCopied(placed(['let', "'s", 'eat', 'お腹が', '.']), ['お腹が'], read, 'ja')).toEqual({
      tokens: ['let', "'s", 'eat', '.'],
      origin: [0, 1, 2, 4],
    });
    expect(withoutCopied(placed(['その', 'weighs', 'は', P0]), ['Weighs'], read, 'en').tokens).toEqual([
      'その',
      'は',
      P0,
    ]);
  });

  it('keeps words the model wrote, the target script, placeholders, and everything without the dictionary', () => {
    expect(withoutCopied(placed(['the', 'tokyo', P0]), ['東京'], read, 'ja').tokens).toEqual(['the', 'tokyo', P0]);
    expect(withoutCopied(placed(['お腹が']), ['お腹が'], maskVerbatim('x'), 'ja').tokens).toEqual(['お腹が']);
  });
});

describe('setApart', () => {
  const about = (spans: string[], apart: boolean[]): Masked => ({ text: '', spans: verbatim(spans, undefined, apart) });
  const japanese = (tokens: string[], masked: Masked) =>
    unmaskVerbatim(setApart(tokens.join(''), tokens, masked), masked);
  const links = about(['https://example.com/reset', 'support@example.com'], [true, true]);

  it('keeps links apart from each other and from any letter, punctuation may touch them', () => {
    expect(japanese([P0, P1, 'please', 'に', '連絡'], links)).toBe(
      'https://example.com/reset support@example.com pleaseに連絡',
    );
    expect(japanese(['詳細', 'は', P0, 'を', '参照', '。'], links)).toBe('詳細は https://example.com/reset を参照。');
    expect(japanese(['「', P1, '」', 'まで', P0, '。'], links)).toBe(
      '「support@example.com」まで https://example.com/reset。',
    );
  });

  it('lets Japanese touch other spans, never Latin letters or digits, and spaces two spans that meet unless a bracket does', () => {
    const other = about(
      ['03-5555-0199', '25ドル', '3,800円', '3月14日（金）', '午後3時'],
      [false, false, false, false, false],
    );
    expect(japanese([P0, 'に', '電話', 'call'], other)).toBe('03-5555-0199に電話call');
    expect(japanese(['call', P0], other)).toBe('call 03-5555-0199');
    expect(japanese([`${'\uE001'}`, '\uE002'], other)).toBe('25ドル 3,800円');
    expect(japanese(['\uE003', '\uE004', 'に'], other)).toBe('3月14日（金）午後3時に');
  });

  it('leaves a span inside a token as the model joined it, and English spacing as the detokenizer made it', () => {
    const number = about(['5'], [false]);
    expect(japanese([`${P0}時`, 'に'], number)).toBe('5時に');
    expect(
      unmaskVerbatim(setApart(`Go to ${P0}, then ${P1}.`, ['go', 'to', P0, ',', 'then', P1, '.'], links), links),
    ).toBe('Go to https://example.com/reset, then support@example.com.');
  });

  it('only inserts spaces, and leaves every span whole with no letter or digit touching (random outputs)', () => {
    const masked = about(
      ['https://a.example/x', 'b@example.org', '090-1234-5678', '`make`', '12階', '$25'],
      [true, true, false, false, false, false],
    );
    const words = [
      'は',
      'を',
      '電話',
      'please',
      '3',
      'x',
      '。',
      '、',
      '「',
      '」',
      '(',
      ')',
      ...masked.spans.map((_, i) => String.fromCharCode(0xe000 + i)),
    ];
    let seed = 3;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 2000; i++) {
      const tokens = Array.from({ length: 1 + next(8) }, () => words[next(words.length)]!);
      const text = setApart(tokens.join(''), tokens, masked);
      expect(text.replace(/ /g, ''), tokens.join('|')).toBe(tokens.join(''));
      const out = unmaskVerbatim(text, masked);
      masked.spans.forEach(({ target: span, apart }, k) => {
        if (!tokens.includes(String.fromCharCode(0xe000 + k))) return;
        const at = out.indexOf(span);
        const [before, after] = [out[at - 1] ?? ' ', out[at + span.length] ?? ' '];
        const touching = apart ? /[\p{L}\p{N}]/u : /[\p{Script=Latin}\p{N}]/u;
        expect(touching.test(before) || touching.test(after), `${out} (${span})`).toBe(false);
      });
    }
  });
});
