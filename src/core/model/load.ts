// Loads an exported layers model (model.json + weight shards) from bytes already in memory.
//
// The topology goes through tf.loadLayersModel and a custom IOHandler; the weights are then dequantized straight
// into the variables' memory instead of through tfjs's decodeWeights + setWeights. The stock path allocates every
// weight three times (zeros for the initial variables, a decoded Float32Array, then its copy into the WASM heap),
// and memory touched for the first time is what a cold start pays for: loading the en-ja model took 240 ms and a
// 33 MiB heap that way, 115 ms and 19 MiB this way (Node, same machine; README "Benchmarks"). Same values, bit
// for bit (test/unit/translator.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ArtifactError } from '../artifact.js';

type Variable = LayersModel['weights'][number];

/** Loads the layers model whose model.json is `path` in `files`; its weight paths are relative to its folder. */
export async function loadLayersFromFiles(path: string, files: Record<string, Uint8Array>): Promise<LayersModel> {
  const { modelTopology, weightsManifest } = modelJson(path, files);
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const shards = weightsManifest.flatMap((group) => group.paths.map((name) => file(files, folder + name.replace(/^\.\//, ''))));
  const model = await loadLayersModel({ load: async () => ({ modelTopology: zeroInitializers(modelTopology) as object }) });
  try {
    writeWeights(path, model, weightsManifest.flatMap((group) => group.weights), concat(shards));
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

export function file(files: Record<string, Uint8Array>, path: string): Uint8Array {
  const bytes = files[path];
  if (!bytes) throw new ArtifactError(`artifact file "${path}" is missing`);
  return bytes;
}

function modelJson(path: string, files: Record<string, Uint8Array>): tf.io.ModelJSON {
  const text = new TextDecoder().decode(file(files, path));
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ArtifactError(`${path} is not valid JSON`);
  }
  if (typeof json?.modelTopology !== 'object' || !Array.isArray(json.weightsManifest)) {
    throw new ArtifactError(`${path} has no modelTopology or weightsManifest`);
  }
  return json;
}

/**
 * Zeros without tfjs's Zeros initializer, which builds a JS array of zeros and copies it into the backend (~50 ms
 * for the 4M weights of en-ja); the Fill kernel writes the zeros in place.
 */
class FilledZeros extends tf.serialization.Serializable {
  static readonly className = 'EdgeTranslatorFilledZeros';
  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.fill(shape, 0, dtype);
  }
}
tf.serialization.registerClass(FilledZeros);

/**
 * The topology with every initializer replaced by zeros, as tfjs itself builds a model it is given weights for
 * (fastWeightInit): the values are overwritten anyway, and Orthogonal is slow. unit_forget_bias goes too: its
 * initializer leaks four tensors per LSTM.
 */
function zeroInitializers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(zeroInitializers);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === 'unit_forget_bias') return [key, false];
      return [key, key.endsWith('_initializer') && value ? { class_name: FilledZeros.className, config: {} } : zeroInitializers(value)];
    }),
  );
}

function concat(shards: Uint8Array[]): Uint8Array {
  if (shards.length === 1) return shards[0];
  const all = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((offset, s) => (all.set(s, offset), offset + s.length), 0);
  return all;
}

/** Writes each weight of the manifest, in order from `data`, into the model's variable of that name. */
function writeWeights(path: string, model: LayersModel, specs: tf.io.WeightsManifestEntry[], data: Uint8Array): void {
  const variables = new Map(model.weights.map((v) => [v.originalName, v]));
  let offset = 0;
  for (const spec of specs) {
    const variable = variables.get(spec.name);
    if (!variable) throw new ArtifactError(`${path}: weight "${spec.name}" is not in the model`);
    if (JSON.stringify(spec.shape) !== JSON.stringify(variable.shape)) {
      throw new ArtifactError(`${path}: weight "${spec.name}" has shape [${spec.shape}], the model [${variable.shape}]`);
    }
    const bytes = byteLength(spec);
    if (offset + bytes > data.length) throw new ArtifactError(`${path}: the weight files end inside "${spec.name}"`);
    write(variable, dequantizer(spec, data.subarray(offset, offset + bytes)));
    variables.delete(spec.name);
    offset += bytes;
  }
  if (variables.size > 0) throw new ArtifactError(`${path}: no values for ${[...variables.keys()].join(', ')}`);
  if (offset !== data.length) throw new ArtifactError(`${path}: the weight files hold ${data.length - offset} bytes more than the weights`);
}

function byteLength(spec: tf.io.WeightsManifestEntry): number {
  if (spec.dtype !== 'float32') throw new ArtifactError(`weight "${spec.name}" is ${spec.dtype}; only float32 weights are supported`);
  const size = tf.util.sizeFromShape(spec.shape);
  const dtype = spec.quantization?.dtype;
  return size * (dtype === 'uint8' ? 1 : dtype === 'float16' ? 2 : 4);
}

/** Fills a Float32Array with the weight's values, as tfjs's decodeWeights would. */
function dequantizer(spec: tf.io.WeightsManifestEntry, bytes: Uint8Array): (target: Float32Array) => void {
  const q = spec.quantization;
  if (!q) {
    const b = aligned(bytes, 4);
    return (target) => target.set(new Float32Array(b.buffer, b.byteOffset, b.length / 4));
  }
  if (q.dtype === 'float16') {
    const b = aligned(bytes, 2);
    const halves = new Uint16Array(b.buffer, b.byteOffset, b.length / 2);
    const table = float16Table();
    return (target) => {
      for (let i = 0; i < halves.length; i++) target[i] = table[halves[i]];
    };
  }
  if (q.dtype === 'uint8' && q.scale !== undefined && q.min !== undefined) {
    const { scale, min } = q;
    return (target) => {
      for (let i = 0; i < bytes.length; i++) target[i] = bytes[i] * scale + min;
    };
  }
  throw new ArtifactError(`weight "${spec.name}" has unsupported quantization ${JSON.stringify(q)}`);
}

/** Typed arrays need an offset their element size divides: the bytes as they are, or a copy when it does not. */
const aligned = (bytes: Uint8Array, size: number): Uint8Array => (bytes.byteOffset % size === 0 ? bytes : bytes.slice());

let halfTable: Float32Array | undefined;

/** Every IEEE half float's value, by its bits (256 KB, built once). */
function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    halfTable[h] =
      exponent === 0 ? sign * fraction * 2 ** -24 : exponent === 31 ? (fraction ? NaN : sign * Infinity) : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return halfTable;
}

/**
 * On the WASM backend, fills the variable's own heap memory: no new allocation, nothing copied twice. Elsewhere
 * (the Node tools on another backend) through a tensor the variable takes over.
 */
function write(variable: Variable, fill: (target: Float32Array) => void): void {
  const tensor = variable.read();
  const backend = tf.backend();
  if (backend instanceof BackendWasm) {
    fill(backend.typedArrayFromHeap(tensor) as Float32Array);
    return;
  }
  const values = new Float32Array(tensor.size);
  fill(values);
  tf.tidy(() => {
    variable.write(tf.tensor(values, tensor.shape));
  });
}
