// The one tfjs kernel inference runs: the encoder's input projection over every source position of a batch, and its
// attention keys, as XNNPACK's fused matmul on operands already 3-D (tf.matMul would add Reshape kernels around
// it). Those products have S x B rows, where XNNPACK's register-tiled float32 GEMM beats ./gemm.c's (encoding 64
// sentences of 12 tokens: 60-65 ms against 90-107 with every product in gemm.wasm, Node); products of
// a few rows (the encoder's recurrence, every decoder step) go to ./gemm.ts, which has no ~30 us dispatch.
// XNNPACK computes a row the same whatever rows share its batch, so batched search stays exact.
import * as tf from '@tensorflow/tfjs-core';

/** a [1, n, k] x b [1, k, m] (+ bias [m]) -> [1, n, m] on the host, in one XNNPACK kernel. */
export function dense(a: Float32Array, b: tf.Tensor3D, bias?: tf.Tensor1D): Float32Array {
  const k = b.shape[1];
  let out: Float32Array | undefined;
  tf.tidy(() => {
    const x = tf.tensor3d(a, [1, a.length / k, k]);
    const inputs: tf.NamedTensorMap = bias ? { a: x, b, bias } : { a: x, b };
    out = (
      tf
        .engine()
        .runKernel(tf._FusedMatMul, inputs, { transposeA: false, transposeB: false, activation: 'linear' }) as tf.Tensor
    ).dataSync() as Float32Array;
  });
  return out!; // [n * m], read before tidy disposed the tensors
}
