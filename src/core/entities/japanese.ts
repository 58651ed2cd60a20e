// The entities of a Japanese text (the rules are listed in ./index.ts). Kana and kanji may touch an entity (Japanese
// has no spaces: "3時に", "12階の"); what only looks like one is left alone: a building's storeys (3階建て) and stairs
// (階段), a basement (地下1階), years counted (1000年前, 1990年代, 2026年度), the 3rd person (3人目), a fraction (5分の1).
import { CURRENCIES, ORDINAL_NOUNS, UNITS, WEEKDAYS_JA, daysIn, timeOf, type Entity } from './values.js';
import { alternatives, amount, D, int, NOT_AFTER, NUM, scan, type Found, type Rule } from './scan.js';
import { add, asciiDigits, type Amount, type Decimal } from './amount.js';

const NOT_LATIN = '(?![A-Za-zＡ-Ｚａ-ｚ])';
const SIGN = '(?:(?<sign>[-−－](?=[0-9０-９])|マイナス|氷点下))?'; // below zero
const SCALES: Record<string, number> = { 千: 3, 万: 4, 億: 8, 兆: 12 };
/** A number with Japanese scale words: 5万, 1億2000万, 1万5000 (the last group bare). */
const SCALED = `(?:${NUM}[千万億兆])+(?:${D}+)?`;

/** The value of a number written with scale words, as an amount to be said again with the target's. */
function scaled(written: string): Amount {
  let value: Decimal = { digits: 0n, exp: 0 };
  for (const [, digits, word] of asciiDigits(written).matchAll(/([\d.,]+)([千万億兆]?)/g))
    value = add(value, amount(digits!, word ? SCALES[word] : 0).value);
  return { written: asciiDigits(written), value, scaled: true };
}
const amountOf = (written: string): Amount => (/[千万億兆]/.test(written) ? scaled(written) : amount(written));

function time(g: Record<string, string | undefined>): Entity | undefined {
  const hour = int(g.h)!;
  const minute = g.han ? 30 : int(g.m);
  const second = int(g.s);
  const half = g.half === '午前' ? 'am' : g.half === '午後' ? 'pm' : undefined;
  if (hour > (half ? 12 : 24) || (minute ?? 0) > 59 || (second ?? 0) > 59) return undefined;
  return timeOf(hour, minute, second, half);
}

function date(g: Record<string, string | undefined>): Entity | undefined {
  const month = int(g.mo);
  const day = int(g.d);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined && (day < 1 || day > daysIn(month!))) return undefined;
  const wd = g.wd ?? g.wd2;
  return {
    type: 'date',
    ...(g.y && { year: int(g.y) }),
    ...(month && { month }),
    ...(day && { day }),
    ...(wd && { weekday: WEEKDAYS_JA.indexOf(wd) }),
  };
}

const CURRENCY: Record<string, string> = {
  ドル: 'USD',
  米ドル: 'USD',
  円: 'JPY',
  ユーロ: 'EUR',
  ポンド: 'GBP',
  元: 'CNY',
  人民元: 'CNY',
  ウォン: 'KRW',
  豪ドル: 'AUD',
  カナダドル: 'CAD',
  セント: 'cent',
  $: 'USD',
  '＄': 'USD',
  '¥': 'JPY',
  '￥': 'JPY',
  '€': 'EUR',
  '£': 'GBP',
};
const money = (written: string, currency: string): Entity => ({
  type: 'money',
  amount: amountOf(written),
  currency: CURRENCIES[CURRENCY[currency]!]!,
});

const UNIT_FORMS = UNITS.flatMap((unit) => unit.jaForms.map((form) => ({ form, unit })));
const ORDINAL = `(?<noun>${ORDINAL_NOUNS.map((n) => (n.ja === '階' ? '階(?![建段])' : n.ja)).join('|')}|番目)`;
const WEEKDAY = '[月火水木金土日]';
/** Not a unit after all: the 3rd person or a serving (3人目, 2人前, 1人分), a fraction (5分の1), a school period (3時間目). */
const NOT_A_COUNT = '(?!(?<=人)[目前分]|(?<=[分秒])の[0-9０-９一二三四五六七八九十]|(?<=時間)目)';

