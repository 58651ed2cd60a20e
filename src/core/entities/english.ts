// The entities of an English text (the rules are listed in ./index.ts). Month and weekday names in any case, except
// where a name is also a word: "May" and abbreviations ("Mar", "Sat") are months and weekdays only capitalised and
// next to a day number, and a month alone only capitalised ("in March"; "May" alone only after in/of/since/...).
import {
  AGE,
  CURRENCIES,
  MONTHS,
  NUMBER_WORDS,
  ORDINAL_NOUNS,
  TENS,
  UNITS,
  WEEKDAYS,
  daysIn,
  timeOf,
  type Entity,
} from './values.js';
import { alternatives, amount, D, int, NOT_AFTER, NUM, scan, type Found, type Rule } from './scan.js';

/**
 * Letters of a pattern in either case ("pm" -> "[pP][mM]"). The rules spell words so instead of using the i flag, with
 * which V8 compiles the case closure of \p{L}: compiling and first running every rule of both languages took 15.8 ms
 * with it, 10.4 ms without (the least of 15 runs on this machine, training beside).
 */
const ci = (pattern: string) => pattern.replace(/[a-zA-Z]/g, (ch) => `[${ch.toLowerCase()}${ch.toUpperCase()}]`);

const END = '(?![\\p{L}\\p{N}_])';
const SCALES: Record<string, number> = {
  thousand: 3,
  million: 6,
  billion: 9,
  trillion: 12,
  k: 3,
  m: 6,
  mn: 6,
  b: 9,
  bn: 9,
};
const SCALE = '(?:\\s+(?<scale>thousand|million|billion|trillion))';
const SIGN = `(?:(?<sign>[-−](?=[0-9０-９])|${ci('minus')}\\s+))?`; // a minus joined to the digits (not the "-" of "3-5": NOT_AFTER)

// A full name's following "." is the sentence's; an abbreviation's is its own ("Mar. 8").
const WEEKDAY = `(?<wd>${ci('sunday|monday|tuesday|wednesday|thursday|friday|saturday|(?:sun|mon|tues?|wed|thu(?:rs?)?|fri|sat)')}\\.?)`;
const MONTH = `(?<mon>${ci('january|february|march|april|may|june|july|august|september|october|november|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)')}\\.?)`;
const SUFFIX = ci('(?:st|nd|rd|th)');
const DAY = `(?<day>${D}{1,2})${SUFFIX}?`;
const YEAR = `(?<year>${D}{4})`;
const MAY_AFTER =
  '\\b(?:[Ii]n|[Oo]f|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Ee]arly|[Ll]ate|[Mm]id-?|[Nn]ext|[Ll]ast|[Tt]his|[Ee]very|[Dd]uring)';

const weekdayOf = (name: string | undefined) =>
  name === undefined
    ? undefined
    : WEEKDAYS.findIndex((w) => w.toLowerCase().startsWith(name.toLowerCase().slice(0, 3)));
const monthOf = (name: string) =>
  MONTHS.findIndex((m) => m.toLowerCase().startsWith(name.toLowerCase().slice(0, 3))) + 1;
const capitalised = (word: string) => /^\p{Lu}/u.test(word);
/** A month or weekday name that is also a word is one only capitalised: "May", the abbreviations. */
const nameFits = (name: string | undefined, full: string[]) =>
  name === undefined ||
  (capitalised(name) ? true : full.some((f) => f.toLowerCase() === name.toLowerCase()) && name.toLowerCase() !== 'may');

function date(g: Record<string, string | undefined>, monthMustBeCapital = false): Entity | undefined {
  const month = monthOf(g.mon!);
  const day = int(g.day);
  if (!nameFits(g.mon, MONTHS) || !nameFits(g.wd, WEEKDAYS) || (monthMustBeCapital && !capitalised(g.mon!)))
    return undefined;
  if (day !== undefined && (day < 1 || day > daysIn(month))) return undefined;
  return {
    type: 'date',
    month,
    ...(day !== undefined && { day }),
    ...(g.year && { year: int(g.year) }),
    ...(g.wd && { weekday: weekdayOf(g.wd) }),
  };
}

function time(g: Record<string, string | undefined>): Entity | undefined {
  const hour = int(g.h)!;
  const minute = int(g.m);
  const second = int(g.s);
  const half = g.half ? (g.half.toLowerCase().startsWith('a') ? 'am' : 'pm') : undefined;
  if (hour > (half ? 12 : 23)) return undefined;
  return timeOf(hour, minute, second, half);
}

const SYMBOLS: Record<string, string> = {
  $: 'USD',
  US$: 'USD',
  A$: 'AUD',
  AU$: 'AUD',
  C$: 'CAD',
  CA$: 'CAD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '￥': 'JPY',
  '₩': 'KRW',
};
const WORDS: Record<string, string> = {
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  yen: 'JPY',
  euro: 'EUR',
  euros: 'EUR',
  cent: 'cent',
  cents: 'cent',
  yuan: 'CNY',
};
const money = (num: string, scale: string | undefined, code: string): Entity => ({
  type: 'money',
  amount: amount(num, scale ? SCALES[scale.toLowerCase()] : 0),
  currency: CURRENCIES[code]!,
});

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const nounOf = (word: string | undefined) => ORDINAL_NOUNS.find((n) => n.en === word?.toLowerCase());

