// Two fused ops with hand-written gradients, the core of the fast training path. Both are checked against tfjs
// autodiff of the plain formulation in test/unit/fast-ops.test.ts.
import * as tf from '@tensorflow/tfjs';

export interface LstmSequence {
  outputs: tf.Tensor2D[]; // T x [B, H], the hidden state after each step
  h: tf.Tensor2D; // [B, H] final states
  c: tf.Tensor2D;
}

/**
 * A whole LSTM sequence as one op (gates [i, f, g, o] as in Keras, sigmoid recurrent activation).
 * xz[t] = x_t W + b, [B, 4H], is computed outside (one big matmul for all steps); this op runs the recurrence.
 * masks[t] ([B, 1], 1 = real token) freezes the state of finished (padded) rows, like Keras masking; null = no padding.
 * Backpropagation through time is written out, so autodiff records one op instead of ~15 per step.
 */
export function lstmSequence(
  xz: tf.Tensor2D[],
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  U: tf.Tensor2D,
  masks: (tf.Tensor2D | null)[],
): LstmSequence {
  const T = xz.length;
  const op = tf.customGrad((...args: unknown[]) => {
    const [h0_, c0_, U_, ...xs] = args.slice(0, -1) as tf.Tensor2D[];
    const save = args[args.length - 1] as (tensors: tf.Tensor[]) => void;
    const H = h0_.shape[1];
    const saved: tf.Tensor[] = [U_]; // then per step: i, f, g, o, tanh(c), h_{t-1}, c_{t-1}
    const hs: tf.Tensor[] = [];
    let h: tf.Tensor = h0_;
    let c: tf.Tensor = c0_;
    for (let t = 0; t < T; t++) {
      const z = tf.add(xs[t], tf.matMul(h, U_));
      const [zi, zf, zg, zo] = tf.split(z, [H, H, H, H], 1);
      const [i, f, g, o] = [tf.sigmoid(zi), tf.sigmoid(zf), tf.tanh(zg), tf.sigmoid(zo)];
      let cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
      const tc = tf.tanh(cNew);
      let hNew = tf.mul(o, tc);
      const m = masks[t];
      if (m) {
        cNew = tf.add(c, tf.mul(m, tf.sub(cNew, c)));
        hNew = tf.add(h, tf.mul(m, tf.sub(hNew, h)));
      }
      saved.push(i, f, g, o, tc, h, c);
      hs.push(hNew);
      h = hNew;
      c = cNew;
    }
    // customGrad returns one tensor: [T + 1, B, H] = every h, then the final c.
    const value = tf.stack([...hs, c]);
    // Masks come from outside: autodiff disposes them after the forward pass unless they are saved too.
    save([...saved, ...masks.filter((m): m is tf.Tensor2D => m !== null)]);
    // Intermediates die with the forward pass; the backward pass reads the saved clones.
    const gradFunc = (dy: tf.Tensor, kept: tf.Tensor[]) => {
      const Uk = kept[0];
      const step = (t: number) => {
        const [i, f, g, o, tc, hPrev, cPrev] = kept.slice(1 + 7 * t, 8 + 7 * t);
        return { i, f, g, o, tc, hPrev, cPrev };
      };
      const keptMasks = kept.slice(1 + 7 * T);
      const firstMasked = masks.findIndex((m) => m !== null);
      const mask = (t: number) => (masks[t] === null ? null : keptMasks[t - firstMasked]);
      const dys = tf.unstack(dy);
      const Ut = tf.transpose(Uk);
      const dxs: tf.Tensor[] = new Array(T);
      const dzs: tf.Tensor[] = [];
      let dh: tf.Tensor = tf.zerosLike(dys[0]);
      let dc: tf.Tensor = dys[T];
      for (let t = T - 1; t >= 0; t--) {
        const { i, f, g, o, tc, cPrev } = step(t);
        dh = tf.add(dh, dys[t]);
        const m = mask(t);
        // Masked rows pass their gradient straight to the previous state.
        const dhNew = m ? tf.mul(m, dh) : dh;
        let dcNew = m ? tf.mul(m, dc) : dc;
        dcNew = tf.add(dcNew, tf.mul(dhNew, tf.mul(o, tf.sub(1, tf.square(tc)))));
        const dzi = tf.mul(tf.mul(dcNew, g), tf.mul(i, tf.sub(1, i)));
        const dzf = tf.mul(tf.mul(dcNew, cPrev), tf.mul(f, tf.sub(1, f)));
        const dzg = tf.mul(tf.mul(dcNew, i), tf.sub(1, tf.square(g)));
        const dzo = tf.mul(tf.mul(dhNew, tc), tf.mul(o, tf.sub(1, o)));
        const dz = tf.concat([dzi, dzf, dzg, dzo], 1);
        dxs[t] = dz;
        dzs.unshift(dz);
        const dhPrev = tf.matMul(dz, Ut);
        const dcPrev = tf.mul(dcNew, f);
        dh = m ? tf.add(dhPrev, tf.sub(dh, dhNew)) : dhPrev;
        dc = m ? tf.add(dcPrev, tf.sub(dc, tf.mul(m, dc))) : dcPrev;
      }
      // dU = sum_t h_{t-1}^T dz_t, as one matmul over all steps.
      const dU = tf.matMul(tf.concat(Array.from({ length: T }, (_, t) => step(t).hPrev)), tf.concat(dzs), true, false);
      return [dh, dc, dU, ...dxs];
    };
    return { value, gradFunc };
  });
  const packed = op(h0, c0, U, ...xz) as tf.Tensor3D;
  const all = tf.unstack(packed) as tf.Tensor2D[];
  return { outputs: all.slice(0, T), h: all[T - 1], c: all[T] };
}

