// Sentence pairs as token ids, grouped into length-bucketed batches: sentences of similar length share a batch,
// so padding (wasted work) stays small, and the batch order is shuffled every epoch.
import type { Vocab } from '../src/core/vocab.js';
import { makeBatch, type Batch } from './fast/loss.js';
import { SPECIAL_TOKENS } from '../src/core/artifact.js';

export interface Pair {
  source: number[]; // token ids, no <s>/</s>
  target: number[];
}

/** Encodes tokenized sentences; pairs longer than maxLength on either side are dropped (and counted). */
export function encodePairs(source: string[][], target: string[][], vocabs: { source: Vocab; target: Vocab }, maxLength: number) {
  const pairs: Pair[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i].length > maxLength || target[i].length > maxLength) continue;
    pairs.push({ source: vocabs.source.encode(source[i]), target: vocabs.target.encode(target[i]) });
  }
  return { pairs, dropped: source.length - pairs.length };
}

/** Batches of `size` pairs of similar length, in random order. Deterministic for a given random source. */
export function bucketBatches(pairs: Pair[], size: number, random: () => number): Pair[][] {
  const order = shuffle(pairs.map((_, i) => i), random);
  // Sort the shuffled indices by length: ties stay in random order, so batches differ from epoch to epoch.
  order.sort((a, b) => pairs[a].source.length - pairs[b].source.length || pairs[a].target.length - pairs[b].target.length);
  const batches: Pair[][] = [];
  for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size).map((k) => pairs[k]));
  return shuffle(batches, random);
}

/** Splits one batch into `n` near-equal shares, one per replica, each padded on its own. */
export function shares(batch: Pair[], n: number): Batch[] {
  const count = Math.min(n, batch.length);
  return Array.from({ length: count }, (_, r) => {
    const part = batch.slice(Math.floor((r * batch.length) / count), Math.floor(((r + 1) * batch.length) / count));
    return makeBatch(part, SPECIAL_TOKENS.start, SPECIAL_TOKENS.end);
  });
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** mulberry32: a tiny seeded PRNG, so a run's batches can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