/**
 * Unit spellings: symbols in their case ("mL", "L"), words lower case or capitalised ("Kilometers"; every letter in
 * either case made this the costliest pattern to compile: 4.4 ms, now 2.5).
 */
const UNIT_FORMS = UNITS.flatMap((unit) => unit.enForms.map((form) => ({ form, unit })));
const UNIT = `(?<unit>${UNIT_FORMS.sort((a, b) => b.form.length - a.form.length)
  .map(({ form }) => (/^\p{Ll}{4,}/u.test(form) ? ci(form[0]!) + alternatives([form.slice(1)]) : alternatives([form])))
  .join('|')})`;
/** A unit said in words ("minutes", "people"), after a number said in words. */
const UNIT_WORD = `(?<unit>${UNIT_FORMS.filter(({ form }) => /^\p{Ll}{4,}/u.test(form))
  .map(({ form }) => ci(form[0]!) + alternatives([form.slice(1)]))
  .join('|')})`;
const numberWord = (word: string) =>
  NUMBER_WORDS.indexOf(word.toLowerCase()) >= 0 ? NUMBER_WORDS.indexOf(word.toLowerCase()) : TENS[word.toLowerCase()]!;
/** What follows an age after "turn": the sentence goes on without a noun the number would count ("turned 30 last week"). */
const AFTER_AGE = `(?=\\s*(?:[.,;:!?)]|$)|\\s+(?:${ci('last|this|next|on|in|at|today|tomorrow|yesterday|soon|and|but|when|before|after')})${END})`;

const unitOf = (written: string) =>
  UNIT_FORMS.find(({ form }) =>
    /^\p{Ll}{4,}/u.test(form) ? form === written.charAt(0).toLowerCase() + written.slice(1) : form === written,
  )?.unit;

