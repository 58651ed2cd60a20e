// Beam search over the one-step decoder (./model/seq2seq.ts) for every sentence of a batch at once: the rows of a
// step are the live hypotheses of each unfinished sentence, sentence after sentence, each attending to its own
// sentence. Greedy decoding is beam 1. Each step reads one thing from the device: the probabilities of its rows.
// An ensemble (options.ensemble) steps every model on the same rows; a token's log-prob is the mean of theirs.
//
// Rules:
// - Length: at most maxOutputLength(srcLen) tokens are emitted besides </s>; a hypothesis that reaches it without
//   </s> ends there.
// - Never emitted: <pad> and <s>, which are never training targets, <unk> (it would show as literal "<unk>" text)
//   unless `allowUnknown` (for all sentences, or per sentence), for a caller that replaces it afterwards
//   (./align.ts), and with a shortlist what is
//   not the sentence's candidate. They are skipped when the extensions are ranked, so the scores stay the
//   log-probabilities of the emitted tokens under the step's softmax.
// - A step ranks each sentence's extensions (live hypothesis x token) by total log-prob and takes the best 2K, ties
//   going to the earlier hypothesis, then the lower token id (at most K end in </s>, so K live ones remain). An
//   extension ending in </s> within the best K is finished; the best K others stay live. A sentence is done once
//   K of its hypotheses have finished or at its length limit (live ones then finish as they are); it returns the
//   finished ones best first by normalizedScore (an n-best list). Beam 1 is exactly greedy decoding.
// - Ranking: logProb / length^alpha (LENGTH_ALPHA unless given), with length counting </s> when emitted; plain
//   logProb favours short outputs.
// - A sentence is searched exactly as it would be alone: its rows see only its memory and its own columns (with a
//   shortlist, ./shortlist.ts), and the batch only decides which rows share a product.
//
// Finished hypotheses and sentences leave cheaply: the next step's rows (states, tokens) are copied on the host
// from their parents', and rows read their sentence's memory where it is (copied into the model's WASM memory once a
// search, ./model/gemm.ts).
// A search keeps the attention weights behind each hypothesis's tokens only for the sentences that ask
// (options.keepRows: an alignment, or an <unk> to replace), so the default path pays nothing for alignments.
import type { SpecialTokens } from './artifact.js';
import { decodeStep, type InferenceModel, type Memory, type OutputLayer, type Rows } from './model/seq2seq.js';
import { columnOf, rowOffsets, startRows, width } from './rows.js';

/**
 * Length-normalisation exponent for beam ranking: 0 = total log-prob, 1 = mean log-prob per token. Chosen on dev at
 * beam 4 over 0.4-2.0 for both shipped models (README "Quality"); 0.6 before, which left outputs too short.
 */
export const LENGTH_ALPHA = 1.2;

export interface Hypothesis {
  ids: number[]; // emitted target ids, without </s>
  logProb: number; // total log-prob of the emitted tokens, </s> included when `ended`
  ended: boolean; // true if </s> was emitted, false if the length limit stopped it
  rows?: Float32Array[]; // with options.keepRows: per token of ids, the (first model's) attention weights [S] when
  // it was emitted (0 past the sentence's end)
}

export interface SearchOptions {
  beam: number; // K >= 1 hypotheses kept per step and sentence
  maxLengths: number[]; // each sentence's output budget, from maxOutputLength
  special: SpecialTokens;
  allowUnknown?: boolean | boolean[]; // let <unk> be emitted, in every sentence or per sentence (default false)
  alpha?: number; // default LENGTH_ALPHA
  ensemble?: Member[]; // more models of the same vocabularies, each with its encoding of the same sentences
  keepRows?: boolean[]; // per sentence: keep each hypothesis's attention rows (models with attention)
}

/** A model of an ensemble and its encoder's memory of the batch. */
export interface Member {
  model: InferenceModel;
  memory: Memory;
  aligns?: boolean; // its attention was trained to align, as the first model's was: the search's attention is their mean
}

export interface SearchResult {
  outputs: Hypothesis[][]; // per sentence, its finished hypotheses best first
  steps: number; // decoder steps taken
}

/** Output budget: min(target.maxLength, 2 * srcLen + 10); a translation is rarely over twice its source. */
export function maxOutputLength(sourceLength: number, targetMaxLength: number): number {
  return Math.min(targetMaxLength, 2 * sourceLength + 10);
}

