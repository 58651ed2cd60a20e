// Search over the one-step decoder (src/model/seq2seq.ts): greedy for a padded batch of sentences, beam search
// for one sentence with its K hypotheses as the rows of each step. One read from the device per step: the
// argmax ids and their log-probs (greedy) or the top 2K (score, index) pairs (beam).
//
// Rules shared by both searches:
// - Length: at most maxOutputLength(srcLen) tokens are emitted besides </s>; a hypothesis that reaches it without
//   </s> ends there.
// - Never emitted: <pad> and <s>, which are never training targets, and <unk> (it would show as literal "<unk>"
//   text) unless `allowUnknown`, for a caller that replaces it afterwards (src/align.ts). Their log-probabilities
//   are set to -Infinity at every step, after the log-softmax, so they are never chosen and the scores stay the
//   model's true log-probabilities of the emitted tokens.
// - Beam ranking: logProb / length^LENGTH_ALPHA, with length counting </s> when emitted; plain logProb favours
//   short outputs.
// The searches keep no attention weights: `attentionRows` recomputes them for the chosen outputs only, so the
// default path pays nothing for alignments.
import * as tf from '@tensorflow/tfjs-core';
import type { SpecialTokens } from './artifact.js';
import { decodeStep, selectSentences, type InferenceModel, type Memory } from './model/seq2seq.js';

/** Length-normalisation exponent for beam ranking: 0 = total log-prob, 1 = mean log-prob per token. */
export const LENGTH_ALPHA = 0.6;

export interface Hypothesis {
  ids: number[]; // emitted target ids, without </s>
  logProb: number; // total log-prob of the emitted tokens, </s> included when `ended`
  ended: boolean; // true if </s> was emitted, false if the length limit stopped it
}

export interface SearchOptions {
  allowUnknown?: boolean; // let <unk> be emitted (default false: it is masked like <pad> and <s>)
}

export interface BeamOptions extends SearchOptions {
  beam: number; // K >= 1 hypotheses kept per step
  maxLength: number; // from maxOutputLength
  special: SpecialTokens;
  alpha?: number; // default LENGTH_ALPHA
}

/** Output budget: min(target.maxLength, 2 * srcLen + 10); a translation is rarely over twice its source. */
export function maxOutputLength(sourceLength: number, targetMaxLength: number): number {
  return Math.min(targetMaxLength, 2 * sourceLength + 10);
}

/** Decoder steps a hypothesis took: its tokens, plus </s> when emitted. */
const steps = (hyp: Hypothesis) => hyp.ids.length + (hyp.ended ? 1 : 0);

export function normalizedScore(hyp: Hypothesis, alpha = LENGTH_ALPHA): number {
  return steps(hyp) === 0 ? hyp.logProb : hyp.logProb / steps(hyp) ** alpha;
}

/** [V]: 0, or -Infinity for the tokens that must never be emitted. */
function bannedMask(vocabSize: number, special: SpecialTokens, allowUnknown = false): tf.Tensor1D {
  const mask = new Float32Array(vocabSize);
  for (const id of [special.pad, special.start, ...(allowUnknown ? [] : [special.unk])]) mask[id] = -Infinity;
  return tf.tensor1d(mask);
}

/**
 * Greedy decoding of every sentence of `memory` together; maxLengths[b] is sentence b's output budget. Sentences
 * leave the batch as they finish, so the steps after that cost only what the unfinished ones need (a batch no
 * longer runs every row to the length of its longest output).
 */
export function greedyDecode(
  model: InferenceModel,
  memory: Memory,
  maxLengths: number[],
  special: SpecialTokens,
  options: SearchOptions = {},
): Hypothesis[] {
  const hyps: Hypothesis[] = maxLengths.map(() => ({ ids: [], logProb: 0, ended: false }));
  const running = (b: number) => !hyps[b].ended && hyps[b].ids.length < maxLengths[b];
  const banned = bannedMask(model.targetVocabSize, special, options.allowUnknown);
  let sentences = hyps.map((_, b) => b); // which sentence each row of the state and of `rowsMemory` is
  let rowsMemory = memory;
  let state = { tokens: tf.fill([hyps.length], special.start, 'int32') as tf.Tensor1D, h: tf.clone(memory.h), c: tf.clone(memory.c) };
  while (sentences.length > 0) {
    const { best, ...next } = tf.tidy(() => {
      const step = decodeStep(model, rowsMemory, state.tokens, state.h, state.c);
      const logProbs = tf.add(step.logProbs, banned);
      return { tokens: tf.argMax(logProbs, 1) as tf.Tensor1D, best: tf.max(logProbs, 1), h: step.h, c: step.c };
    });
    tf.dispose(state);
    const [ids, logProbs] = [next.tokens.dataSync(), best.dataSync()];
    tf.dispose(best);
    sentences.forEach((b, row) => {
      hyps[b].logProb += logProbs[row];
      if (ids[row] === special.end) hyps[b].ended = true;
      else hyps[b].ids.push(ids[row]);
    });
    const keep = sentences.flatMap((b, row) => (running(b) ? [row] : []));
    state = next;
    if (keep.length === sentences.length) continue;
    sentences = keep.map((row) => sentences[row]);
    if (keep.length === 0) break;
    state = selectRows(next, keep);
    const smaller = selectSentences(rowsMemory, keep);
    tf.dispose(next);
    if (rowsMemory !== memory) tf.dispose(rowsMemory);
    rowsMemory = smaller;
  }
  if (rowsMemory !== memory) tf.dispose(rowsMemory);
  tf.dispose([state, banned]);
  return hyps;
}

