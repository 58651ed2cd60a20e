// Small random seq2seq models for tests and benchmarks: seeded weights, and an in-memory artifact (manifest +
// files with correct sha256s) as the Worker would read it from R2.
import * as tf from '@tensorflow/tfjs';
import { DECODER_JSON, ENCODER_JSON, MANIFEST_FORMAT, SPECIAL_TOKEN_TEXT, SPECIAL_TOKENS, type Manifest, type ModelConfig } from '../../src/artifact.js';
import { sha256Hex } from '../../src/model/verify.js';
import { buildSeq2Seq, type Seq2Seq } from '../../train/model.js';

export interface RandomModelOptions {
  config: ModelConfig;
  seed?: number; // same seed, same weights
  scale?: number; // weights uniform in [-scale, scale]; larger gives peakier distributions
  sourceMaxLength?: number;
  targetMaxLength?: number;
  quantization?: 'float32' | 'uint8'; // uint8: affine quantization in the weights manifest, decoded by tfjs
}

export interface RandomArtifact {
  seq2seq: Seq2Seq;
  manifest: Manifest;
  files: Record<string, Uint8Array>;
  sourceWords: string[]; // the non-special tokens, by id - 4
  targetWords: string[];
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSeq2Seq(config: ModelConfig, seed = 1, scale = 0.3): Seq2Seq {
  const model = buildSeq2Seq(config);
  const random = prng(seed);
  for (const w of model.weights) {
    const { shape, size } = w.read();
    const values = Float32Array.from({ length: size }, () => (2 * random() - 1) * scale);
    tf.tidy(() => {
      w.write(tf.tensor(values, shape));
    });
  }
  return model;
}

/** Distinct lowercase words ("wa", "wb", ...) that the english and japanese-spaced tokenizers keep whole. */
export function words(count: number): string[] {
  return Array.from({ length: count }, (_, i) => 'w' + [...i.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join(''));
}

export async function randomArtifact(options: RandomModelOptions): Promise<RandomArtifact> {
  const { config, seed = 1, scale = 0.3, sourceMaxLength = 20, targetMaxLength = 20, quantization = 'float32' } = options;
  const seq2seq = randomSeq2Seq(config, seed, scale);
  const specials = SPECIAL_TOKEN_TEXT.length;
  const sourceWords = words(config.sourceVocabSize - specials);
  const targetWords = words(config.targetVocabSize - specials).map((w) => w.toUpperCase());
  const vocabText = (tokens: string[]) => [...SPECIAL_TOKEN_TEXT, ...tokens].join('\n') + '\n';
  const content: Record<string, Uint8Array> = {
    ...(await layersFiles('encoder', seq2seq.encoder, quantization)),
    ...(await layersFiles('decoder', seq2seq.decoder, quantization)),
    'vocab.en.txt': new TextEncoder().encode(vocabText(sourceWords)),
    'vocab.ja.txt': new TextEncoder().encode(vocabText(targetWords)),
  };
  const files: Manifest['files'] = {};
  for (const [path, bytes] of Object.entries(content)) files[path] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    direction: 'en-ja',
    version: `random-${seed}`,
    createdAt: new Date(0).toISOString(),
    source: { lang: 'en', tokenizer: 'english', vocab: 'vocab.en.txt', maxLength: sourceMaxLength },
    target: { lang: 'ja', tokenizer: 'japanese-spaced', vocab: 'vocab.ja.txt', maxLength: targetMaxLength },
    specialTokens: SPECIAL_TOKENS,
    model: { ...config, parameters: seq2seq.weights.reduce((n, w) => n + w.read().size, 0), quantization },
    training: {},
    metrics: {},
    files,
  };
  return { seq2seq, manifest, files: content, sourceWords, targetWords };
}

/** `<dir>/model.json` and `<dir>/weights.bin` of a LayersModel, as model.save() would write them. */
async function layersFiles(dir: string, model: tf.LayersModel, quantization: 'float32' | 'uint8'): Promise<Record<string, Uint8Array>> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const { weightSpecs, weightData } = quantization === 'uint8' ? quantizeUint8(saved!) : { weightSpecs: saved!.weightSpecs!, weightData: saved!.weightData! };
  const json: tf.io.ModelJSON = {
    modelTopology: saved!.modelTopology!,
    format: saved!.format,
    generatedBy: saved!.generatedBy,
    convertedBy: saved!.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
  };
  return {
    [dir === 'encoder' ? ENCODER_JSON : DECODER_JSON]: new TextEncoder().encode(JSON.stringify(json)),
    [`${dir}/weights.bin`]: new Uint8Array(new tf.io.CompositeArrayBuffer(weightData).slice()),
  };
}

/** Affine uint8 quantization (value = min + scale * q) of every float32 weight, as in the tfjs weights manifest. */
function quantizeUint8(artifacts: tf.io.ModelArtifacts) {
  const decoded = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (const spec of artifacts.weightSpecs!) {
    const values = decoded[spec.name].dataSync() as Float32Array;
    const min = values.reduce((a, b) => Math.min(a, b));
    const scale = (values.reduce((a, b) => Math.max(a, b)) - min) / 255 || 1;
    chunks.push(Uint8Array.from(values, (v) => Math.round((v - min) / scale)));
    weightSpecs.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
  }
  tf.dispose(decoded);
  return { weightSpecs, weightData: tf.io.concatenateArrayBuffers(chunks.map((c) => c.buffer)) };
}