/** A hypothesis's length as the ranking counts it: its tokens, plus </s> when emitted. */
const outputLength = (hyp: Hypothesis) => hyp.ids.length + (hyp.ended ? 1 : 0);

export function normalizedScore(hyp: Hypothesis, alpha = LENGTH_ALPHA): number {
  return outputLength(hyp) === 0 ? hyp.logProb : hyp.logProb / outputLength(hyp) ** alpha;
}

/** A live sentence: its hypotheses (one row each, in order) and, after a step, the rows they came from. */
interface Live {
  sentence: number; // index into the batch
  hyps: Hypothesis[];
  parents: number[]; // row of the previous step each hypothesis extends
}

/**
 * Beam search for every sentence of `memory`, scoring the columns of `output`. With options.ensemble, a token's
 * log-prob is the mean of every model's (each steps its own states): the product of their probabilities ranks the
 * columns.
 */
export function beamSearch(
  model: InferenceModel,
  memory: Memory,
  output: OutputLayer,
  options: SearchOptions,
): SearchResult {
  const { beam: K, maxLengths, special, alpha = LENGTH_ALPHA } = options;
  const allowed = (sentence: number) =>
    Array.isArray(options.allowUnknown) ? options.allowUnknown[sentence] : options.allowUnknown;
  const banned = maxLengths.map((_, sentence) => {
    const flags = new Uint8Array(width(model, output, sentence)); // by column
    const emitted = output.columns?.[sentence].emitted;
    if (emitted) for (let c = 0; c < flags.length; c++) flags[c] = 1 - emitted[c];
    for (const id of [special.pad, special.start, ...(allowed(sentence) ? [] : [special.unk])]) {
      const c = columnOf(output, sentence, id);
      if (c >= 0) flags[c] = 1;
    }
    return flags;
  });
  const finished: Hypothesis[][] = maxLengths.map(() => []);
  const start = (sentence: number): Hypothesis => ({
    ids: [],
    logProb: 0,
    ended: false,
    ...(options.keepRows?.[sentence] && { rows: [] }),
  });
  let live: Live[] = maxLengths.map((_, sentence) => ({ sentence, hyps: [start(sentence)], parents: [sentence] }));
  const members = [{ model, memory }, ...(options.ensemble ?? [])];
  let rows = members.map((m) =>
    startRows(
      m.model,
      m.memory,
      live.map((s) => s.sentence),
      special.start,
    ),
  );
  let R = 1; // rows per sentence: the most live hypotheses any has (the others' extra rows are ignored)
  let steps = 0; // taken so far
  while (live.length > 0) {
    steps++;
    const sentences = live.map((s) => s.sentence);
    const decoded = members.map((m, i) => decodeStep(m.model, { memory: m.memory, output, sentences }, R, rows[i]));
    const probs = decoded.length === 1 ? decoded[0].probs : product(decoded.map((d) => d.probs));
    const weights = meanOf(decoded.filter((_, m) => m === 0 || members[m]!.aligns).map((d) => d.weights)); // [rows, S]
    const S = weights ? weights.length / rows[0].tokens.length : 0;
    const offsets = rowOffsets(model, output, sentences, R);
    const next: Live[] = [];
    live.forEach(({ sentence, hyps }, i) => {
      const extended: Live = { sentence, hyps: [], parents: [] };
      for (const [rank, { logProb, row, column }] of bestExtensions(
        probs,
        offsets,
        i * R,
        hyps,
        2 * K,
        banned[sentence],
        members.length,
      ).entries()) {
        if (extended.hyps.length === K) break;
        const [id, parent] = [output.columns?.[sentence].ids[column] ?? column, hyps[row]];
        if (id !== special.end) {
          const kept = parent.rows && [...parent.rows, weights!.slice((i * R + row) * S, (i * R + row + 1) * S)];
          extended.hyps.push({ ids: [...parent.ids, id], logProb, ended: false, ...(kept && { rows: kept }) });
          extended.parents.push(i * R + row);
        } else if (rank < K) {
          finished[sentence].push({ ids: parent.ids, logProb, ended: true, ...(parent.rows && { rows: parent.rows }) });
        }
      }
      if (steps === maxLengths[sentence]) finished[sentence].push(...extended.hyps.splice(0));
      if (extended.hyps.length > 0 && finished[sentence].length < K) next.push(extended);
    });
    R = Math.max(0, ...next.map((s) => s.hyps.length));
    rows = decoded.map((states, m) => nextRows(next, R, states, members[m].model.hiddenDim));
    live = next;
  }
  return {
    outputs: finished.map((list) => list.sort((a, b) => normalizedScore(b, alpha) - normalizedScore(a, alpha))),
    steps,
  };
}

