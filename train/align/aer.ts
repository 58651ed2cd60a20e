// Alignment error rate (Och and Ney 2003) against a gold set of sure (S) and possible (P, a superset of S) links:
// AER = 1 - (|A & S| + |A & P|) / (|A| + |S|). 0 is perfect; a link that is only possible costs nothing when
// present and nothing when absent.
//
// The gold file (train/eval/gold-alignments.en-ja.txt): `#` comment lines, then per pair
// `<dev line, 1-based>\t<sure links>\t<extra possible links>`, links `i-j` (English token i, Japanese token j,
// 0-based, in the corpus's tokens).
import type { Link } from './fast-align.js';

export interface GoldPair {
  line: number; // 1-based dev line
  sure: Link[];
  possible: Link[]; // sure links included
}

export function parseGold(text: string): GoldPair[] {
  const links = (field = '') =>
    field
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((l): Link => {
        const m = /^(\d+)-(\d+)$/.exec(l);
        if (!m) throw new Error(`gold alignments: "${l}" is not a link i-j`);
        return [Number(m[1]), Number(m[2])];
      });
  return text
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((line) => {
      const [n, sure, possible] = line.split('\t');
      const s = links(sure);
      return { line: Number(n), sure: s, possible: [...s, ...links(possible)] };
    });
}

/** AER of `predicted` (one link list per gold pair, same order, in the gold's orientation) over the whole set. */
export function alignmentErrorRate(gold: GoldPair[], predicted: Link[][]): number {
  let [aS, aP, a, s] = [0, 0, 0, 0];
  gold.forEach((g, k) => {
    const key = ([i, j]: Link) => `${i}-${j}`;
    const sure = new Set(g.sure.map(key));
    const possible = new Set(g.possible.map(key));
    const links = new Set(predicted[k].map(key));
    for (const l of links) {
      if (sure.has(l)) aS++;
      if (possible.has(l)) aP++;
    }
    a += links.size;
    s += sure.size;
  });
  return a + s === 0 ? 0 : 1 - (aS + aP) / (a + s);
}
