// The LSTMs' recurrent kernels start as random orthogonal matrices, as in Keras. tfjs's Orthogonal initializer
// takes the QR of its random matrix with tfjs ops, which on wasm took 5-9 s for a [256, 1024] kernel, on every
// model build (training builds one per export), and warned "Slowness may result" each time. This is that
// initializer with the QR done by Gram-Schmidt in plain JS (0.3 s): the same normal draw (same seed), the same
// sign convention, hence the same matrix; the same class name and config in model.json.
import * as tf from '@tensorflow/tfjs';

type Initializer = ReturnType<typeof tf.initializers.orthogonal>;

/** tfjs-layers exports only a factory; its class is what the LSTM accepts as an initializer and serializes. */
const TfjsOrthogonal = tf.initializers.orthogonal({}).constructor as new (args: {
  gain?: number;
  seed?: number;
}) => Initializer & { gain: number; seed?: number };

class Orthogonal extends TfjsOrthogonal {
  /** `shape` flattened to [rows, cols]: orthonormal columns if rows >= cols, else orthonormal rows; times gain. */
  override apply(shape: number[]): tf.Tensor {
    const rows = tf.util.sizeFromShape(shape.slice(0, -1));
    const cols = shape[shape.length - 1];
    const [n, k] = [Math.max(rows, cols), Math.min(rows, cols)];
    const normal = tf.randomNormal([n, k], 0, 1, 'float32', this.seed);
    const q = orthonormalColumns(normal.dataSync() as Float32Array, n, k);
    normal.dispose();
    return tf.tidy(() => {
      const matrix = tf.tensor2d(q, [n, k]);
      return tf.mul(this.gain, rows < cols ? tf.transpose(matrix) : matrix).reshape(shape);
    });
  }
}

/** Keras's default recurrent initializer (gain 1, unseeded), as an instance tf.layers.lstm takes. */
export const orthogonal = (args: { gain?: number; seed?: number } = {}): Initializer => new Orthogonal(args);

/**
 * Q of A = QR with R's diagonal positive (the convention tfjs gets by multiplying Q by sign(diag(R))): modified
 * Gram-Schmidt in float64 on the columns of A, [n, k] row-major, n >= k.
 */
function orthonormalColumns(a: Float32Array, n: number, k: number): Float32Array {
  const columns = Array.from({ length: k }, (_, j) => Float64Array.from({ length: n }, (_, i) => a[i * k + j]));
  columns.forEach((v, j) => {
    for (let p = 0; p < j; p++) {
      const u = columns[p];
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
  });
  const q = new Float32Array(n * k);
  columns.forEach((v, j) => v.forEach((x, i) => (q[i * k + j] = x)));
  return q;
}
