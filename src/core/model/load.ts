// Reads the weights of an exported layers model (model.json + weight shards) from bytes already in memory, by
// layer name, without building the LayersModel: the inference core (./seq2seq.ts) only reads the weights, and
// building the model put every weight into tfjs's heap as float32 first (17 MB for en-ja, then copied out again),
// which was most of a cold start's model build: memory touched for the first time is what a cold start pays for
// (README "Benchmarks"). A uint8 weight keeps its codes, so the inference core can dequantize it where it lands
// (the decoder's matrices in gemm.wasm, an embedding a row at a time). Values as tfjs's loader decodes them, bit for
// bit (test/unit/translator.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { ArtifactError } from '../artifact.js';

/** A uint8-quantized weight's codes: w = codes[i] * scale + min (tfjs's uint8 quantization). */
export type Uint8Codes = { codes: Uint8Array; scale: number; min: number };

/** A weight as an artifact stores it: its shape, its values on demand, and its codes when stored as uint8. */
export interface StoredWeight {
  name: string;
  shape: number[];
  values(): Float32Array; // a new array each call
  uint8?: Uint8Codes;
}

/**
 * The weights of the layers model whose model.json is `path` in `files`, by layer name (the part of a weight's name
 * before the first "/"), each layer's in the order the file lists them (Keras's). Weight paths are relative to the
 * folder of model.json. ArtifactError when the files do not hold exactly the weights they list.
 */
export function readWeights(path: string, files: Record<string, Uint8Array>): Map<string, StoredWeight[]> {
  const { weightsManifest } = modelJson(path, files);
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const data = concat(
    weightsManifest.flatMap((group) => group.paths.map((name) => file(files, folder + name.replace(/^\.\//, '')))),
  );
  const layers = new Map<string, StoredWeight[]>();
  let offset = 0;
  for (const spec of weightsManifest.flatMap((group) => group.weights)) {
    const bytes = byteLength(spec);
    if (offset + bytes > data.length) throw new ArtifactError(`${path}: the weight files end inside "${spec.name}"`);
    const layer = spec.name.split('/')[0];
    layers.set(layer, [...(layers.get(layer) ?? []), storedWeight(spec, data.subarray(offset, offset + bytes))]);
    offset += bytes;
  }
  if (offset !== data.length)
    throw new ArtifactError(`${path}: the weight files hold ${data.length - offset} bytes more than the weights`);
  return layers;
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

function concat(shards: Uint8Array[]): Uint8Array {
  if (shards.length === 1) return shards[0];
  const all = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((offset, s) => (all.set(s, offset), offset + s.length), 0);
  return all;
}

function byteLength(spec: tf.io.WeightsManifestEntry): number {
  if (spec.dtype !== 'float32')
    throw new ArtifactError(`weight "${spec.name}" is ${spec.dtype}; only float32 weights are supported`);
  const size = tf.util.sizeFromShape(spec.shape);
  const dtype = spec.quantization?.dtype;
  return size * (dtype === 'uint8' ? 1 : dtype === 'float16' ? 2 : 4);
}

/** The weight of `spec` over its bytes, decoded as tfjs's decodeWeights would. */
function storedWeight(spec: tf.io.WeightsManifestEntry, bytes: Uint8Array): StoredWeight {
  const [name, shape, q] = [spec.name, spec.shape, spec.quantization];
  if (!q) {
    const b = aligned(bytes, 4);
    return { name, shape, values: () => new Float32Array(b.buffer, b.byteOffset, b.length / 4).slice() };
  }
  if (q.dtype === 'float16') {
    const b = aligned(bytes, 2);
    const halves = new Uint16Array(b.buffer, b.byteOffset, b.length / 2);
    return { name, shape, values: () => decode(halves.length, (i) => float16Table()[halves[i]]) };
  }
  if (q.dtype === 'uint8' && q.scale !== undefined && q.min !== undefined) {
    const { scale, min } = q;
    return {
      name,
      shape,
      values: () => decode(bytes.length, (i) => bytes[i] * scale + min),
      uint8: { codes: bytes, scale, min },
    };
  }
  throw new ArtifactError(`weight "${spec.name}" has unsupported quantization ${JSON.stringify(q)}`);
}

/** n values, value(i) each, in a loop (Float32Array.from with a map function was 5x slower). */
function decode(n: number, value: (i: number) => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = value(i);
  return out;
}

/** Typed arrays need an offset their element size divides: the bytes as they are, or a copy when it does not. */
const aligned = (bytes: Uint8Array, size: number): Uint8Array =>
  bytes.byteOffset % size === 0 ? bytes : bytes.slice();

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
      exponent === 0
        ? sign * fraction * 2 ** -24
        : exponent === 31
          ? fraction
            ? NaN
            : sign * Infinity
          : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return halfTable;
}
