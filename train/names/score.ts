// How the names module is measured (train/names/build.ts on every held-out entry, test/unit/names.test.ts on the
// committed sample):
// - exact: the share of inputs whose output is one of the references (an input has every spelling its held-out pairs
//   give: Michael -> マイケル, ミハエル, ...);
// - CER: character edit distance to the nearest reference, summed over inputs, over the summed reference lengths;
// - a full name (ENAMDICT type h) counts as right when its words, folded as people write them (src/core/names/romaji.ts rules:
//   Tarō and Tarou are Taro), are the gloss's words in either order; CER is taken on the folded words in the order
//   nearest the gloss's, and on covered names only (the table gives no answer for the others).
import type { JointSequenceModel, Side } from '../../src/core/names/joint-sequence.js';
import type { NameTable } from '../../src/core/names/japanese.js';
import { foldLatin } from '../../src/core/names/latin.js';
import { foldLongVowels } from '../../src/core/names/romaji.js';

export interface Scores {
  inputs: number;
  exact: number; // share, 0..1
  cer: number; // 0..1
  covered?: number; // share of inputs with an answer (kanji table)
  msPerInput: number; // CPU time (this process's user + system), not wall time: the machine may be shared
}

export interface HeldOut {
  input: string;
  references: string[];
}

/** Held-out pairs grouped by the side that is the input. */
export function groupPairs(pairs: { en: string; ja: string }[], side: Side): HeldOut[] {
  const refs = new Map<string, Set<string>>();
  for (const pair of pairs)
    refs.set(pair[side], (refs.get(pair[side]) ?? new Set()).add(side === 'en' ? pair.ja : pair.en));
  return [...refs].map(([input, references]) => ({ input, references: [...references] }));
}

export function scoreTransliterations(
  model: JointSequenceModel,
  pairs: { en: string; ja: string }[],
  side: Side,
): Scores {
  return score(groupPairs(pairs, side), (input) => model.transliterate(input, side));
}

/** Exact match and CER of `transliterate` on `heldOut`, and its time per input. */
export function score(heldOut: HeldOut[], transliterate: (input: string) => string | undefined): Scores {
  let right = 0;
  let edits = 0;
  let length = 0;
  const started = process.cpuUsage();
  const outputs = heldOut.map(({ input }) => transliterate(input) ?? '');
  const msPerInput = cpuMs(started) / Math.max(1, heldOut.length);
  heldOut.forEach(({ references }, i) => {
    const output = outputs[i]!;
    if (references.includes(output)) right++;
    const nearest = references.map((ref) => ({ ref, d: editDistance(output, ref) })).sort((a, b) => a.d - b.d)[0]!;
    edits += nearest.d;
    length += [...nearest.ref].length;
  });
  return {
    inputs: heldOut.length,
    exact: right / Math.max(1, heldOut.length),
    cer: edits / Math.max(1, length),
    msPerInput,
  };
}

/** The kanji table on full names: exact, CER (covered names), coverage. */
export function scoreTableNames(table: NameTable, fullNames: { surface: string; latin: string }[]): Scores {
  let covered = 0;
  let right = 0;
  let edits = 0;
  let length = 0;
  const started = process.cpuUsage();
  const found = fullNames.map((name) => table.find(name.surface));
  const msPerInput = cpuMs(started) / Math.max(1, fullNames.length);
  fullNames.forEach((name, i) => {
    if (!found[i]) return;
    covered++;
    const output = words(found[i]!.latin);
    const gloss = words(name.latin);
    const orders = [gloss.join(' '), [...gloss].reverse().join(' ')];
    if (orders.includes(output.join(' '))) right++;
    const d = Math.min(...orders.map((order) => editDistance(output.join(' '), order)));
    edits += d;
    length += orders[0]!.length;
  });
  const n = Math.max(1, fullNames.length);
  return {
    inputs: fullNames.length,
    exact: right / n,
    cer: edits / Math.max(1, length),
    covered: covered / n,
    msPerInput,
  };
}

/** Milliseconds of CPU this process used since `since`. */
export function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** A Latin name's words as compared: folded to a-z, long vowels written once. */
const words = (latin: string): string[] => latin.split(/\s+/u).map((word) => foldLongVowels(foldLatin(word)));

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length]!;
}
