// Learning byte-pair-encoding merges (Sennrich et al., 2016) from the training side of a corpus: start from every
// word as its characters, and merge the most frequent adjacent pair of symbols, `merges` times. The pair counts are
// kept up to date word by word instead of recounted per merge, so 8,000 merges over the corpus take seconds.
import { characters, merged, Subwords } from '../src/core/tokenize/subwords.js';

interface Word {
  symbols: string[];
  count: number;
}

/**
 * Merges learned from tokenized sentences; stops early when no pair occurs twice. Ties go to the pair first in
 * code-unit order, so the result depends on the data only.
 */
export function learnBpe(sentences: string[][], merges: number): Subwords {
  const words = countWords(sentences);
  const pairs = new Map<string, number>(); // "left right" -> occurrences in the corpus
  const where = new Map<string, Set<number>>(); // "left right" -> the words it occurs in
  const add = (w: number, sign: 1 | -1) => {
    const { symbols, count } = words[w];
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = `${symbols[i]} ${symbols[i + 1]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + sign * count);
      if (sign > 0) (where.get(key) ?? where.set(key, new Set()).get(key)!).add(w);
    }
  };
  words.forEach((_, w) => add(w, 1));
  const learned: [string, string][] = [];
  while (learned.length < merges) {
    const best = mostFrequent(pairs);
    if (!best) break;
    const [left, right] = best.split(' ');
    learned.push([left, right]);
    for (const w of where.get(best) ?? []) {
      add(w, -1);
      words[w].symbols = mergeAll(words[w].symbols, left, right);
      add(w, 1);
    }
    pairs.delete(best);
    where.delete(best);
  }
  return new Subwords(learned);
}

/** Distinct words with their counts, each as its characters, in first-seen order. */
function countWords(sentences: string[][]): Word[] {
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const word of sentence) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts].map(([word, count]) => ({ symbols: characters(word), count }));
}

/** The pair with the highest count (at least 2), ties by key order; undefined when none. */
function mostFrequent(pairs: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = 1;
  for (const [key, count] of pairs) {
    if (count > bestCount || (count === bestCount && best !== undefined && key < best))
      [best, bestCount] = [key, count];
  }
  return best;
}

/** Every non-overlapping occurrence of left, right merged, left to right (as Subwords.split applies a merge). */
function mergeAll(symbols: string[], left: string, right: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
      out.push(merged(left, right));
      i++;
    } else out.push(symbols[i]);
  }
  return out;
}
