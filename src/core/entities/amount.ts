// Amounts as entities carry them: the digits as written (ASCII, the writer's separators kept: "3,800", "12.5"), and,
// when the writer used a scale word (English thousand/million/billion/trillion, Japanese 千/万/億/兆), the exact value,
// so the target can say it with its own scale words: 5 million <-> 500万, 1億2000万 <-> 120 million. Values are exact
// decimals (a bigint and a power of ten), never floats: 1.2 x 10^9 must be 12億, not 11億9999万.

/** digits x 10^exp */
export interface Decimal {
  digits: bigint;
  exp: number;
}

export interface Amount {
  written: string; // as the source wrote the number, digits made ASCII ("３，８００" -> "3,800")
  value: Decimal;
  scaled: boolean; // a scale word was part of it: render the value in the target's scale words
  negative?: true; // below zero ("-3°C", "マイナス3℃"); `written` and `value` are the magnitude
}

/** Full-width digits and separators as ASCII; other characters as they are. */
export const asciiDigits = (text: string): string =>
  text.replace(/[０-９．，：－／]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));

/** A number written with digits and separators: "," between groups of three ("3,800"), "." (or a lone ",") before decimals ("12.5", "1,5"). */
export function parseDecimal(text: string): Decimal {
  const ascii = asciiDigits(text);
  const grouped = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(ascii);
  const plain = grouped ? ascii.replace(/,/g, '') : ascii.replace(/,/g, '.');
  const [int = '0', frac = ''] = plain.split('.');
  return normalize({ digits: BigInt(int + frac || '0'), exp: -frac.length });
}

export const times10 = (d: Decimal, power: number): Decimal => normalize({ digits: d.digits, exp: d.exp + power });

export function add(a: Decimal, b: Decimal): Decimal {
  const exp = Math.min(a.exp, b.exp);
  return normalize({ digits: a.digits * 10n ** BigInt(a.exp - exp) + b.digits * 10n ** BigInt(b.exp - exp), exp });
}

/** Trailing zeros moved into the exponent (one spelling per value). */
function normalize({ digits, exp }: Decimal): Decimal {
  while (digits !== 0n && digits % 10n === 0n) {
    digits /= 10n;
    exp++;
  }
  return { digits, exp: digits === 0n ? 0 : exp };
}

/** Plain decimal notation, with "," between thousands when `group`: 1234567.5 -> "1,234,567.5". */
export function formatDecimal(d: Decimal, group = true): string {
  const s = d.digits.toString();
  const [int, frac] =
    d.exp >= 0
      ? [s + '0'.repeat(d.exp), '']
      : [s.slice(0, d.exp).padStart(1, '0'), s.slice(d.exp).padStart(-d.exp, '0')];
  const head = group ? int.replace(/\B(?=(\d{3})+$)/g, ',') : int;
  return frac ? `${head}.${frac}` : head;
}

const fractionDigits = (d: Decimal): number => Math.max(0, -d.exp);
const atLeast = (d: Decimal, power: number): boolean => d.digits.toString().length + d.exp - 1 >= power;

const ENGLISH_SCALES: [string, number][] = [
  ['trillion', 12],
  ['billion', 9],
  ['million', 6],
];

/** A scaled value in English: "5 million", "1.2 billion"; below a million, or too many decimals for one, in digits ("10,000"). */
export function englishValue(d: Decimal): string {
  for (const [word, power] of ENGLISH_SCALES) {
    const part = times10(d, -power);
    if (atLeast(d, power) && fractionDigits(part) <= 3) return `${formatDecimal(part)} ${word}`;
  }
  return formatDecimal(d);
}

const JAPANESE_SCALES: [string, number][] = [
  ['兆', 12],
  ['億', 8],
  ['万', 4],
];

/**
 * A scaled value in Japanese: each group of four digits with its scale word ("1億2000万", "250万", "12億"); a value
 * below 10,000, or one with decimals below 万, in digits ("5,000", "12,345.5").
 */
export function japaneseValue(d: Decimal): string {
  if (!atLeast(d, 4) || d.exp < 0) return formatDecimal(d);
  let rest = d.digits * 10n ** BigInt(d.exp);
  let out = '';
  for (const [word, power] of JAPANESE_SCALES) {
    const unit = 10n ** BigInt(power);
    if (rest >= unit) out += `${rest / unit}${word}`;
    rest %= unit;
  }
  return rest > 0n ? out + rest.toString() : out;
}

/** The amount as the target writes it: the digits as written, or a scaled value in the target's scale words. */
export const amountIn = (a: Amount, lang: 'en' | 'ja'): string =>
  (a.negative ? '-' : '') + (!a.scaled ? a.written : lang === 'en' ? englishValue(a.value) : japaneseValue(a.value));
