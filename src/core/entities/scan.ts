// What ./english.ts and ./japanese.ts share: the regular-expression pieces for numbers (ASCII or full-width digits),
// and the scan that runs a language's rules over a text and keeps, of the candidates that overlap, the longest (the
// earlier rule on equal length, then the leftmost), as ../segment/verbatim.ts keeps its spans. A text without a digit
// is only read by the rules marked `words` (month and weekday names): the others cannot match, and a request without
// numbers then never compiles them (compiling all of them costs a cold isolate about 10 ms on this machine).
import { parseDecimal, asciiDigits, times10, type Amount } from './amount.js';
import type { Entity } from './values.js';

export const D = '[0-9０-９]';
/** A number: digits grouped by commas in threes, or plain, with decimals after "." ("3,800", "12.5", "１０"). */
export const NUM = `(?:${D}{1,3}(?:[,，]${D}{3})+(?:[.．]${D}+)?|${D}+(?:[.．]${D}+)?)`;
/** Not inside a Latin word or another number. */
export const NOT_AFTER = '(?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９_.,．，])';

/** A rule: a pattern (with the g flag), what its match means (undefined: not an entity after all), 'words' when it needs no digit. */
export type Rule = [
  RegExp,
  (groups: Record<string, string | undefined>, match: string) => Entity | undefined,
  'words'?,
];

const DIGIT = /[0-9０-９]/;

export interface Found {
  start: number;
  end: number;
  entity: Entity;
}

export function scan(text: string, rules: Rule[]): Found[] {
  const candidates: (Found & { rule: number })[] = [];
  const digits = DIGIT.test(text);
  rules.forEach(([pattern, read, words], rule) => {
    if (!digits && !words) return;
    for (const m of text.matchAll(pattern)) {
      const entity = read(m.groups ?? {}, m[0]);
      if (entity && m[0].length > 0) candidates.push({ start: m.index, end: m.index + m[0].length, entity, rule });
    }
  });
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.rule - b.rule || a.start - b.start);
  const kept: Found[] = [];
  for (const { rule: _, ...found } of candidates) {
    if (kept.every((k) => k.end <= found.start || k.start >= found.end)) kept.push(found);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** An integer read from ASCII or full-width digits. */
export const int = (digits: string | undefined): number | undefined =>
  digits === undefined ? undefined : Number(asciiDigits(digits));

/** A number as written, times 10^power when a scale word went with it; below zero when `sign` is a minus. */
export function amount(written: string, power = 0, sign?: string): Amount {
  const ascii = asciiDigits(written).replace(/[．]/g, '.');
  return {
    written: ascii,
    value: times10(parseDecimal(ascii), power),
    scaled: power !== 0,
    ...(sign && { negative: true as const }),
  };
}

/** Regex-escaped alternatives, longest first (so "km/h" is tried before "km"). */
export const alternatives = (forms: string[]): string =>
  [...forms]
    .sort((a, b) => b.length - a.length)
    .map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|');
