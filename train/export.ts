// Export: the trained inference encoder and decoder as standard TensorFlow.js layers-model artifacts (loadable by
// plain tf.loadLayersModel), weights optionally quantized with the weights manifest's `quantization` field (tfjs
// decodes it on load; model.save() never quantizes, so we do it here), the vocabularies, and manifest.json with
// the sha256 and size of every file. The same bytes are used for per-epoch evaluation, so what is measured is
// exactly what ships.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  MANIFEST_FORMAT,
  SPECIAL_TOKENS,
  type Manifest,
  type Quantization,
  type ShortlistConfig,
  type SideConfig,
} from '../src/core/artifact.js';
import { sha256Hex } from '../src/core/open-artifact.js';
import type { Subwords } from '../src/core/tokenize/subwords.js';
import type { Vocab } from '../src/core/vocab.js';
import type { Seq2Seq } from './model.js';

/** A side's manifest entry with the contents of its files (`merges` when it has `subwords`). */
type ExportSide = SideConfig & { vocabulary: Vocab; merges?: Subwords };

export interface ExportInput {
  model: Seq2Seq;
  source: ExportSide;
  target: ExportSide;
  quantization: Quantization;
  training: Record<string, unknown>;
  metrics: Record<string, number | string>;
  extraFiles?: Record<string, Uint8Array>; // e.g. training-curve.svg
  shortlist?: { config: ShortlistConfig; bytes: Uint8Array }; // train/shortlist.ts: its manifest entry and file
}

export interface Artifacts {
  manifest: Manifest;
  files: Record<string, Uint8Array>; // every file except manifest.json, by path
}

export async function exportArtifacts(input: ExportInput): Promise<Artifacts> {
  const { model, source, target, quantization } = input;
  const text = new TextEncoder();
  const files: Record<string, Uint8Array> = {
    ...(await saveLayersModel(model.encoder, 'encoder', quantization)),
    ...(await saveLayersModel(model.decoder, 'decoder', quantization)),
    ...Object.fromEntries(
      [source, target].flatMap((s) => [
        [s.vocab, text.encode(s.vocabulary.toText())],
        ...(s.subwords && s.merges ? [[s.subwords, text.encode(s.merges.toText())]] : []),
      ]),
    ),
    ...input.extraFiles,
    ...(input.shortlist && { [input.shortlist.config.file]: input.shortlist.bytes }),
  };
  const entries = await Promise.all(
    Object.entries(files).map(
      async ([path, bytes]) => [path, { sha256: await sha256Hex(bytes), bytes: bytes.length }] as const,
    ),
  );
  const fileTable = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  const side = ({ vocabulary: _, merges: __, ...rest }: ExportSide): SideConfig => rest;
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    direction: `${source.lang}-${target.lang}`,
    version: `${compactTime(new Date())}-${fileTable[`encoder/weights.bin`].sha256.slice(0, 4)}${fileTable['decoder/weights.bin'].sha256.slice(0, 4)}`,
    createdAt: new Date().toISOString(),
    source: side(source),
    target: side(target),
    specialTokens: SPECIAL_TOKENS,
    model: {
      ...model.config,
      parameters: model.weights.reduce((n, w) => n + tf.util.sizeFromShape(w.shape as number[]), 0),
      quantization,
    },
    training: input.training,
    metrics: input.metrics,
    ...(input.shortlist && { shortlist: input.shortlist.config }),
    files: fileTable,
  };
  return { manifest, files };
}

/** Writes an export to `dir`, replacing what was there. */
export async function writeArtifacts(dir: string, { manifest, files }: Artifacts): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const [path, bytes] of Object.entries({
    ...files,
    'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
  })) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
}

/** `<prefix>/model.json` + `<prefix>/weights.bin`, weights quantized as asked. */
async function saveLayersModel(
  model: tf.LayersModel,
  prefix: string,
  quantization: Quantization,
): Promise<Record<string, Uint8Array>> {
  let saved: tf.io.ModelArtifacts | undefined;
  await withoutSaveWarning(() =>
    model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    ),
  );
  const raw = new Float32Array(tf.io.CompositeArrayBuffer.join(saved!.weightData!));
  const weights: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const spec of saved!.weightSpecs!) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = raw.subarray(offset, offset + size);
    offset += size;
    const { bytes, quantization: q } = quantize(values, quantization);
    weights.push(q ? { ...spec, quantization: q } : spec);
    chunks.push(bytes);
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: saved!.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights }],
  };
  return {
    [`${prefix}/model.json`]: new TextEncoder().encode(JSON.stringify(modelJson)),
    [`${prefix}/weights.bin`]: concat(chunks),
  };
}

/**
 * The decoder LSTM takes its initial states in its input list ([x, h, c]); tfjs-layers also keeps them as an
 * `initialState` call argument, cannot serialize those symbolic tensors, and warns on every save
 * (tfjs-layers engine/container.js). The states are saved as the layer's inputs, which is all loading needs.
 */
const NON_SERIALIZABLE = /^Layer decoder_lstm was passed non-serializable keyword arguments/;

let saving = 0; // saves in flight: the filter stays until the last one ends, then the original comes back
let warn = console.warn;

/** Runs `fn` with console.warn passing on every message but that one. */
async function withoutSaveWarning<T>(fn: () => Promise<T>): Promise<T> {
  if (saving++ === 0) {
    warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] !== 'string' || !NON_SERIALIZABLE.test(args[0])) warn(...args);
    };
  }
  try {
    return await fn();
  } finally {
    if (--saving === 0) console.warn = warn;
  }
}

type WeightQuantization = NonNullable<tf.io.WeightsManifestEntry['quantization']>;

/** float16: IEEE half floats. uint8: affine per tensor, value = min + scale * q. */
export function quantize(
  values: Float32Array,
  kind: Quantization,
): { bytes: Uint8Array; quantization?: WeightQuantization } {
  if (kind === 'float32') return { bytes: new Uint8Array(values.slice().buffer) };
  if (kind === 'float16')
    return { bytes: new Uint8Array(Uint16Array.from(values, toHalf).buffer), quantization: { dtype: 'float16' } };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const q = Uint8Array.from(values, (v) => Math.round((v - min) / scale));
  return { bytes: q, quantization: { dtype: 'uint8', min, scale } };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE 754 half, round to nearest even; overflow to infinity, tiny values to subnormals/zero. */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // may carry into the exponent: still correct
  return sign | half;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

const compactTime = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
