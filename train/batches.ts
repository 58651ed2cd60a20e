// Sentence pairs as token ids, grouped into length-bucketed batches: sentences of similar length share a batch,
// so padding (wasted work) stays small, and the batch order is shuffled every epoch. Each replica's share of a
// batch is padded into the Batch the loss (fast/loss.ts) reads.
import type { Vocab } from '../src/core/vocab.js';
import { SPECIAL_TOKENS } from '../src/core/artifact.js';
import type { Register } from '../src/core/register.js';
import type { Link } from './align/fast-align.js';

export interface Pair {
  source: number[]; // token ids, no <s>/</s>
  target: number[];
  links?: Link[]; // word alignment [source index, target index] (guided alignment, placeholders: ./augment.ts)
  register?: Register; // of the target, for en-ja register tags (./augment.ts)
}

/** A padded batch; ids are time-major (index t * B + b) so each step's rows are contiguous. */
export interface Batch {
  B: number;
  S: number;
  T: number;
  sourceIds: Int32Array; // [S * B], 0 = padding (at the end of each sentence)
  sourceLengths: Int32Array; // [B]
  targetIn: Int32Array; // [T * B], <s> y1 .. yn, padded with 0
  rows: Int32Array; // [N] positions b * T + t of real target tokens in the batch-major [B * T] decoder output
  labels: Int32Array; // [N] the token expected at each of those positions: y1 .. yn </s>
  guide?: Float32Array; // [B * T * S] batch-major: the attention each decoder step should have (its target token's
  // links, each row summing to 1; rows of unaligned tokens, </s> and padding are 0); present when the pairs have links
}

/**
 * Encodes tokenized sentences; pairs longer than maxLength on either side are dropped (and counted). `more(i)`: what
 * else pair i carries (its links, its register).
 */
export function encodePairs(
  source: string[][],
  target: string[][],
  vocabs: { source: Vocab; target: Vocab },
  maxLength: number,
  more?: (i: number) => Partial<Pair>,
) {
  const pairs: Pair[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i].length > maxLength || target[i].length > maxLength) continue;
    pairs.push({ source: vocabs.source.encode(source[i]), target: vocabs.target.encode(target[i]), ...more?.(i) });
  }
  return { pairs, dropped: source.length - pairs.length };
}

/** Batches of `size` pairs of similar length, in random order. Deterministic for a given random source. */
export function bucketBatches(pairs: Pair[], size: number, random: () => number): Pair[][] {
  const order = shuffle(
    pairs.map((_, i) => i),
    random,
  );
  // Sort the shuffled indices by length: ties stay in random order, so batches differ from epoch to epoch.
  order.sort(
    (a, b) => pairs[a].source.length - pairs[b].source.length || pairs[a].target.length - pairs[b].target.length,
  );
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

/** Pads sentence pairs (token ids without <s>/</s>) into a Batch. */
export function makeBatch(pairs: Pair[], start: number, end: number): Batch {
  const B = pairs.length;
  const S = Math.max(...pairs.map((p) => p.source.length));
  const T = Math.max(...pairs.map((p) => p.target.length)) + 1;
  const sourceIds = new Int32Array(S * B);
  const targetIn = new Int32Array(T * B);
  const rows: number[] = [];
  const labels: number[] = [];
  pairs.forEach(({ source, target }, b) => {
    source.forEach((id, t) => (sourceIds[t * B + b] = id));
    [start, ...target].forEach((id, t) => (targetIn[t * B + b] = id));
    [...target, end].forEach((id, t) => {
      rows.push(b * T + t);
      labels.push(id);
    });
  });
  const sourceLengths = Int32Array.from(pairs, (p) => p.source.length);
  const guide = pairs.some((p) => p.links) ? guideOf(pairs, S, T) : undefined;
  return {
    B,
    S,
    T,
    sourceIds,
    sourceLengths,
    targetIn,
    rows: Int32Array.from(rows),
    labels: Int32Array.from(labels),
    ...(guide && { guide }),
  };
}

/** Decoder step t predicts target token t: its row spreads 1 evenly over the source tokens linked to that token. */
function guideOf(pairs: Pair[], S: number, T: number): Float32Array {
  const guide = new Float32Array(pairs.length * T * S);
  pairs.forEach(({ links = [] }, b) => {
    const perTarget = new Map<number, number[]>();
    for (const [s, t] of links) perTarget.set(t, [...(perTarget.get(t) ?? []), s]);
    for (const [t, sources] of perTarget) for (const s of sources) guide[(b * T + t) * S + s] = 1 / sources.length;
  });
  return guide;
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
