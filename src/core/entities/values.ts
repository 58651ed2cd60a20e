// What an entity means, apart from how either language writes it, and the vocabulary both languages share for it:
// currencies, units, ordinal nouns, weekdays and months. ./english.ts and ./japanese.ts read these values from text,
// ./render.ts writes them.
import type { Amount } from './amount.js';

export type Entity =
  | { type: 'time'; hour: number; minute?: number; second?: number; half?: 'am' | 'pm' } // hour 0-23, or 1-12 with half
  | { type: 'date'; year?: number; month?: number; day?: number; weekday?: number } // month 1-12, weekday 0 = Sunday
  | { type: 'money'; amount: Amount; currency: Currency }
  | { type: 'percent'; amount: Amount }
  | { type: 'quantity'; amount: Amount; unit: Unit }
  | { type: 'ordinal'; n: number; noun?: OrdinalNoun }
  | { type: 'room'; n: number } // Room 305 <-> 305号室
  | { type: 'number'; amount: Amount }; // a number said with a scale word (5 million, 50万); a bare number is no entity

/** A time read from either language: its parts that were written, none left undefined. */
export const timeOf = (hour: number, minute?: number, second?: number, half?: 'am' | 'pm'): Entity => ({
  type: 'time',
  hour,
  ...(minute !== undefined && { minute }),
  ...(second !== undefined && { second }),
  ...(half && { half }),
});

export type EntityType = Entity['type'];

/** How each language writes a currency: English before the digits (`prefix`) or after them (`suffix`), Japanese after. */
export interface Currency {
  code: string;
  prefix?: string; // "$25", "€10"
  suffix?: string; // "3,800 yen", "50 cents"
  ja: string; // "25ドル", "3,800円"
}

export const CURRENCIES: Record<string, Currency> = {
  USD: { code: 'USD', prefix: '$', ja: 'ドル' },
  JPY: { code: 'JPY', suffix: 'yen', ja: '円' },
  EUR: { code: 'EUR', prefix: '€', ja: 'ユーロ' },
  GBP: { code: 'GBP', prefix: '£', ja: 'ポンド' },
  CNY: { code: 'CNY', suffix: 'yuan', ja: '元' },
  KRW: { code: 'KRW', prefix: '₩', ja: 'ウォン' },
  AUD: { code: 'AUD', prefix: 'A$', ja: '豪ドル' },
  CAD: { code: 'CAD', prefix: 'C$', ja: 'カナダドル' },
  cent: { code: 'cent', suffix: 'cents', ja: 'セント' },
};

/**
 * A unit: its symbol in each language (`en` after a space, "5 km", unless `attached`: "20°C"; Japanese always
 * attached: "5km") and the spellings each language's text may use (symbols are matched in their case, words in any).
 */
export interface Unit {
  en: string;
  ja: string;
  attached?: boolean;
  enForms: string[];
  jaForms: string[];
}

const unit = (en: string, ja: string, enForms: string[], jaForms: string[], attached = false): Unit => ({
  en,
  ja,
  enForms,
  jaForms,
  ...(attached && { attached }),
});

