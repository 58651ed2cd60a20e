// Verbatim spans: the parts of a text that must come through translation unchanged, character for
// character. Pure: runs in workerd, Node and browsers.
//
// Rules (offsets are UTF-16 indices, spans are [start, end), sorted and non-overlapping; where two
// candidates overlap the longer wins, and on equal length the kind listed first below):
// - url, email: linkify-it, with and without scheme (https://a.b/c?d=1, www.a.b, a.com/path,
//   taro@example.co.jp). linkify-it leaves trailing sentence punctuation out ("see example.com.").
//   Japanese text runs into a URL without a space ("詳細はhttps://a.jp/を参照"), which linkify-it
//   does not see, so it reads a copy with Japanese characters blanked: a URL ends at the first
//   Japanese character (Japanese IDN hosts are therefore not found). A schemeless link whose top-level
//   domain is not lower case is a missing space or a name, not a URL ("home.It was", "ASP.NET").
// - handle: @name (ASCII, as Twitter/GitHub; optional @instance.domain as Mastodon). hashtag: #word
//   with at least one letter, any script, as Twitter counts it ("#東京", not "#1", not "C#").
// - code: `inline code` in backticks (backticks kept; at most 200 characters, one line); and code written without them
//   that no reader takes for words: a key combination (Ctrl+C, Cmd+Shift+4), a name joined by underscores
//   (MAX_USERS, ERR_CONNECTION_REFUSED), a file name with a common extension and a name that is not a capitalised word
//   (report_2024.pdf, config.yaml; not Node.js), and a command line: a command-line program with a subcommand of its
//   kind (git pull, npm install; "I brew coffee" is no command) or with options and paths (ls -la, python3 app.py),
//   and the options and paths after either.
// - phone: digit groups joined by hyphens, three or more (03-5555-0199, 090-1234-5678, 0120-123-456, 555-123-4567),
//   an area code in brackets ((555) 123-4567), or after "+" a country code and groups joined by hyphens, spaces or
//   dots (+81 3-5555-0199, +1 555 123 4567); 9 to 15 digits in all (a date has 8).
// - date: digits only, year first or last: 2026-12-01, 2026/12/01, 12/01/2026, 1.12.2026, 12/1/26.
// - time: the digits only, H:MM or H:MM:SS ("3:30" of "3:30 pm"): "pm"/"午後" is translated because
//   its place and word change with the language.
// - amount: a currency sign before a number ($5, US$5, -$1,234.56, €20, ¥1000, ￥1,000), or a number
//   before %, ‰, € or an ISO code (5%, 20 USD). "1,000円" is a number: 円 is a word to translate.
// - number: digits with any . , separators (1,234,567; 3.14; 1.000,5; 1.2.3), an optional sign when
//   not joined to a word (-5 but not the "-" of 3-5), never touching a Latin letter or digit ("10km",
//   "MP3", "COVID-19" are words), but Japanese may touch it ("２０２６年" -> "２０２６").
// Full-width digits (０-９) and separators count as digits and separators everywhere.
import { LinkifyIt } from 'linkify-it';

export interface VerbatimSpan {
  start: number;
  end: number;
  kind: 'url' | 'email' | 'code' | 'handle' | 'hashtag' | 'phone' | 'time' | 'date' | 'amount' | 'number';
}
type Kind = VerbatimSpan['kind'];

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true });
// Every link links() keeps has one of these: a scheme's ":" or "//", an e-mail's "@", a host's "." (all inside a word).
const MAY_LINK = /\S[.:@]\S|\/\//;
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\u3000-\u30ff\uff00-\uffef]/gu;

const D = '[0-9０-９]';
const NUM = `${D}+(?:[.,．，]${D}+)*`;
const NOT_AFTER = `(?<![A-Za-z0-9_０-９Ａ-Ｚａ-ｚ]|${D}[.,．，]|[A-Za-z][-‐])`; // not glued to a word or number
const NOT_BEFORE = `(?![A-Za-z0-9_０-９Ａ-Ｚａ-ｚ]|[.,．，]${D})`;
const ISO = '(?:USD|EUR|JPY|GBP|CNY|KRW|AUD|CAD|CHF|HKD)(?![A-Za-z])';
const DATE = [
  `${D}{4}([-/.／－．])${D}{1,2}\\1${D}{1,2}`, // 2026-12-01, 2026/12/01
  `${D}{1,2}([-/.／．])${D}{1,2}\\2${D}{4}`, // 12/01/2026, 1.12.2026
  `${D}{1,2}[/／]${D}{1,2}[/／]${D}{2}`, // 12/1/26
].join('|');
const DASH = '[-‐－]';
const PHONE = [
  `[+＋]${D}{1,3}(?:[-‐－ .]?[(（]?${D}{1,4}[)）]?){2,4}`, // +81 3-5555-0199, +1 (555) 123 4567
  `[(（]${D}{2,5}[)）] ?${D}{1,4}${DASH}${D}{3,4}`, // (555) 123-4567
  `${D}{2,5}${DASH}${D}{1,4}${DASH}${D}{3,4}`, // 03-5555-0199
].join('|');
const TIME = `${D}{1,2}[:：][0-5０-５]${D}(?:[:：][0-5０-５]${D})?`;
const AMOUNT = [
  `(?<![A-Za-z0-9_])[-−]?(?:[A-Z]{1,2})?[$€£¥￥₩₹] ?${NUM}${NOT_BEFORE}`, // $5, US$5, ¥1000
  `${NOT_AFTER}[-−]?${NUM}(?:[%％‰]| ?(?:€|${ISO}))`, // 5%, 20 €, 20 USD
].join('|');

