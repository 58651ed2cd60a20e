// Overrides of tfjs-wasm kernels for training, where the stock ones are slow or missing (measured on tfjs 4.22):
// - Slice (and SplitV/Unpack, built on it) copies the WHOLE input out of the wasm heap on every call
//   (`readSync`), so slicing a [T, B, 4H] tensor T times is O(T^2). We read through a heap view instead.
// - BatchMatMul with a transpose flag runs 10-15x slower than without, and every backward matmul has one:
//   we transpose explicitly (one cheap copy) and run the fast untransposed kernel.
// - UnsortedSegmentSum, the gradient of `gather` (every embedding lookup), is not registered for wasm at all.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Info = { dataId: object; shape: number[]; dtype: tf.DataType };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kernel's attributes have their own types in tfjs
type Args = { inputs: Record<string, Info>; backend: BackendWasm; attrs: Record<string, any> };
type KernelFunc = (args: Args) => Info | Info[];

const original = (name: string) => tf.getKernel(name, 'wasm')!.kernelFunc as unknown as KernelFunc;

function override(name: string, kernelFunc: KernelFunc): void {
  const previous = tf.getKernel(name, 'wasm');
  if (previous) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** Slice through a heap view: copies only the rows it returns. Allocate first, since allocation may move the heap. */
function slice({ inputs: { x }, backend, attrs: { begin, size } }: Args): Info {
  const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, begin, size);
  const out = backend.makeOutput(s, x.dtype) as Info;
  const xv = backend.typedArrayFromHeap(x as tf.TensorInfo);
  const ov = backend.typedArrayFromHeap(out as tf.TensorInfo);
  const strides = tf.util.computeStrides(x.shape);
  // Copy contiguous runs along the last axis; walk the other axes with an odometer.
  const rank = x.shape.length;
  const run = rank === 0 ? 1 : s[rank - 1];
  const count = rank <= 1 ? 1 : tf.util.sizeFromShape(s.slice(0, -1));
  const index = new Array(Math.max(rank - 1, 0)).fill(0);
  for (let r = 0, o = 0; r < count; r++, o += run) {
    let offset = rank === 0 ? 0 : b[rank - 1];
    for (let d = 0; d < rank - 1; d++) offset += (b[d] + index[d]) * strides[d];
    ov.set(xv.subarray(offset, offset + run), o);
    for (let d = rank - 2; d >= 0 && ++index[d] === s[d]; d--) index[d] = 0;
  }
  return out;
}

function unpack({ inputs: { value }, backend, attrs }: Args): Info[] {
  const axis = attrs.axis < 0 ? attrs.axis + value.shape.length : attrs.axis;
  const size = value.shape.slice();
  size[axis] = 1;
  const outShape = value.shape.filter((_, d) => d !== axis);
  return Array.from({ length: value.shape[axis] }, (_, i) => {
    const begin = value.shape.map((_, d) => (d === axis ? i : 0));
    const out = slice({ inputs: { x: value }, backend, attrs: { begin, size } });
    return { ...out, shape: outShape };
  });
}

function splitV({ inputs: { x }, backend, attrs }: Args): Info[] {
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, attrs.numOrSizeSplits, axis);
  const begin = new Array(x.shape.length).fill(0);
  return sizes.map((n) => {
    const size = x.shape.slice();
    size[axis] = n;
    const out = slice({ inputs: { x }, backend, attrs: { begin: begin.slice(), size } });
    begin[axis] += n;
    return out;
  });
}

function makeBatchMatMul(matmul: KernelFunc, transpose: KernelFunc): KernelFunc {
  return ({ inputs: { a, b }, backend, attrs }: Args) => {
    if (!attrs.transposeA && !attrs.transposeB) return matmul({ inputs: { a, b }, backend, attrs });
    const t = (x: Info) => transpose({ inputs: { x }, backend, attrs: { perm: swapPerm(x) } }) as Info;
    const a2 = attrs.transposeA ? t(a) : a;
    const b2 = attrs.transposeB ? t(b) : b;
    const out = matmul({
      inputs: { a: a2, b: b2 },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }) as Info;
    if (a2 !== a) backend.disposeData(a2.dataId);
    if (b2 !== b) backend.disposeData(b2.dataId);
    return out;
  };
}

function swapPerm(x: Info): number[] {
  const perm = x.shape.map((_, d) => d);
  const n = perm.length;
  [perm[n - 1], perm[n - 2]] = [perm[n - 2], perm[n - 1]];
  return perm;
}

/** out[segmentIds[i], ...] += x[i, ...]; the gradient of gather along axis 0. */
function unsortedSegmentSum({ inputs: { x, segmentIds }, backend, attrs: { numSegments } }: Args): Info {
  const row = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype) as Info;
  const xv = backend.typedArrayFromHeap(x as tf.TensorInfo);
  const ids = backend.typedArrayFromHeap(segmentIds as tf.TensorInfo);
  const ov = backend.typedArrayFromHeap(out as tf.TensorInfo);
  ov.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const o = ids[i] * row;
    const s = i * row;
    for (let k = 0; k < row; k++) ov[o + k] += xv[s + k];
  }
  return out;
}

/** Registers the one kernel training cannot run without (the embedding gradient). Idempotent. */
export function registerMissingKernels(): void {
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) override('UnsortedSegmentSum', unsortedSegmentSum);
}

let installed = false;

/** Installs every fix on the wasm backend (idempotent). Call after `tf.setBackend('wasm')`. */
export function installTrainingKernels(): void {
  registerMissingKernels();
  if (installed) return;
  installed = true;
  override('Slice', slice);
  override('Unpack', unpack);
  override('SplitV', splitV);
  override('BatchMatMul', makeBatchMatMul(original('BatchMatMul'), original('Transpose')));
}