const RULES: Rule[] = [
  // 2026年3月14日（金）, 3月14日(金), 3月14日金曜日
  [
    new RegExp(
      `${NOT_AFTER}(?:(?<y>${D}{4})年\\s?)?(?<mo>${D}{1,2})月\\s?(?<d>${D}{1,2})日(?!間)(?:\\s?[（(](?<wd>${WEEKDAY})(?:曜日?)?[)）]|\\s?(?<wd2>${WEEKDAY})曜日?)?`,
      'gu',
    ),
    date,
  ],
  // 2026/3/14, 2026-03-14
  [
    new RegExp(`${NOT_AFTER}(?<y>${D}{4})(?<sep>[-/.／－．])(?<mo>${D}{1,2})\\k<sep>(?<d>${D}{1,2})(?!${D})`, 'gu'),
    date,
  ],
  // 2026年3月, 3月, 2026年
  [new RegExp(`${NOT_AFTER}(?<y>${D}{4})年\\s?(?<mo>${D}{1,2})月(?![間曜])`, 'gu'), date],
  [new RegExp(`${NOT_AFTER}(?<mo>${D}{1,2})月(?![間曜])`, 'gu'), date],
  [
    new RegExp(`${NOT_AFTER}(?<y>${D}{4})年(?![間代度生前後ぶ以])`, 'gu'),
    (g) => (int(g.y)! >= 1800 && int(g.y)! < 2200 ? date(g) : undefined),
  ],
  // 金曜日, 金曜
  [new RegExp(`(?<!${D})(?<wd>${WEEKDAY})曜日?`, 'gu'), date, 'words'],
  // 午後3時30分, 3時半, 15時, 午前10時15分30秒, 午後3:30
  [
    new RegExp(
      `(?:(?<half>午前|午後)\\s?)?${NOT_AFTER}(?<h>${D}{1,2})時(?!間)(?:(?<m>${D}{1,2})分(?!間)|(?<han>半))?(?:(?<s>${D}{1,2})秒(?!間))?`,
      'gu',
    ),
    time,
  ],
  [new RegExp(`(?<half>午前|午後)\\s?(?<h>${D}{1,2})[:：](?<m>[0-5０-５]${D})(?!${D})`, 'gu'), time],
  // 3,800円, 25ドル, 1万5000円, $25, ￥500
  [
    new RegExp(
      `${NOT_AFTER}(?<num>${SCALED}|${NUM})\\s?(?<cur>米ドル|豪ドル|カナダドル|ドル|円|ユーロ|ポンド|人民元|元|ウォン|セント)`,
      'gu',
    ),
    (g) => money(g.num!, g.cur!),
  ],
  [new RegExp(`(?<cur>[$＄€£¥￥])\\s?(?<num>${SCALED}|${NUM})(?![0-9０-９])`, 'gu'), (g) => money(g.num!, g.cur!)],
  // 70%, 70パーセント
  [
    new RegExp(`${NOT_AFTER}${SIGN}(?<num>${NUM})\\s?(?:[%％]|パーセント)`, 'gu'),
    (g) => ({ type: 'percent', amount: amount(g.num!, 0, g.sign) }),
  ],
  // 5km, 20℃, 500ミリリットル, 45分, 2週間, 1,500人, 50万人, 30歳
  [
    new RegExp(
      `${NOT_AFTER}${SIGN}(?<num>${SCALED}|${NUM})\\s?(?<unit>${alternatives(UNIT_FORMS.map((u) => u.form))})${NOT_LATIN}${NOT_A_COUNT}`,
      'gu',
    ),
    (g) => {
      const unit = UNIT_FORMS.find((u) => u.form === g.unit)?.unit;
      return (
        unit && { type: 'quantity', amount: { ...amountOf(g.num!), ...(g.sign && { negative: true as const }) }, unit }
      );
    },
  ],
  // 305号室
  [new RegExp(`${NOT_AFTER}(?<n>${D}{1,5})号室`, 'gu'), (g) => ({ type: 'room', n: int(g.n)! })],
  // 12階, 21世紀, 3回目, 10周年, 1位, 3番目
  [
    new RegExp(`(?<!地下\\s?)${NOT_AFTER}(?<n>${D}{1,3})${ORDINAL}`, 'gu'),
    (g) => {
      const noun = ORDINAL_NOUNS.find((n) => g.noun!.startsWith(n.ja));
      return { type: 'ordinal', n: int(g.n)!, ...(noun && { noun }) };
    },
  ],
  // 5万, 1億2000万 (a number said with scale words)
  [new RegExp(`${NOT_AFTER}(?<num>${SCALED})`, 'gu'), (g) => ({ type: 'number', amount: scaled(g.num!) })],
];

export const findJapanese = (text: string): Found[] => scan(text, RULES);