const MODIFIER = '(?:Ctrl|Control|Alt|Option|Opt|Shift|Cmd|Command|Win|Fn|Meta|Super)';
const KEYS = `(?<![\\w+])${MODIFIER}(?: ?\\+ ?(?:${MODIFIER}|Tab|Enter|Return|Esc|Space|Delete|Del|Backspace|Home|End|F\\d{1,2}|[A-Za-z0-9](?![A-Za-z0-9])))+`;
const IDENTIFIER = '(?<![\\w@#./-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\\w@])';
const EXTENSION =
  'txt|md|pdf|docx?|xlsx?|pptx?|csv|tsv|json|ya?ml|toml|xml|html?|css|s?js|mjs|cjs|tsx?|jsx|py|rb|rs|java|cpp|sh|bat|ps1|sql|log|ini|cfg|conf|zip|tar|gz|tgz|7z|rar|jpe?g|png|gif|svg|webp|heic|bmp|mp3|mp4|mov|wav|avi|mkv|apk|exe|dmg|iso';
const FILE = `(?<![\\w@#./~-])(?![A-Z][a-z]+\\.)[\\w-]+(?:\\.[\\w-]+)*\\.(?:${EXTENSION})(?![\\w-]|\\.\\w)`;
const WITH_SUBCOMMANDS = 'git|npm|npx|yarn|pnpm|pip3?|docker|kubectl|cargo|brew|apt|apt-get|gem|conda|dotnet|gh';
const SUBCOMMAND =
  'install|uninstall|add|remove|run|test|start|stop|build|init|update|upgrade|pull|push|commit|clone|status|checkout|switch|branch|merge|log|diff|fetch|rebase|stash|reset|ci|exec|list|ls|ps|logs|compose|apply|get|deploy|login|publish|dev';
const WITH_ARGUMENTS =
  'python3?|node|deno|bun|ls|cd|mkdir|rm|cp|mv|cat|grep|curl|wget|ssh|sudo|chmod|chown|tar|java|ruby|perl|bash|sh|zsh|vim|nano|touch';
const ARGUMENT = '(?:--?[A-Za-z][\\w-]*|(?=[\\w~./-]*[./~_][\\w~/])[\\w~./-]*[\\w~/])'; // an option, or a path (a . / ~ or _ inside)
const COMMAND = `(?<![\\w./-])(?:(?:${WITH_SUBCOMMANDS}) (?:${SUBCOMMAND})(?: ${ARGUMENT})*|(?:${WITH_ARGUMENTS})(?: ${ARGUMENT})+)(?![\\w/-])`;

// In priority order for equal lengths, after url and email.
const PATTERNS: [Kind, RegExp][] = [
  ['code', /`[^`\n]{1,200}`/g],
  ...[KEYS, COMMAND, FILE, IDENTIFIER].map((code): [Kind, RegExp] => ['code', new RegExp(code, 'g')]),
  ['handle', /(?<![A-Za-z0-9_@.])@[A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?(?![A-Za-z0-9_])/g],
  ['hashtag', /(?<![\p{L}\p{N}_&#])[#＃][\p{L}\p{M}\p{N}_ー]*\p{L}[\p{L}\p{M}\p{N}_ー]*/gu],
  ['phone', new RegExp(`(?<![A-Za-z0-9_０-９Ａ-Ｚａ-ｚ+＋(（-])(?:${PHONE})${NOT_BEFORE}`, 'g')],
  ['date', new RegExp(`${NOT_AFTER}(?:${DATE})${NOT_BEFORE}`, 'g')],
  ['time', new RegExp(`${NOT_AFTER}${TIME}${NOT_BEFORE}`, 'g')],
  ['amount', new RegExp(AMOUNT, 'g')],
  ['number', new RegExp(`${NOT_AFTER}(?:[-−+](?=${D}))?${NUM}${NOT_BEFORE}`, 'g')],
];
const PRIORITY: Kind[] = ['url', 'email', ...PATTERNS.map(([kind]) => kind)];

export function findVerbatim(text: string): VerbatimSpan[] {
  const found = [...links(text)];
  for (const [kind, re] of PATTERNS) {
    for (const m of text.matchAll(re))
      if (kind !== 'phone' || isPhone(m[0])) found.push({ start: m.index, end: m.index + m[0].length, kind });
  }
  // Longest first, then by kind, then leftmost; keep each candidate that overlaps nothing kept.
  const rank = (a: VerbatimSpan, b: VerbatimSpan) =>
    b.end - b.start - (a.end - a.start) || PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind);
  found.sort((a, b) => rank(a, b) || a.start - b.start);
  const taken = new Uint8Array(text.length);
  const kept: VerbatimSpan[] = [];
  for (const span of found) {
    if (taken.subarray(span.start, span.end).includes(1)) continue;
    taken.fill(1, span.start, span.end);
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function* links(text: string): Generator<VerbatimSpan> {
  const masked = text.replace(JAPANESE, (c) => ' '.repeat(c.length)); // same offsets
  if (!MAY_LINK.test(masked)) return; // linkify's regexes cost a cold request 10-25 ms to compile
  for (const m of linkify.match(masked) ?? []) {
    if (m.schema === '' && !/\.[a-z0-9-]+$/.test(m.raw.replace(/[/?#:].*$/s, ''))) continue;
    yield { start: m.index, end: m.lastIndex, kind: m.schema === 'mailto:' ? 'email' : 'url' };
  }
}

/** 9 to 15 digits, as phone numbers have (E.164 allows 15). */
const isPhone = (text: string): boolean => {
  const digits = text.replace(/[^0-9０-９]/g, '').length;
  return digits >= 9 && digits <= 15;
};