/** The element-wise mean of attention weights of one shape (the first alone when it is the only one, or has none). */
export function meanOf(weights: (Float32Array | undefined)[]): Float32Array | undefined {
  if (weights.length <= 1 || !weights[0]) return weights[0];
  const mean = Float32Array.from(weights[0]);
  for (const w of weights.slice(1)) for (let i = 0; i < mean.length; i++) mean[i] += w![i]!;
  for (let i = 0; i < mean.length; i++) mean[i] /= weights.length;
  return mean;
}

/** The rows of the next step: R for each live sentence, copies of their parents' states (spare rows copy the first). */
function nextRows(live: Live[], R: number, states: Omit<Rows, 'tokens'>, H: number): Rows {
  const n = live.length * R;
  const [tokens, parentOf] = [new Int32Array(n), new Int32Array(n)];
  live.forEach(({ hyps, parents }, i) => {
    for (let j = 0; j < R; j++) {
      const k = j < hyps.length ? j : 0;
      tokens[i * R + j] = hyps[k].ids[hyps[k].ids.length - 1];
      parentOf[i * R + j] = parents[k];
    }
  });
  const gather = (x: Float32Array) => {
    const out = new Float32Array(n * H);
    parentOf.forEach((parent, row) => out.set(x.subarray(parent * H, (parent + 1) * H), row * H));
    return out;
  };
  return {
    tokens,
    h: gather(states.h),
    c: gather(states.c),
    ...(states.attentional && { attentional: gather(states.attentional) }),
  };
}

interface Extension {
  logProb: number; // of the hypothesis extended by the token
  row: number; // which hypothesis of the sentence
  column: number; // which column of the output layer
}

/** Column by column, the product of the members' probabilities (float64: no underflow for the tokens a beam keeps). */
function product(probs: Float32Array[]): Float64Array {
  const out = Float64Array.from(probs[0]);
  for (const p of probs.slice(1)) for (let i = 0; i < out.length; i++) out[i] *= p[i];
  return out;
}

/**
 * The best `count` extensions of one sentence's hypotheses, whose rows start at row `first` of the step (row r's
 * probabilities start at offsets[r]), best first. They are among its rows' own best `count` columns, since within a
 * row total log-prob ranks as the probability does. `probs` is the product of `members` models' probabilities: a
 * token's log-prob is its log over members.
 */
function bestExtensions(
  probs: Float32Array | Float64Array,
  offsets: number[],
  first: number,
  hyps: Hypothesis[],
  count: number,
  banned: Uint8Array,
  members: number,
): Extension[] {
  const all: Extension[] = [];
  hyps.forEach((hyp, row) => {
    const offset = offsets[first + row];
    for (const column of bestColumns(probs, offset, banned.length, count, banned))
      all.push({ logProb: hyp.logProb + Math.log(probs[offset + column]) / members, row, column });
  });
  return all.sort((a, b) => b.logProb - a.logProb || a.row - b.row || a.column - b.column).slice(0, count);
}

/** Columns of the `count` largest positive values of probs[offset, offset + V) not banned, largest first (ties: lower column). */
function bestColumns(
  probs: Float32Array | Float64Array,
  offset: number,
  V: number,
  count: number,
  banned: Uint8Array,
): number[] {
  const [columns, values]: [number[], number[]] = [[], []];
  for (let column = 0; column < V; column++) {
    const p = probs[offset + column];
    if (p <= 0 || banned[column] || (columns.length === count && p <= values[count - 1])) continue;
    let k = Math.min(columns.length, count - 1); // the free slot (the last one is dropped when full), moved up
    while (k > 0 && values[k - 1] < p) {
      [values[k], columns[k]] = [values[k - 1], columns[k - 1]];
      k--;
    }
    [values[k], columns[k]] = [p, column];
  }
  return columns;
}
