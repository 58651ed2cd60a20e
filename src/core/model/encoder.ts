// The encoder's inference math (train/model.ts): every source position's input projection in one product, then the
// recurrence with one product a step and the LSTM cell on the host (./seq2seq.ts says why), left to right, and right
// to left too for a bidirectional encoder. What it leaves is the decoder's Memory.
import { dense } from './kernels.js';
import { embed, lstmCell, type EncoderLstm, type InferenceModel, type Memory } from './seq2seq.js';

/** Source id masked by the encoder (Embedding maskZero): a padded position carries the previous state. */
const MASKED_ID = 0;

/**
 * Encodes a batch of sentences of any lengths (padded on the right to the longest). Like Keras masking, a
 * padded step keeps the previous state and repeats the previous output. A bidirectional encoder also reads each
 * sentence right to left, and its outputs and states go beside the forward ones: [forward; backward] (H).
 */
export function encode(model: InferenceModel, sourceIds: number[][]): Memory {
  const B = sourceIds.length;
  const S = Math.max(0, ...sourceIds.map((s) => s.length));
  if (B === 0 || S === 0) throw new Error('encode: needs at least one non-empty sentence');
  const H = model.hiddenDim;
  const [forward, backward] = model.encoder.map((lstm, i) => runLstm(model, lstm, sourceIds, S, i === 1)) as [Encoded, Encoded?];
  const lengths = sourceIds.map((s) => s.length);
  const { h, c, values } = backward ? sideBySide(forward, backward, B, S) : forward;
  if (!model.attention) return { lengths, h, c };
  const keys = dense(values, model.attention.key); // [B*S, H]
  const keysT = new Float32Array(B * H * S);
  for (let b = 0; b < B; b++) for (let t = 0; t < S; t++) for (let j = 0; j < H; j++) keysT[(b * H + j) * S + t] = keys[(b * S + t) * H + j];
  return { lengths, h, c, attention: { values, keysT } };
}

/** An LSTM's outputs and final states over a batch. */
type Encoded = { h: Float32Array; c: Float32Array; values: Float32Array }; // [B, H'], [B, H'], [B, S, H']

/**
 * One encoder LSTM over the batch, left to right, or right to left over each sentence's own tokens (`reverse`):
 * values stay in source order, and a backward LSTM's are 0 past a sentence's end, as Keras's Bidirectional gives.
 */
function runLstm(model: InferenceModel, lstm: EncoderLstm, sourceIds: number[][], S: number, reverse: boolean): Encoded {
  const B = sourceIds.length;
  const [E, H] = [model.embeddingDim, lstm.recurrent.inputs];
  const position = (b: number, t: number) => (reverse && t < sourceIds[b].length ? sourceIds[b].length - 1 - t : t); // step t reads this token
  const ids = Array.from({ length: S * B }, (_, i) => sourceIds[i % B][position(i % B, Math.floor(i / B))] ?? MASKED_ID); // [S, B]: step t is a block
  const x = new Float32Array(S * B * E);
  embed(model.sourceEmbedding, ids, x, E);
  const inputs = dense(x, lstm.kernel, lstm.bias); // [S*B, 4H']
  const [h, c] = [new Float32Array(B * H), new Float32Array(B * H)];
  const values = new Float32Array(B * S * H);
  for (let t = 0; t < S; t++) {
    const z = inputs.subarray(t * B * 4 * H, (t + 1) * B * 4 * H);
    if (t > 0) {
      const recurrent = model.gemm.multiply(lstm.recurrent, h);
      for (let i = 0; i < z.length; i++) z[i] += recurrent[i];
    }
    lstmCell(z, c.slice(), H, h, c, (b) => (t < sourceIds[b].length ? b : -1));
    for (let b = 0; b < B; b++) if (!reverse || t < sourceIds[b].length) values.set(h.subarray(b * H, (b + 1) * H), (b * S + position(b, t)) * H);
  }
  return { h, c, values };
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
