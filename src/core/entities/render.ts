// An entity written in a language's conventions (the rules are listed in ./index.ts).
import { amountIn } from './amount.js';
import { MONTHS, WEEKDAYS, WEEKDAYS_JA, type Entity } from './values.js';

const pad = (n: number) => String(n).padStart(2, '0');

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "1 cent", "2 cents": an English unit or currency word after the number 1 is singular. */
const singular = (word: string, written: string) => (written === '1' ? (SINGULAR[word] ?? word) : word);
const SINGULAR: Record<string, string> = {
  cents: 'cent',
  miles: 'mile',
  inches: 'inch',
  degrees: 'degree',
  meters: 'meter',
  'square meters': 'square meter',
  minutes: 'minute',
  hours: 'hour',
  seconds: 'second',
  days: 'day',
  weeks: 'week',
  months: 'month',
  years: 'year',
  people: 'person',
  'years old': 'year old',
};

export function inEnglish(e: Entity): string {
  switch (e.type) {
    case 'time': {
      if (!e.half) return `${e.hour}:${pad(e.minute ?? 0)}${e.second !== undefined ? `:${pad(e.second)}` : ''}`;
      const clock =
        e.minute !== undefined || e.second !== undefined
          ? `:${pad(e.minute ?? 0)}${e.second !== undefined ? `:${pad(e.second)}` : ''}`
          : '';
      return `${e.hour === 0 ? 12 : e.hour}${clock} ${e.half}`;
    }
    case 'date':
      return englishDate(e);
    case 'money': {
      const amount = amountIn(e.amount, 'en');
      return e.currency.prefix ? `${e.currency.prefix}${amount}` : `${amount} ${singular(e.currency.suffix!, amount)}`;
    }
    case 'percent':
      return `${amountIn(e.amount, 'en')}%`;
    case 'quantity': {
      const amount = amountIn(e.amount, 'en');
      return e.unit.attached ? `${amount}${e.unit.en}` : `${amount} ${singular(e.unit.en, amount)}`;
    }
    case 'ordinal':
      return e.noun ? `${ordinal(e.n)} ${e.noun.en}` : ordinal(e.n);
    case 'room':
      return `Room ${e.n}`;
    case 'number':
      return amountIn(e.amount, 'en');
  }
}

/** Friday, March 14, 2026 / March 14 / March 2026 / March / Friday / 2026 / the 14th */
function englishDate({ year, month, day, weekday }: Extract<Entity, { type: 'date' }>): string {
  const wd = weekday !== undefined ? WEEKDAYS[weekday] : undefined;
  if (month === undefined) return day !== undefined ? `the ${ordinal(day)}` : (wd ?? String(year));
  const name = MONTHS[month - 1]!;
  if (day === undefined) return year !== undefined ? `${name} ${year}` : name;
  return `${wd ? `${wd}, ` : ''}${name} ${day}${year !== undefined ? `, ${year}` : ''}`;
}

export function inJapanese(e: Entity): string {
  switch (e.type) {
    case 'time':
      return japaneseTime(e);
    case 'date':
      return japaneseDate(e);
    case 'money':
      return `${amountIn(e.amount, 'ja')}${e.currency.ja}`;
    case 'percent':
      return `${amountIn(e.amount, 'ja')}%`;
    case 'quantity':
      return `${amountIn(e.amount, 'ja')}${e.unit.ja}`;
    case 'ordinal':
      return `${e.n}${e.noun?.ja ?? '番目'}`;
    case 'room':
      return `${e.n}号室`;
    case 'number':
      return amountIn(e.amount, 'ja');
  }
}

/** 午後3時30分, 午前0時 (12 am), 正午 (12 pm sharp), 午後0時30分 (12:30 pm), 15時, 3時30分 */
function japaneseTime({ hour, minute, second, half }: Extract<Entity, { type: 'time' }>): string {
  const rest = `${minute ? `${minute}分` : ''}${second ? `${second}秒` : ''}`;
  if (!half) return `${hour}時${rest}`;
  if (half === 'pm' && hour === 12 && !rest) return '正午';
  return `${half === 'am' ? '午前' : '午後'}${hour === 12 ? 0 : hour}時${rest}`;
}

/** 2026年3月14日（金） / 3月14日 / 2026年3月 / 3月 / 金曜日 / 2026年 / 14日 */
function japaneseDate({ year, month, day, weekday }: Extract<Entity, { type: 'date' }>): string {
  if (month === undefined && day === undefined)
    return weekday !== undefined ? `${WEEKDAYS_JA[weekday]}曜日` : `${year}年`;
  const ymd = `${year !== undefined ? `${year}年` : ''}${month !== undefined ? `${month}月` : ''}${day !== undefined ? `${day}日` : ''}`;
  return weekday !== undefined ? `${ymd}（${WEEKDAYS_JA[weekday]}）` : ymd;
}
