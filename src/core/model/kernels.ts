// The few tfjs kernels the inference math runs, called directly on tensors already shaped as the kernels take them,
// and the host's two ways to the data (a view, an upload).
//
// tf.matMul and tf.fused.matMul bring each operand to 3-D with a Reshape kernel and back, and count an op wrapper:
// 194 of the 573 kernels tf.profile saw in a greedy en-ja sentence of 11 decoder steps before this module. Here the operands are 3-D
// [batch, rows, columns] from the start. The WASM backend runs a matmul through XNNPACK (its packed `b` cached by
// tensor id) only when both batches are 1 and nothing is transposed; other shapes take a plain C++ loop.
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const run = <T extends tf.Tensor>(kernel: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): T => tf.engine().runKernel<T>(kernel, inputs, attrs);

/** a [1, n, k] x b [1, k, m] + bias [m] -> [1, n, m], then the activation, in one XNNPACK kernel. */
export function dense(a: tf.Tensor3D, b: tf.Tensor3D, bias?: tf.Tensor1D, activation: 'linear' | 'sigmoid' = 'linear'): tf.Tensor3D {
  const inputs: tf.NamedTensorMap = bias ? { a, b, bias } : { a, b };
  return run(tf._FusedMatMul, inputs, { transposeA: false, transposeB: false, activation });
}

/** a [B, n, k] x b [B, k, m] -> [B, n, m]: XNNPACK for B = 1, else the plain loop (~1 GFLOP/s). */
export const batchMatMul = (a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D => run(tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false });

/** Softmax over the last axis. */
export const softmax = <T extends tf.Tensor>(logits: T): T => run(tf.Softmax, { logits }, { dim: logits.rank - 1 });

export const add = <T extends tf.Tensor>(a: T, b: tf.Tensor): T => run(tf.Add, { a, b });

export const tanh = <T extends tf.Tensor>(x: T): T => run(tf.Tanh, { x });

export const concat = <T extends tf.Tensor>(tensors: T[], axis: number): T => run(tf.Concat, tensors as unknown as tf.NamedTensorMap, { axis });

/** The same data in another shape (no copy). */
export const reshape = <T extends tf.Tensor>(x: tf.Tensor, shape: number[]): T => run(tf.Reshape, { x }, { shape });

/** A float32 tensor holding a copy of `values`: no kernel, one copy into the backend. */
export const upload = <T extends tf.Tensor>(values: Float32Array, shape: number[]): T => tf.tensor(values, shape, 'float32') as T;

/**
 * Runs `f`, disposing every tensor it makes, and returns its host result. tf.tidy would walk a returned typed array
 * element by element looking for tensors: 62% of a beam search's time before.
 */
export function onDevice<T>(f: () => T): T {
  let result: T | undefined;
  tf.tidy(() => {
    result = f();
  });
  return result as T;
}

/** A float32 tensor's values, copied to the host. */
export const download = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;

/**
 * A float32 tensor's values without a copy: on the WASM backend a view of its heap memory, to read at once (the
 * next allocation may grow the heap and detach the view); elsewhere its data (the tools' cpu backend keeps it as
 * an array).
 */
export function hostView(t: tf.Tensor): Float32Array {
  const backend = tf.backend();
  return backend instanceof BackendWasm ? (backend.typedArrayFromHeap(t) as Float32Array) : download(t);
}
