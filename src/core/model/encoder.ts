// The encoder's inference math (train/model.ts): the input projection of every real source token in one product,
// then the recurrence, a product and the LSTM cells a step (./gemm.ts) over the sentences that still have a token
// there, left to right, and right to left too for a bidirectional encoder. What it leaves is the decoder's Memory.
// Padding costs nothing: a batch of 64 dev sentences is 42% padding when laid out [B, S].
import { dense } from './xnnpack.js';
import type { EncoderLstm, InferenceModel, Memory } from './seq2seq.js';

/**
 * Encodes a batch of sentences of any lengths. Like Keras masking (the sentences padded on the right to the
 * longest), a sentence's states stop at its last token, and its forward outputs past the end repeat the last one. A
 * bidirectional encoder also reads each sentence right to left, and its outputs and states go beside the forward
 * ones: [forward; backward] (H).
 */
export function encode(model: InferenceModel, sourceIds: number[][]): Memory {
  const B = sourceIds.length;
  const lengths = sourceIds.map((s) => s.length);
  const S = Math.max(0, ...lengths);
  if (B === 0 || S === 0) throw new Error('encode: needs at least one non-empty sentence');
  const steps = Array.from({ length: S }, (_, t) => lengths.flatMap((length, b) => (t < length ? [b] : []))); // sentences with a token at step t
  const [forward, backward] = model.encoder.map((lstm, i) => runLstm(model, lstm, sourceIds, steps, i === 1)) as [
    Encoded,
    Encoded?,
  ];
  const { h, c, values } = backward ? sideBySide(forward, backward, B, S) : forward;
  if (!model.attention) return { lengths, h, c };
  return { lengths, h, c, attention: { values, keys: attentionKeys(model, values, lengths) } };
}

/** An LSTM's outputs and final states over a batch. */
type Encoded = { h: Float32Array; c: Float32Array; values: Float32Array }; // [B, H'], [B, H'], [B, S, H']

/**
 * One encoder LSTM over the batch, left to right, or right to left over each sentence's own tokens (`reverse`):
 * values stay in source order, and a backward LSTM's are 0 past a sentence's end, as Keras's Bidirectional gives.
 */
function runLstm(
  model: InferenceModel,
  lstm: EncoderLstm,
  sourceIds: number[][],
  steps: number[][],
  reverse: boolean,
): Encoded {
  const [B, S] = [sourceIds.length, steps.length];
  const [E, H] = [model.embeddingDim, lstm.recurrent.inputs];
  const position = (b: number, t: number) => (reverse ? sourceIds[b].length - 1 - t : t); // step t reads this token
  const ids = steps.flatMap((active, t) => active.map((b) => sourceIds[b][position(b, t)])); // step after step
  const x = new Float32Array(ids.length * E);
  model.sourceEmbedding.rows(ids, x, E);
  const inputs = dense(x, lstm.kernel, lstm.bias); // [tokens, 4H']
  const [h, c] = [new Float32Array(B * H), new Float32Array(B * H)];
  const values = new Float32Array(B * S * H);
  let done = 0; // tokens before step t
  for (const [t, active] of steps.entries()) {
    const add = inputs.subarray(done * 4 * H, (done + active.length) * 4 * H);
    done += active.length;
    const next = model.gemm.lstm(lstm.recurrent, gather(h, active, H), gather(c, active, H), add);
    active.forEach((b, i) => {
      h.set(next.h.subarray(i * H, (i + 1) * H), b * H);
      c.set(next.c.subarray(i * H, (i + 1) * H), b * H);
      values.set(next.h.subarray(i * H, (i + 1) * H), (b * S + position(b, t)) * H);
    });
  }
  if (!reverse)
    for (let b = 0; b < B; b++)
      for (let t = sourceIds[b].length; t < S; t++) values.set(h.subarray(b * H, (b + 1) * H), (b * S + t) * H);
  return { h, c, values };
}

/** Rows `rows` of x [n, H], side by side. */
function gather(x: Float32Array, rows: number[], H: number): Float32Array {
  const out = new Float32Array(rows.length * H);
  rows.forEach((row, i) => out.set(x.subarray(row * H, (row + 1) * H), i * H));
  return out;
}

/** The attention keys W_a h_s [B, S, H] of the real tokens (0 past a sentence's end), in one product. */
function attentionKeys(model: InferenceModel, values: Float32Array, lengths: number[]): Float32Array {
  const [H, S] = [model.hiddenDim, Math.max(...lengths)];
  const starts: number[] = []; // of each sentence in `real`
  let at = 0;
  for (const length of lengths) {
    starts.push(at);
    at += length * H;
  }
  const real = new Float32Array(at); // each sentence's tokens in turn
  lengths.forEach((length, b) => real.set(values.subarray(b * S * H, (b * S + length) * H), starts[b]));
  const projected = dense(real, model.attention!.key);
  const keys = new Float32Array(values.length);
  lengths.forEach((length, b) => keys.set(projected.subarray(starts[b], starts[b] + length * H), b * S * H));
  return keys;
}

/** Two LSTMs' results side by side, row by row: [n, H'] and [n, H''] -> [n, H' + H''] (n = B states, B * S values). */
function sideBySide(a: Encoded, b: Encoded, B: number, S: number): Encoded {
  const join = (x: Float32Array, y: Float32Array, n: number) => {
    const [p, q] = [x.length / n, y.length / n];
    const out = new Float32Array(n * (p + q));
    for (let r = 0; r < n; r++) {
      out.set(x.subarray(r * p, (r + 1) * p), r * (p + q));
      out.set(y.subarray(r * q, (r + 1) * q), r * (p + q) + p);
    }
    return out;
  };
  return { h: join(a.h, b.h, B), c: join(a.c, b.c, B), values: join(a.values, b.values, B * S) };
}
