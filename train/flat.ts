// Named tensors as one flat Float32Array: how weights and optimizer state travel between threads and to disk.
import * as tf from '@tensorflow/tfjs';

export interface FlatTensors {
  names: string[];
  shapes: number[][];
  data: Float32Array;
}

export function flatten(named: { name: string; tensor: tf.Tensor }[]): FlatTensors {
  const size = named.reduce((n, { tensor }) => n + tensor.size, 0);
  const data = new Float32Array(size);
  let offset = 0;
  for (const { tensor } of named) {
    data.set(tensor.dataSync(), offset);
    offset += tensor.size;
  }
  return { names: named.map((n) => n.name), shapes: named.map((n) => n.tensor.shape), data };
}

/** New tensors, one per entry; the caller owns them. */
export function unflatten({ shapes, data }: FlatTensors): tf.Tensor[] {
  let offset = 0;
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(data.slice(offset, offset + size), shape);
    offset += size;
    return t;
  });
}