/**
 * Mean cross-entropy of softmax(hidden W + b) against integer labels, over N rows: [N, H] x [H, V], with the
 * labels smoothed by `smoothing` (target distribution (1 - s) onehot + s / V).
 * The forward pass keeps the probabilities; the gradient (softmax - target) / N is then one pass over them in JS,
 * instead of log-softmax's backward graph (exp, one-hot, subtract, scale: four passes over [N, V]).
 */
export function softmaxCrossEntropy(
  hidden: tf.Tensor2D,
  W: tf.Tensor2D,
  b: tf.Tensor1D,
  labels: Int32Array,
  smoothing = 0,
): tf.Scalar {
  const op = tf.customGrad((...args: unknown[]) => {
    const [x, w, bias] = args.slice(0, -1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[args.length - 1] as (tensors: tf.Tensor[]) => void;
    const [N, V] = [x.shape[0], w.shape[1]];
    const probs = tf.softmax(tf.fused.matMul({ a: x, b: w, bias })); // [N, V]
    const flat = tf.tensor1d(
      labels.map((y, n) => n * V + y),
      'int32',
    ); // index of each label in the flat [N * V]
    const logProb = (p: tf.Tensor) => tf.mean(tf.log(tf.maximum(p, 1e-30)));
    const nll = tf.neg(logProb(tf.gather(tf.reshape(probs, [-1]), flat)));
    // mean over rows of -mean_v log p_v, i.e. the cross-entropy against the uniform distribution
    const value = (
      smoothing > 0 ? tf.add(tf.mul(1 - smoothing, nll), tf.mul(-smoothing, logProb(probs))) : nll
    ) as tf.Scalar;
    save([x, w, probs]);
    const gradFunc = (dy: tf.Tensor, [x, w, probs]: tf.Tensor[]) => {
      const d = probs.dataSync() as Float32Array; // a copy we may modify
      const scale = dy.dataSync()[0] / N;
      const uniform = smoothing / V;
      const dbias = new Float32Array(V);
      labels.forEach((y, n) => (d[n * V + y] -= 1 - smoothing));
      for (let n = 0, i = 0; n < N; n++) {
        for (let v = 0; v < V; v++, i++) {
          d[i] = (d[i] - uniform) * scale;
          dbias[v] += d[i];
        }
      }
      const dlogits = tf.tensor2d(d, [N, V]);
      return [
        tf.matMul(dlogits, w as tf.Tensor2D, false, true),
        tf.matMul(x as tf.Tensor2D, dlogits, true, false),
        tf.tensor1d(dbias),
      ];
    };
    return { value, gradFunc };
  });
  return op(hidden, W, b) as tf.Scalar;
}
