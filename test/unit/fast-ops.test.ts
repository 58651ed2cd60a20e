// The fast training path's hand-written gradients against tfjs autodiff of the plain formulation, its loss
// against the exported layers model stepped with teacher forcing, and its orthogonal init against tfjs's.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { seq2seqWeights } from '../../src/core/model/weights.js';
import { initNodeBackend } from '../../train/backend.js';
import { installTrainingKernels } from '../../train/fast/tfjs-overrides.js';
import { makeBatch } from '../../train/batches.js';
import { NO_REGULARIZATION, seq2seqLoss, sourceBias } from '../../train/fast/loss.js';
import { lstmSequence, softmaxCrossEntropy, type LstmSequence } from '../../train/fast/ops.js';
import { buildSeq2Seq } from '../../train/model.js';
import { orthogonal } from '../../train/orthogonal.js';

beforeAll(async () => {
  await initNodeBackend('wasm');
  installTrainingKernels();
});

/** The textbook LSTM recurrence in plain ops, differentiated by tfjs. */
function lstmReference(
  xz: tf.Tensor2D[],
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  U: tf.Tensor2D,
  masks: (tf.Tensor2D | null)[],
) {
  const H = h0.shape[1];
  let h: tf.Tensor = h0;
  let c: tf.Tensor = c0;
  const outputs: tf.Tensor[] = [];
  xz.forEach((x, t) => {
    const z = tf.add(x, tf.matMul(h, U));
    const [i, f, g, o] = tf.split(z, [H, H, H, H], 1);
    let cNew = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    let hNew = tf.mul(tf.sigmoid(o), tf.tanh(cNew));
    const m = masks[t];
    if (m) {
      cNew = tf.add(tf.mul(m, cNew), tf.mul(tf.sub(1, m), c));
      hNew = tf.add(tf.mul(m, hNew), tf.mul(tf.sub(1, m), h));
    }
    outputs.push(hNew);
    [h, c] = [hNew, cNew];
  });
  return { outputs, h, c } as LstmSequence;
}

function crossEntropyReference(
  x: tf.Tensor2D,
  W: tf.Tensor2D,
  b: tf.Tensor1D,
  labels: Int32Array,
  smoothing = 0,
): tf.Scalar {
  const V = W.shape[1];
  const logp = tf.logSoftmax(tf.add(tf.matMul(x, W), b));
  const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), V), 'float32');
  const target = tf.add(tf.mul(onehot, 1 - smoothing), smoothing / V);
  return tf.neg(tf.mean(tf.sum(tf.mul(logp, target), 1))) as tf.Scalar;
}

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-4) => {
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
  const scale = Math.max(1, tf.max(tf.abs(b)).dataSync()[0]);
  expect(diff / scale).toBeLessThan(tol);
};

describe('lstmSequence', () => {
  it('matches autodiff of the plain recurrence, with and without padding masks', () => {
    const [T, B, H] = [4, 3, 5];
    const xz = Array.from({ length: T }, (_, t) => tf.randomNormal([B, 4 * H], 0, 1, 'float32', t) as tf.Tensor2D);
    const h0 = tf.randomNormal([B, H], 0, 1, 'float32', 11) as tf.Tensor2D;
    const c0 = tf.randomNormal([B, H], 0, 1, 'float32', 12) as tf.Tensor2D;
    const U = tf.randomNormal([H, 4 * H], 0, 0.5, 'float32', 13) as tf.Tensor2D;
    const lengths = [4, 2, 3];
    const masked = Array.from({ length: T }, (_, t) =>
      t < 2
        ? null
        : tf.tensor2d(
            lengths.map((n) => (t < n ? 1 : 0)),
            [B, 1],
          ),
    );
    const weights = tf.randomNormal([T + 2, B, H], 0, 1, 'float32', 14);
    for (const masks of [new Array(T).fill(null), masked]) {
      // A loss touching every output and both final states, so every gradient path is exercised.
      const loss =
        (run: typeof lstmReference) =>
        (...args: tf.Tensor[]) => {
          const [h, c, u, ...xs] = args as tf.Tensor2D[];
          const r = run(xs, h, c, u, masks);
          return tf.sum(tf.mul(tf.stack([...r.outputs, r.h, r.c]), weights)) as tf.Scalar;
        };
      const inputs = [h0, c0, U, ...xz];
      const fast = tf.grads(loss(lstmSequence))(inputs);
      const reference = tf.grads(loss(lstmReference))(inputs);
      fast.forEach((g, i) => close(g, reference[i]));
      close(loss(lstmSequence)(...inputs), loss(lstmReference)(...inputs));
    }
  });
});