const RULES: Rule[] = [
  // Friday, March 14th, 2026 / March 14 / Mar. 14
  [
    new RegExp(`(?<![\\p{L}\\p{N}])(?:${WEEKDAY},?\\s+)?${MONTH}\\s+${DAY}(?:,?\\s+${YEAR})?(?![\\p{L}\\p{N}:])`, 'gu'),
    (g) => date(g),
  ],
  // Friday, 14 March 2026 / the 14th of March
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}])(?:${WEEKDAY},?\\s+)?(?:${ci('the')}\\s+)?${DAY}\\s+(?:${ci('of')}\\s+)?${MONTH}(?:,?\\s+${YEAR})?${END}`,
      'gu',
    ),
    (g) => date(g, true),
  ],
  // March 2026
  [
    new RegExp(`(?<![\\p{L}\\p{N}])${MONTH}\\s+${YEAR}${END}`, 'gu'),
    (g) => (capitalised(g.mon!) ? { type: 'date', month: monthOf(g.mon!), year: int(g.year) } : undefined),
  ],
  // 2026-03-14, 2026/3/14
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}])${YEAR}(?<sep>[-/.])(?<mo>${D}{1,2})\\k<sep>(?<day>${D}{1,2})(?![\\p{L}\\p{N}])`,
      'gu',
    ),
    (g) => {
      const month = int(g.mo)!;
      const day = int(g.day)!;
      return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month)
        ? { type: 'date', year: int(g.year), month, day }
        : undefined;
    },
  ],
  // on the 14th, by the 3rd (the day of a month after a word that announces a day)
  [
    new RegExp(
      `(?<=\\b(?:${ci('on|by|until|till|from|since|before|after|through')})\\s+)${ci('the')}\\s+(?<day>${D}{1,2})${SUFFIX}${END}`,
      'gu',
    ),
    (g) => (int(g.day)! >= 1 && int(g.day)! <= 31 ? { type: 'date', day: int(g.day) } : undefined),
  ],
  // Friday (full names only)
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}])(?<wd>${ci('sunday|monday|tuesday|wednesday|thursday|friday|saturday')})(?![\\p{L}\\p{N}])`,
      'gu',
    ),
    (g) => ({ type: 'date', weekday: weekdayOf(g.wd) }),
    'words',
  ],
  // March (capitalised; "May" only after a word that announces a month)
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}])(?:(?<mon>${MONTHS.filter((m) => m !== 'May').join('|')})|(?<=${MAY_AFTER}\\s+)(?<may>May))${END}`,
      'gu',
    ),
    (g) => ({ type: 'date', month: monthOf(g.mon ?? g.may!) }),
    'words',
  ],
  // 3:30 pm, 3 p.m., 10am (a final "." of "p.m." ending the text is the sentence's)
  [
    new RegExp(
      `${NOT_AFTER}(?<h>${D}{1,2})(?:[:：](?<m>[0-5０-５]${D}))?(?:[:：](?<s>[0-5０-５]${D}))?\\s?(?<half>[aApP][mM]|[aApP]\\.[mM](?:\\.(?!\\s*$))?)${END}`,
      'gu',
    ),
    time,
  ],
  // 3 o'clock
  [new RegExp(`${NOT_AFTER}(?<h>${D}{1,2})\\s+${ci("o['’]clock")}${END}`, 'gu'), time],
  // $25, US$5, €10, ¥500, $5 million, $10k, $2bn
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}_])(?<cur>US\\$|AU?\\$|CA?\\$|\\$|€|£|¥|￥|₩)\\s?(?<num>${NUM})(?:${SCALE}|(?<short>[kKmMbB]n?))?(?![\\p{L}\\p{N}])`,
      'gu',
    ),
    (g) => money(g.num!, g.scale ?? g.short, SYMBOLS[g.cur!]!),
  ],
  // 20 USD, 3,800 yen, 5 million dollars, 50 cents
  [
    new RegExp(`${NOT_AFTER}(?<num>${NUM})${SCALE}?\\s?(?<code>USD|EUR|JPY|GBP|CNY|KRW|AUD|CAD)(?![\\p{L}])`, 'gu'),
    (g) => money(g.num!, g.scale, g.code!),
  ],
  [
    new RegExp(
      `${NOT_AFTER}(?<num>${NUM})${SCALE}?\\s+(?<word>${ci('dollars?|bucks|yen|euros?|cents?|yuan')})${END}`,
      'gu',
    ),
    (g) => money(g.num!, g.scale, WORDS[g.word!.toLowerCase()]!),
  ],
  // 70%, 70 percent
  [
    new RegExp(
      `${NOT_AFTER}${SIGN}(?<num>${NUM})\\s?(?:[%％]|${ci('percent')}${END}|${ci('per')}\\s+${ci('cent')}${END})`,
      'gu',
    ),
    (g) => ({ type: 'percent', amount: amount(g.num!, 0, g.sign) }),
  ],
  // 5 km, 2.5kg, -3°C, 500 mL
  [
    new RegExp(`${NOT_AFTER}${SIGN}(?<num>${NUM})\\s?${UNIT}(?![\\p{L}\\p{N}])`, 'gu'),
    (g) => {
      const unit = unitOf(g.unit!);
      return unit && { type: 'quantity', amount: amount(g.num!, 0, g.sign), unit };
    },
  ],
  // five minutes, two people (a number said in words, before a unit said in words)
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}-])(?<w>${ci([...NUMBER_WORDS, ...Object.keys(TENS)].join('|'))})\\s+${UNIT_WORD}${END}`,
      'gu',
    ),
    (g) => {
      const unit = unitOf(g.unit!);
      return unit && { type: 'quantity', amount: amount(String(numberWord(g.w!))), unit };
    },
  ],
  // turned 30, turns 85 (an age)
  [
    new RegExp(`(?<=(?<![\\p{L}])${ci('turn')}(?:s|ed|ing)?\\s+)(?<num>${D}{1,3})${AFTER_AGE}`, 'gu'),
    (g) => ({ type: 'quantity', amount: amount(g.num!), unit: AGE }),
  ],
  // Room 305, room no. 12
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}])${ci('room')}\\s+(?:${ci('no')}\\.?\\s*)?(?<n>${D}{1,5})(?![\\p{L}\\p{N}]|[.,]${D})`,
      'gu',
    ),
    (g) => ({ type: 'room', n: int(g.n)! }),
  ],
  // 12th floor, 21st century, 3rd time, 3rd
  [
    new RegExp(
      `${NOT_AFTER}(?<n>${D}{1,3})${SUFFIX}(?:\\s+(?<noun>${ci(ORDINAL_NOUNS.map((n) => n.en).join('|'))}))?${END}`,
      'gu',
    ),
    (g) => {
      const noun = nounOf(g.noun);
      return { type: 'ordinal', n: int(g.n)!, ...(noun && { noun }) };
    },
  ],
  // third floor, floor 12
  [
    new RegExp(`(?<![\\p{L}\\p{N}])(?<w>${ci(ORDINAL_WORDS.join('|'))})\\s+${ci('floor')}${END}`, 'gu'),
    (g) => ({ type: 'ordinal', n: ORDINAL_WORDS.indexOf(g.w!.toLowerCase()) + 1, noun: nounOf('floor')! }),
  ],
  [
    new RegExp(`(?<![\\p{L}\\p{N}])${ci('floor')}\\s+(?<n>${D}{1,3})(?![\\p{L}\\p{N}])`, 'gu'),
    (g) => ({ type: 'ordinal', n: int(g.n)!, noun: nounOf('floor')! }),
  ],
  // 5 million (a number said with a scale word)
  [
    new RegExp(`${NOT_AFTER}(?<num>${NUM})${SCALE}${END}`, 'gu'),
    (g) => ({ type: 'number', amount: amount(g.num!, SCALES[g.scale!]) }),
  ],
];

export const findEnglish = (text: string): Found[] => scan(text, RULES);
