// Teacher forcing: the model fed a given output instead of its own, for its score (the reverse model's, when
// reranking: ./translator.ts) or its attention (the model's alignment of a reference: train/align.ts).
import type { SpecialTokens } from './artifact.js';
import {
  decodeStep,
  type Context,
  type InferenceModel,
  type Memory,
  type OutputLayer,
  type Rows,
} from './model/seq2seq.js';
import { columnOf, rowOffsets, startRows } from './rows.js';

/** An output to replay: ids emitted for sentence `sentence` of a memory. */
export type Forced = { sentence: number; ids: number[] };

/**
 * log P(ids, </s> | sentence) of each output under the softmax of `output` (the whole vocabulary, or a shortlist's
 * columns that hold every id of the output): what the model thinks of a given translation (the reverse model's score
 * when reranking, ./translator.ts). One teacher-forced pass, rows side by side.
 */
export function scoreOutputs(
  model: InferenceModel,
  memory: Memory,
  output: OutputLayer,
  outputs: Forced[],
  special: SpecialTokens,
): number[] {
  if (outputs.length === 0) return [];
  const scores = outputs.map(() => 0);
  const T = 1 + Math.max(0, ...outputs.map((o) => o.ids.length));
  let t = 0;
  teacherForced(model, memory, output, outputs, special, T, (context, R, rows) => {
    const decoded = decodeStep(model, context, R, rows);
    const offsets = rowOffsets(model, output, context.sentences, R);
    outputs.forEach(({ sentence, ids }, r) => {
      if (t <= ids.length)
        scores[r] += Math.log(decoded.probs[offsets[r] + columnOf(output, sentence, ids[t] ?? special.end)]);
    });
    t++;
    return decoded;
  });
  return scores;
}

/**
 * The attention of each output's steps when the model is fed that output (teacher forcing): per output, one row
 * [S] per token of its ids (</s> has none). What the model aligns a given translation with (a reference, for
 * measuring alignment error rates, train/align.ts).
 */
export function forcedAttention(
  model: InferenceModel,
  memory: Memory,
  output: OutputLayer,
  outputs: Forced[],
  special: SpecialTokens,
): Float32Array[][] {
  const rows: Float32Array[][] = outputs.map(() => []);
  const T = Math.max(0, ...outputs.map((o) => o.ids.length));
  let t = 0;
  teacherForced(model, memory, output, outputs, special, T, (context, R, states) => {
    const decoded = decodeStep(model, context, R, states);
    const S = decoded.weights ? decoded.weights.length / states.tokens.length : 0;
    outputs.forEach(({ ids }, r) => {
      if (decoded.weights && t < ids.length) rows[r].push(decoded.weights.slice(r * S, (r + 1) * S));
    });
    t++;
    return decoded;
  });
  return rows;
}

/**
 * `steps` decoder steps over rows that start from their sentence's final encoder state with <s> and are fed their
 * own ids (then </s>): `decode` runs one and returns the new states. n-best lists of one sentence share its memory
 * (R rows on it); outputs of different sentences get a row each.
 */
function teacherForced(
  model: InferenceModel,
  memory: Memory,
  output: OutputLayer,
  outputs: Forced[],
  special: SpecialTokens,
  steps: number,
  decode: (context: Context, R: number, rows: Rows) => Rows,
): void {
  const shared = outputs.every((o) => o.sentence === outputs[0].sentence);
  const context = { memory, output, sentences: shared ? [outputs[0].sentence] : outputs.map((o) => o.sentence) };
  const R = shared ? outputs.length : 1;
  let rows = startRows(
    model,
    memory,
    outputs.map((o) => o.sentence),
    special.start,
  );
  for (let t = 0; t < steps; t++) {
    const { h, c, attentional } = decode(context, R, rows);
    rows = { tokens: outputs.map((o) => o.ids[t] ?? special.end), h, c, ...(attentional && { attentional }) };
  }
}
