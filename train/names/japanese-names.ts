// The commonest Japanese surnames, given names and places written in kanji, with the reading people use, for
// src/core/names/japanese.ts:
// - candidates are IPAdic's proper nouns (Noun.name.csv: 人名,姓 surnames and 人名,名 given names; Noun.place.csv:
//   地域,一般 places) whose surface has a kanji, each with IPAdic's reading and word cost (lower = more frequent:
//   IPAdic's costs were estimated from a tagged corpus);
// - a candidate is kept only when ENAMDICT lists the same reading for the same surface (a name reading, checked
//   against a second source);
// - a surface keeps its cheapest reading within its kind, and each kind keeps its `limits` cheapest surfaces.
// The result is ordered by kind, then cost: a name's rank is its position within its kind.

export type NameKind = 's' | 'g' | 'p'; // surname, given name, place

export interface JapaneseName {
  surface: string; // kanji (possibly with kana: 木ノ下, ひろ子)
  reading: string; // hiragana
  kind: NameKind;
  cost: number; // IPAdic's word cost
}

const HAS_KANJI = /\p{Script=Han}/u;
const NAME_CHARS = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}々ー]+$/u;

/** ENAMDICT's readings of each kanji surface, as `surface reading` keys. */
export function enamdictReadings(enamdict: string): Set<string> {
  const readings = new Set<string>();
  for (const line of enamdict.split('\n')) {
    const entry = /^(\S+) \[(\S+)\] \//u.exec(line);
    if (entry && HAS_KANJI.test(entry[1]!)) readings.add(`${entry[1]} ${entry[2]}`);
  }
  return readings;
}

/** The kept names of IPAdic's `csv` rows (Noun.name.csv and Noun.place.csv, UTF-8), cheapest first within a kind. */
export function japaneseNames(csv: string, enamdict: Set<string>, limits: Record<NameKind, number>): JapaneseName[] {
  const best = new Map<string, JapaneseName>(); // by kind + surface
  for (const row of csv.split('\n')) {
    const cols = row.split(',');
    const kind = kindOf(cols[6], cols[7]);
    const surface = cols[0]!;
    if (!kind || !HAS_KANJI.test(surface) || !NAME_CHARS.test(surface) || cols[11] === undefined) continue;
    const reading = toHiragana(cols[11]);
    if (!enamdict.has(`${surface} ${reading}`)) continue;
    const name = { surface, reading, kind, cost: Number(cols[3]) };
    const old = best.get(kind + surface);
    if (!old || old.cost > name.cost) best.set(kind + surface, name);
  }
  const kinds: NameKind[] = ['s', 'g', 'p'];
  return kinds.flatMap((kind) =>
    [...best.values()]
      .filter((name) => name.kind === kind)
      .sort((a, b) => a.cost - b.cost || (a.surface < b.surface ? -1 : 1))
      .slice(0, limits[kind]),
  );
}

function kindOf(type?: string, sub?: string): NameKind | undefined {
  if (type === '人名') return sub === '姓' ? 's' : sub === '名' ? 'g' : undefined;
  return type === '地域' && sub === '一般' ? 'p' : undefined;
}

/** Katakana to hiragana (ー kept: IPAdic's readings spell long vowels out, so it hardly occurs). */
export const toHiragana = (kana: string): string =>
  kana.replace(/[\u30a1-\u30f6]/gu, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