// Not read, their meaning being the reader's guess: English "m" alone (5m: million? minutes?), キロ alone (km or kg).
export const UNITS: Unit[] = [
  unit('km/h', 'km/h', ['km/h', 'kph', 'kilometers per hour', 'kilometres per hour'], ['km/h', 'キロメートル毎時']),
  unit('km', 'km', ['km', 'kilometers', 'kilometer', 'kilometres', 'kilometre'], ['km', '㎞', 'キロメートル']),
  unit('meters', 'm', ['meters', 'meter', 'metres', 'metre'], ['m', 'メートル']), // English writes the word: it reads no "m"
  unit(
    'cm',
    'cm',
    ['cm', 'centimeters', 'centimeter', 'centimetres', 'centimetre'],
    ['cm', '㎝', 'センチメートル', 'センチ'],
  ),
  unit('mm', 'mm', ['mm', 'millimeters', 'millimeter', 'millimetres', 'millimetre'], ['mm', '㎜', 'ミリメートル']),
  unit('kg', 'kg', ['kg', 'kilograms', 'kilogram', 'kilos'], ['kg', '㎏', 'キログラム']),
  unit('mg', 'mg', ['mg', 'milligrams', 'milligram'], ['mg', '㎎', 'ミリグラム']),
  unit('g', 'g', ['g', 'grams', 'gram'], ['g', 'グラム']),
  unit(
    'mL',
    'mL',
    ['mL', 'ml', 'milliliters', 'milliliter', 'millilitres', 'millilitre'],
    ['mL', 'ml', '㎖', 'ミリリットル'],
  ),
  unit('L', 'L', ['L', 'liters', 'liter', 'litres', 'litre'], ['L', 'ℓ', 'リットル']),
  unit('°C', '°C', ['°C', '° C', '℃', 'degrees Celsius', 'degrees C'], ['°C', '℃', '度C'], true),
  unit('°F', '°F', ['°F', '° F', '℉', 'degrees Fahrenheit', 'degrees F'], ['°F', '℉'], true),
  unit('degrees', '度', ['degrees', '°'], ['°']), // 度 alone is a count as often (1度, 3度目): left to the model
  unit('miles', 'マイル', ['miles', 'mile'], ['マイル']),
  unit('inches', 'インチ', ['inches', 'inch'], ['インチ']),
  unit('TB', 'TB', ['TB', 'terabytes'], ['TB', 'テラバイト']),
  unit('GB', 'GB', ['GB', 'gigabytes'], ['GB', 'ギガバイト', 'ギガ']),
  unit('MB', 'MB', ['MB', 'megabytes'], ['MB', 'メガバイト']),
  unit('KB', 'KB', ['KB', 'kB', 'kilobytes'], ['KB', 'キロバイト']),
  unit(
    'square meters',
    '平方メートル',
    ['square meters', 'square meter', 'square metres', 'square metre', 'm²', 'sq m'],
    ['平方メートル', '㎡', 'm²'],
  ),
  // Durations, people counted and ages ("45 minutes" <-> 45分, "1,500 people" <-> 1,500人, "30 years old" <-> 30歳).
  unit('minutes', '分', ['minutes', 'minute', 'mins', 'min'], ['分間', '分']),
  unit('hours', '時間', ['hours', 'hour', 'hrs'], ['時間']),
  unit('seconds', '秒', ['seconds', 'second', 'secs'], ['秒間', '秒']),
  unit('days', '日間', [], ['日間']), // English "3 days" is 3日 or 3日間 by what follows (3日前, 3日間の旅): left to the model
  unit('weeks', '週間', ['weeks', 'week'], ['週間']),
  unit('months', 'か月', ['months', 'month'], ['か月', 'ヶ月', 'カ月', 'ヵ月', 'ケ月']),
  unit('years', '年', ['years', 'year'], []), // Japanese 5年 is as often a year of an era or a school's (5年生): not read
  unit('people', '人', ['people', 'persons', 'person'], ['人']),
  unit('years old', '歳', ['years old', 'year old', 'years of age'], ['歳', '才']),
];

/** An age ("turned 30" -> 30歳). */
export const AGE = UNITS.find((u) => u.ja === '歳')!;

/** A noun an ordinal counts, in each language: "12th floor" <-> "12階". */
export interface OrdinalNoun {
  en: string;
  ja: string;
}

export const ORDINAL_NOUNS: OrdinalNoun[] = [
  { en: 'floor', ja: '階' },
  { en: 'century', ja: '世紀' },
  { en: 'time', ja: '回目' },
  { en: 'anniversary', ja: '周年' },
  { en: 'place', ja: '位' },
];

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土'];
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of any year (February 29 is a date). */
export const daysIn = (month: number): number => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;

/** English numbers said in words: each at its value's index, then the tens. */
export const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
export const TENS: Record<string, number> = {
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