/** Rows `rows` of each tensor of a decoder state (in that order). */
function selectRows<T extends Record<string, tf.Tensor>>(state: T, rows: number[]): T {
  return tf.tidy(() => {
    const index = tf.tensor1d(rows, 'int32');
    return Object.fromEntries(Object.entries(state).map(([key, t]) => [key, tf.gather(t, index)])) as T;
  });
}

/**
 * Beam search for the single sentence in `memory`. Each step ranks the K * V extensions of the live hypotheses
 * by total log-prob and reads the top 2K (at most K of them end in </s>, so K live ones always remain). An
 * extension ending in </s> within the top K is finished; the best K others stay live. The search stops once K
 * hypotheses have finished or at the length limit (live ones then finish as they are), and returns the
 * finished ones best first by normalizedScore (an n-best list). Beam 1 is exactly greedy decoding.
 */
export function beamSearch(model: InferenceModel, memory: Memory, options: BeamOptions): Hypothesis[] {
  const { beam: K, maxLength, special, alpha = LENGTH_ALPHA } = options;
  const V = model.targetVocabSize;
  const banned = bannedMask(V, special, options.allowUnknown);
  const finished: Hypothesis[] = [];
  let live: Hypothesis[] = [{ ids: [], logProb: 0, ended: false }];
  let state = { tokens: tf.tensor1d([special.start], 'int32'), h: tf.clone(memory.h), c: tf.clone(memory.c) }; // n rows
  for (let length = 1; live.length > 0 && finished.length < K; length++) {
    const { top, h, c } = tf.tidy(() => {
      const step = decodeStep(model, memory, state.tokens, state.h, state.c);
      const scores = tf.tensor2d(live.map((hyp) => hyp.logProb), [live.length, 1]);
      const total = tf.reshape(tf.add(tf.add(step.logProbs, banned), scores), [-1]); // [n * V]
      const { values, indices } = tf.topk(total, Math.min(2 * K, live.length * V));
      return { top: tf.concat([values, tf.cast(indices, 'float32')]), h: step.h, c: step.c }; // indices < 2^24: exact
    });
    const topData = top.dataSync();
    const k = topData.length / 2;
    const next: Hypothesis[] = [];
    const parents: number[] = [];
    for (let rank = 0; rank < k && next.length < K && topData[rank] > -Infinity; rank++) {
      const [logProb, parent, token] = [topData[rank], Math.floor(topData[k + rank] / V), topData[k + rank] % V];
      if (token !== special.end) {
        next.push({ ids: [...live[parent].ids, token], logProb, ended: false });
        parents.push(parent);
      } else if (rank < K) {
        finished.push({ ids: live[parent].ids, logProb, ended: true });
      }
    }
    tf.dispose([state, top]);
    // states follow their hypotheses
    state = { tokens: tf.tensor1d(next.map((hyp) => hyp.ids[hyp.ids.length - 1]), 'int32'), ...selectRows({ h, c }, parents) };
    tf.dispose([h, c]);
    live = next;
    if (length === maxLength) finished.push(...live.splice(0));
  }
  tf.dispose([state, banned]);
  return finished.sort((a, b) => normalizedScore(b, alpha) - normalizedScore(a, alpha));
}

/**
 * The attention weights behind given outputs: rows[r][t] [S] is where output r looked in the source when it emitted
 * its token t. A teacher-forced pass over the chosen ids, which reproduces the search's states exactly. Output r
 * attends to sentence r of `memory`, or, when the memory holds one sentence, every output does (an n-best list).
 * One read from the device in all. Empty rows for a model without attention.
 */
export function attentionRows(model: InferenceModel, memory: Memory, outputs: number[][], special: SpecialTokens): Float32Array[][] {
  const T = Math.max(0, ...outputs.map((ids) => ids.length));
  if (!memory.attention || T === 0) return outputs.map(() => []);
  const [n, S] = [outputs.length, memory.attention.keysT.shape[2]];
  const data = tf.tidy(() => {
    const rows = memory.h.shape[0] === n ? [1, 1] : [n, 1]; // one sentence shared by n outputs: repeat its state
    let [h, c] = [tf.tile(memory.h, rows), tf.tile(memory.c, rows)];
    let tokens = tf.fill([n], special.start, 'int32') as tf.Tensor1D;
    const weights: tf.Tensor2D[] = []; // [n, S] a step
    for (let t = 0; t < T; t++) {
      const step = decodeStep(model, memory, tokens, h, c);
      weights.push(step.attention as tf.Tensor2D);
      [tokens, h, c] = [tf.tensor1d(outputs.map((ids) => ids[t] ?? special.end), 'int32'), step.h, step.c];
    }
    return tf.stack(weights).dataSync<'float32'>(); // [T, n, S]
  });
  return outputs.map((ids, r) => ids.map((_, t) => data.slice((t * n + r) * S, (t * n + r + 1) * S)));
}
