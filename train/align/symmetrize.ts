// Two one-way alignments (./fast-align.ts) as one: grow-diag-final-and (Koehn et al. 2003, as Moses and fast_align's
// atools do it). Start from the links both directions agree on (precise), grow into neighbouring links (diagonals
// included) of either direction that attach a word not yet aligned, then add the remaining links of either
// direction whose two words are both still unaligned. Higher recall than the intersection, without the union's
// noise.
import type { Link } from './fast-align.js';

const NEIGHBOURS: Link[] = [
  [-1, 0],
  [0, -1],
  [1, 0],
  [0, 1],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];

/** `forward`: links of target tokens to source (target given source); `backward`: the other way, also as [source, target]. */
export function growDiagFinalAnd(forward: Link[], backward: Link[]): Link[] {
  const key = ([s, t]: Link) => `${s},${t}`;
  const union = new Map([...forward, ...backward].map((l) => [key(l), l]));
  const backwardKeys = new Set(backward.map(key));
  const links = new Map(forward.filter((l) => backwardKeys.has(key(l))).map((l) => [key(l), l]));
  const alignedSource = new Set([...links.values()].map(([s]) => s));
  const alignedTarget = new Set([...links.values()].map(([, t]) => t));
  const add = (l: Link) => {
    links.set(key(l), l);
    alignedSource.add(l[0]);
    alignedTarget.add(l[1]);
  };
  for (let grew = true; grew;) {
    grew = false;
    for (const [s, t] of [...links.values()]) {
      for (const [ds, dt] of NEIGHBOURS) {
        const candidate: Link = [s + ds, t + dt];
        if (links.has(key(candidate)) || !union.has(key(candidate))) continue;
        if (!alignedSource.has(candidate[0]) || !alignedTarget.has(candidate[1])) {
          add(candidate);
          grew = true;
        }
      }
    }
  }
  for (const one of [forward, backward]) {
    for (const l of one) if (!alignedSource.has(l[0]) && !alignedTarget.has(l[1])) add(l);
  }
  return [...links.values()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}
