// findVerbatim on real sentences, English and Japanese, against spans marked by hand.
import { LinkifyIt } from 'linkify-it';
import { describe, expect, it } from 'vitest';
import { findVerbatim } from '../../../src/core/segment/verbatim.js';

const marked = (text: string) => findVerbatim(text).map((s) => [text.slice(s.start, s.end), s.kind]);

describe('findVerbatim', () => {
  it('finds URLs with and without a scheme, leaving sentence punctuation out', () => {
    expect(marked('Go to https://example.com/a?b=1, then www.example.com and example.com/path.')).toEqual([
      ['https://example.com/a?b=1', 'url'],
      ['www.example.com', 'url'],
      ['example.com/path', 'url'],
    ]);
    expect(marked('see example.com.')).toEqual([['example.com', 'url']]);
    expect(marked('Is it example.com/docs?')).toEqual([['example.com/docs', 'url']]);
    expect(marked('(see https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual([
      ['https://en.wikipedia.org/wiki/Foo_(bar)', 'url'],
    ]);
  });

  it('finds e-mail addresses', () => {
    expect(marked('Mail john.doe@example.com or mailto:a@b.org today.')).toEqual([
      ['john.doe@example.com', 'email'],
      ['mailto:a@b.org', 'email'],
    ]);
  });

  it('ends a URL or address at the first Japanese character', () => {
    expect(marked('詳細はhttps://example.jp/page?id=3をご覧ください。')).toEqual([
      ['https://example.jp/page?id=3', 'url'],
    ]);
    expect(marked('メールはtaro@example.co.jpまで。')).toEqual([['taro@example.co.jp', 'email']]);
    expect(marked('サイト（www.example.jp）を見た。')).toEqual([['www.example.jp', 'url']]);
  });

  it('finds every link linkify finds with a scheme or a top-level domain, also where it does not ask linkify', () => {
    const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true });
    const parts = [
      'http:',
      '//',
      'mailto:',
      'www',
      'a',
      'localhost',
      '.',
      'com',
      '.org',
      '@',
      ':',
      '/x',
      '-',
      ' ',
      '. ',
      '8080',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) % parts.length;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 2 + (i % 6) }, () => parts[next()]).join('');
      const links = (linkify.match(text) ?? []).filter(
        (m) => m.schema !== '' || /\.[a-z0-9-]+$/.test(m.raw.replace(/[/?#:].*$/s, '')),
      );
      const found = findVerbatim(text).filter((s) => s.kind === 'url' || s.kind === 'email');
      expect(found.length, text).toBeGreaterThanOrEqual(links.length);
    }
  });

  it('does not take a missing space or a name for a link', () => {
    expect(marked('I went home.It was late.')).toEqual([]);
    expect(marked('We use ASP.NET and Node.js here.')).toEqual([]);
  });

  it('finds handles and hashtags but not C# or issue numbers', () => {
    expect(marked('Ping @jack_dev about #release and #東京 in C#.')).toEqual([
      ['@jack_dev', 'handle'],
      ['#release', 'hashtag'],
      ['#東京', 'hashtag'],
    ]);
    expect(marked('Fixed in #123.')).toEqual([['123', 'number']]);
    expect(marked('Follow @alice@mastodon.social now')).toEqual([['@alice@mastodon.social', 'handle']]);
  });

  it('finds phone numbers, three digit groups or more, 9 to 15 digits', () => {
    expect(
      marked('Call 03-5555-0199, 090-1234-5678, 0120-123-456, (555) 123-4567, +81 3-5555-0199 or +1 555 123 4567.'),
    ).toEqual([
      ['03-5555-0199', 'phone'],
      ['090-1234-5678', 'phone'],
      ['0120-123-456', 'phone'],
      ['(555) 123-4567', 'phone'],
      ['+81 3-5555-0199', 'phone'],
      ['+1 555 123 4567', 'phone'],
    ]);
    expect(marked('電話は０３－５５５５－０１９９まで。')).toEqual([['０３－５５５５－０１９９', 'phone']]);
    expect(marked('On 2026-12-01 call 090-1234.')).toEqual([
      ['2026-12-01', 'date'],
      ['090', 'number'],
      ['1234', 'number'],
    ]);
  });

  it('finds inline code in backticks, a link inside it included', () => {
    expect(marked('Run `npm install` then `open http://localhost:8080`.')).toEqual([
      ['`npm install`', 'code'],
      ['`open http://localhost:8080`', 'code'],
    ]);
  });

  it('finds code without backticks: key combinations, names with underscores, file names, command lines', () => {
    expect(marked('Press Alt+F4 or Ctrl + Shift + T.')).toEqual([
      ['Alt+F4', 'code'],
      ['Ctrl + Shift + T', 'code'],
    ]);
    expect(marked('Set DB_HOST and read notes_2023.txt or data.tar.gz.')).toEqual([
      ['DB_HOST', 'code'],
      ['notes_2023.txt', 'code'],
      ['data.tar.gz', 'code'],
    ]);
    expect(marked('Then run docker compose up, npm ci --silent or rm -rf ./dist today.')).toEqual([
      ['docker compose', 'code'],
      ['npm ci --silent', 'code'],
      ['rm -rf ./dist', 'code'],
    ]);
    expect(marked('まず yarn add lodash を実行します。')).toEqual([['yarn add', 'code']]);
  });

  it('takes no word, name or sentence for code', () => {
    expect(marked('I brew tea, knit with yarn, like Python and Node.js, and cd players.')).toEqual([]);
    expect(marked('Call Mr. Smith at 5 p.m. about the U.S. report.')).toEqual([['5', 'number']]);
  });

  it('finds times as their digits only', () => {
    expect(marked('Meet at 3:30 pm or at 10:30:15.')).toEqual([
      ['3:30', 'time'],
      ['10:30:15', 'time'],
    ]);
    expect(marked('午後３：３０に会いましょう。')).toEqual([['３：３０', 'time']]);
  });

  it('finds dates written in digits', () => {
    expect(marked('On 2026-12-01, 12/01/2026, 1.12.2026 and 2026/12/01.')).toEqual([
      ['2026-12-01', 'date'],
      ['12/01/2026', 'date'],
      ['1.12.2026', 'date'],
      ['2026/12/01', 'date'],
    ]);
    expect(marked('締め切りは2026/12/01です。')).toEqual([['2026/12/01', 'date']]);
  });

  it('finds amounts with their currency sign, percent sign or code', () => {
    expect(marked('It costs $5, $1,234.56, €20, ¥1000, US$3, -$7, 5% or 20 USD.')).toEqual([
      ['$5', 'amount'],
      ['$1,234.56', 'amount'],
      ['€20', 'amount'],
      ['¥1000', 'amount'],
      ['US$3', 'amount'],
      ['-$7', 'amount'],
      ['5%', 'amount'],
      ['20 USD', 'amount'],
    ]);
    expect(marked('価格は￥1,000で、税率は１０％です。')).toEqual([
      ['￥1,000', 'amount'],
      ['１０％', 'amount'],
    ]);
  });

  it('finds numbers with separators and signs, not digits inside words', () => {
    expect(marked('Counts 1,234,567; 3.14; -5; 1,000.5 and the range 3-5.')).toEqual([
      ['1,234,567', 'number'],
      ['3.14', 'number'],
      ['-5', 'number'],
      ['1,000.5', 'number'],
      ['3', 'number'],
      ['5', 'number'],
    ]);
    expect(marked('COVID-19 hit; run 10km with an MP3 player, version v2.')).toEqual([]);
    expect(marked('It was 1999.')).toEqual([['1999', 'number']]);
  });

  it('finds full-width digits inside Japanese', () => {
    expect(marked('２０２６年に１２３人が来た。')).toEqual([
      ['２０２６', 'number'],
      ['１２３', 'number'],
    ]);
    expect(marked('価格は1,000円、No.1の店です。')).toEqual([
      ['1,000', 'number'],
      ['1', 'number'],
    ]);
  });

  it('treats ordinary words as text', () => {
    expect(marked('Mr. Smith said e.g. this, i.e. that, in the U.S. at 3 p.m.')).toEqual([['3', 'number']]);
    expect(marked('昨日、友達と映画を見ました。')).toEqual([]);
  });

  it('lets the longest candidate win where two overlap', () => {
    // "2026" is a number, ":30" a time's tail, "1" a number, all inside longer spans.
    expect(marked('See https://a.com/2026/1 at 12:30 for $1,000.')).toEqual([
      ['https://a.com/2026/1', 'url'],
      ['12:30', 'time'],
      ['$1,000', 'amount'],
    ]);
  });

  it('returns sorted, non-overlapping spans, the same for each copy of a repeated text', () => {
    const once = 'Email a@b.co at 9:05 on 2026-01-02 re #tag @me: $5 (5%), 3.14, https://x.org/?q=1,2 と ２０２６年. ';
    const expected = [
      ['a@b.co', 'email'],
      ['9:05', 'time'],
      ['2026-01-02', 'date'],
      ['#tag', 'hashtag'],
      ['@me', 'handle'],
      ['$5', 'amount'],
      ['5%', 'amount'],
      ['3.14', 'number'],
      ['https://x.org/?q=1,2', 'url'],
      ['２０２６', 'number'],
    ];
    expect(marked(once)).toEqual(expected);
    const text = once.repeat(20);
    expect(marked(text)).toEqual(Array(20).fill(expected).flat());
    const spans = findVerbatim(text);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
  });
});