describe('softmaxCrossEntropy', () => {
  it.each([0, 0.1])('matches autodiff of log-softmax cross-entropy (label smoothing %s)', (smoothing) => {
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const W = tf.randomNormal([4, 7], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([7], 0, 1, 'float32', 3) as tf.Tensor1D;
    const labels = Int32Array.from([0, 3, 6, 2, 2, 5]);
    const reference = (x: tf.Tensor, W: tf.Tensor, b: tf.Tensor) =>
      crossEntropyReference(x as tf.Tensor2D, W as tf.Tensor2D, b as tf.Tensor1D, labels, smoothing);
    const fast = (x: tf.Tensor, W: tf.Tensor, b: tf.Tensor) =>
      softmaxCrossEntropy(x as tf.Tensor2D, W as tf.Tensor2D, b as tf.Tensor1D, labels, smoothing);
    close(fast(x, W, b), reference(x, W, b));
    const gf = tf.grads(fast)([x, W, b]);
    const gr = tf.grads(reference)([x, W, b]);
    gf.forEach((g, i) => close(g, gr[i]));
  });
});

describe.each([
  { bidirectional: false, inputFeeding: false },
  { bidirectional: true, inputFeeding: false },
  { bidirectional: false, inputFeeding: true },
])(
  'seq2seqLoss, bidirectional encoder $bidirectional, input feeding $inputFeeding',
  ({ bidirectional, inputFeeding }) => {
    const config = {
      sourceVocabSize: 12,
      targetVocabSize: 15,
      embeddingDim: 6,
      hiddenDim: 8,
      attention: true,
      bidirectional,
      inputFeeding,
    };
    const pairs = [
      { source: [4, 5, 6, 7], target: [8, 9, 10] },
      { source: [5, 6], target: [11, 12, 13, 14, 4] },
      { source: [9, 10, 11], target: [5] },
    ];

    it('equals the cross-entropy of the exported layers models stepped with teacher forcing', () => {
      const model = buildSeq2Seq(config);
      const weights = seq2seqWeights(model.encoder, model.decoder, true);
      const batch = makeBatch(pairs, 2, 3);
      const fast = seq2seqLoss(weights, batch, NO_REGULARIZATION).dataSync()[0];

      let total = 0;
      let count = 0;
      pairs.forEach(({ source, target }) => {
        const [outputs, keys, h0, c0] = model.encoder.predict(tf.tensor2d([source], undefined, 'int32')) as tf.Tensor[];
        const bias = sourceBias({ ...makeBatch([{ source, target }], 2, 3) });
        let [h, c, fed] = [h0, c0, tf.zeros([1, 1, 8])];
        [2, ...target].forEach((token, t) => {
          const inputs = [
            tf.tensor2d([[token]], undefined, 'int32'),
            h,
            c,
            outputs,
            keys,
            bias,
            ...(inputFeeding ? [fed] : []),
          ];
          const [probs, h2, c2, , attentional] = model.decoder.predict(inputs) as tf.Tensor[];
          const expected = t < target.length ? target[t] : 3;
          total -= Math.log(probs.dataSync()[expected]);
          count++;
          [h, c, fed] = [h2, c2, attentional];
        });
      });
      expect(fast).toBeCloseTo(total / count, 4);
    });

    it('gives the same gradients for every weight as autodiff through plain ops', () => {
      const model = buildSeq2Seq(config);
      const variables = model.weights.map((w) => w.read() as tf.Variable);
      const weights = seq2seqWeights(model.encoder, model.decoder, true);
      const batch = makeBatch(pairs, 2, 3);
      const plain = { lstmSequence: lstmReference, softmaxCrossEntropy: crossEntropyReference };
      const smoothed = { dropout: 0, labelSmoothing: 0.1 };
      const fast = tf.variableGrads(() => seq2seqLoss(weights, batch, smoothed), variables).grads;
      const reference = tf.variableGrads(() => seq2seqLoss(weights, batch, smoothed, plain), variables).grads;
      for (const v of variables) close(fast[v.name], reference[v.name]);
    });
  },
);

describe('orthogonal', () => {
  /** Q^T Q (orthonormal columns) or Q Q^T (orthonormal rows), whichever is the identity for this shape. */
  const gram = (q: tf.Tensor2D) =>
    q.shape[0] >= q.shape[1] ? tf.matMul(q, q, true, false) : tf.matMul(q, q, false, true);

  it.each(
    [
      [6, 24],
      [24, 6],
      [7, 7],
      [3, 4, 10],
    ].map((shape) => [shape]),
  )("is tfjs's Orthogonal matrix for the same seed, and orthonormal (shape %j)", (shape) => {
    const ours = orthogonal({ seed: 5 }).apply(shape);
    close(ours, tf.initializers.orthogonal({ seed: 5 }).apply(shape), 1e-5);
    const q = tf.reshape(ours, [-1, shape[shape.length - 1]]) as tf.Tensor2D;
    close(gram(q), tf.eye(Math.min(...q.shape)), 1e-5);
  });

  it("starts the model's recurrent kernels, without tfjs's slowness warning, saved as tfjs's Orthogonal", () => {
    const warn = vi.spyOn(console, 'warn');
    const model = buildSeq2Seq({
      sourceVocabSize: 12,
      targetVocabSize: 15,
      embeddingDim: 6,
      hiddenDim: 64,
      attention: false,
    }); // U: [64, 256]
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    for (const lstm of ['encoder_lstm', 'decoder_lstm']) {
      const U = model.weights.find((w) => w.originalName === `${lstm}/recurrent_kernel`)!.read() as tf.Tensor2D;
      close(gram(U), tf.eye(64), 1e-5);
    }
    const layer = model.encoder.getLayer('encoder_lstm').getConfig();
    expect(layer.recurrentInitializer).toEqual({ className: 'Orthogonal', config: { gain: 1, seed: undefined } });
  });
});
