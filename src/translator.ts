// A loaded model and everything around it: text -> tokens -> ids -> search -> tokens -> text. Used as is by
// the Worker and by the Node tools (translate, evaluate), so both decode the same way.
// tfjs-core + tfjs-layers rather than the @tensorflow/tfjs union: a 1 MB smaller Worker bundle. tfjs-layers calls
// chained ops (x.add(y)), which only the union registers by itself: the Worker registers them in wasm-backend.ts
// (Node's ESM loader cannot import that deep path; Node tools load the union, which registers them).
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { DECODER_JSON, ENCODER_JSON, SPECIAL_TOKENS, type Manifest } from './artifact.js';
import { beamSearch, greedyDecode, maxOutputLength, type Hypothesis } from './decode.js';
import { createInferenceModel, disposeInferenceModel, encode, type InferenceModel } from './model/seq2seq.js';
import { ArtifactError } from './model/verify.js';
import { seq2seqWeights } from './model/weights.js';
import { getTokenizer, type Tokenizer } from './tokenize/index.js';
import { Vocab } from './vocab.js';

export const MAX_BEAM = 10;

export interface TranslateOptions {
  beam: number; // 1 = greedy (a batch decodes together); 2..MAX_BEAM = beam search, sentence by sentence
}

export interface Translation {
  translation: string;
  tokens: string[]; // target tokens, without </s>
  score: number; // total log-prob of the output tokens (</s> included when emitted)
  unknownWords: string[]; // source tokens not in the source vocabulary (read as <unk>), in order, once each
}

export interface TranslateTimings {
  tokenizeMs: number; // tokenizing, vocabulary look-ups and detokenizing
  encodeMs: number;
  decodeMs: number;
}

/** The caller's input cannot be translated (too long, bad beam); `reason` says why in a sentence. */
export class TranslateInputError extends Error {
  constructor(
    readonly reason: string,
    readonly index?: number, // which text of the batch; named in the message when the batch has several
    count = 1,
  ) {
    super(index !== undefined && count > 1 ? `texts[${index}]: ${reason}` : reason);
  }
}

interface Side {
  vocab: Vocab;
  tokenizer: Tokenizer;
}

interface Source {
  ids: number[];
  unknownWords: string[];
  maxLength: number; // output budget
}

export class Translator {
  readonly id: string;

  constructor(
    readonly manifest: Manifest,
    private readonly model: InferenceModel,
    private readonly source: Side,
    private readonly target: Side,
  ) {
    this.id = `${manifest.direction}@${manifest.version}`;
  }

  translate(texts: string[], options: TranslateOptions): { translations: Translation[]; timings: TranslateTimings } {
    const { beam } = options;
    if (!Number.isInteger(beam) || beam < 1 || beam > MAX_BEAM) {
      throw new TranslateInputError(`beam must be an integer from 1 to ${MAX_BEAM}, got ${beam}`);
    }
    const started = performance.now();
    const sources = texts.map((text, index) => this.prepare(text, index, texts.length));
    const timings = { tokenizeMs: performance.now() - started, encodeMs: 0, decodeMs: 0 };
    const search = (batch: Source[]): Hypothesis[] => {
      const t0 = performance.now();
      const memory = encode(this.model, batch.map((s) => s.ids));
      const t1 = performance.now();
      const special = this.manifest.specialTokens;
      const found = beam === 1
        ? greedyDecode(this.model, memory, batch.map((s) => s.maxLength), special)
        : [beamSearch(this.model, memory, { beam, maxLength: batch[0].maxLength, special })[0]];
      tf.dispose(memory);
      timings.encodeMs += t1 - t0;
      timings.decodeMs += performance.now() - t1;
      return found;
    };
    const work = sources.filter((s) => s.ids.length > 0); // an empty text gets an empty translation, no model run
    const found = work.length === 0 ? [] : beam === 1 ? search(work) : work.flatMap((s) => search([s]));
    const bySource = new Map(work.map((s, i) => [s, found[i]]));
    const t2 = performance.now();
    const translations = sources.map((s) => this.output(bySource.get(s) ?? { ids: [], logProb: 0, ended: true }, s));
    timings.tokenizeMs += performance.now() - t2;
    return { translations, timings };
  }

  /** Frees every tensor of the model; the translator cannot be used afterwards. */
  dispose(): void {
    disposeInferenceModel(this.model);
  }

  private prepare(text: string, index: number, count: number): Source {
    const tokens = this.source.tokenizer.tokenize(text);
    const max = this.manifest.source.maxLength;
    if (tokens.length > max) {
      const reason = `the text has ${tokens.length} tokens, more than the ${max} this model translates; split it into shorter sentences`;
      throw new TranslateInputError(reason, index, count);
    }
    const { vocab } = this.source;
    return {
      ids: vocab.encode(tokens),
      unknownWords: [...new Set(tokens.filter((token) => !vocab.has(token)))],
      maxLength: maxOutputLength(tokens.length, this.manifest.target.maxLength),
    };
  }

  private output(hyp: Hypothesis, source: Source): Translation {
    const tokens = hyp.ids.map((id) => this.target.vocab.token(id));
    return { translation: this.target.tokenizer.detokenize(tokens), tokens, score: hyp.logProb, unknownWords: source.unknownWords };
  }
}

/** Builds a Translator from an artifact's files (every file of manifest.files, already read and verified). */
export async function loadTranslator(manifest: Manifest, files: Record<string, Uint8Array>): Promise<Translator> {
  if (JSON.stringify(manifest.specialTokens) !== JSON.stringify(SPECIAL_TOKENS)) {
    throw new ArtifactError(`manifest specialTokens must be ${JSON.stringify(SPECIAL_TOKENS)}: the first lines of every vocab file`);
  }
  const side = (s: Manifest['source'], size: number): Side => {
    const vocab = Vocab.parse(new TextDecoder().decode(file(files, s.vocab)));
    if (vocab.size !== size) throw new ArtifactError(`${s.vocab} has ${vocab.size} tokens, the model ${size}`);
    return { vocab, tokenizer: getTokenizer(s.tokenizer) };
  };
  const source = side(manifest.source, manifest.model.sourceVocabSize);
  const target = side(manifest.target, manifest.model.targetVocabSize);
  const [encoder, decoder] = await Promise.all([ENCODER_JSON, DECODER_JSON].map((path) => loadLayersModel(memoryHandler(path, files))));
  try {
    const model = createInferenceModel(seq2seqWeights(encoder, decoder, manifest.model.attention));
    if (model.sourceEmbedding.shape[0] !== source.vocab.size || model.targetVocabSize !== target.vocab.size) {
      disposeInferenceModel(model);
      throw new ArtifactError(`the model's vocabularies (${model.sourceEmbedding.shape[0]}, ${model.targetVocabSize}) differ from the manifest's`);
    }
    return new Translator(manifest, model, source, target);
  } finally {
    encoder.dispose(); // the inference model holds its own copies
    decoder.dispose();
  }
}

function file(files: Record<string, Uint8Array>, path: string): Uint8Array {
  const bytes = files[path];
  if (!bytes) throw new ArtifactError(`artifact file "${path}" is missing`);
  return bytes;
}

/** A tfjs IOHandler over in-memory files: `path` is a model.json, its weight paths are relative to its folder. */
function memoryHandler(path: string, files: Record<string, Uint8Array>): tf.io.IOHandler {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const shard = (name: string) => file(files, folder + name.replace(/^\.\//, '')).slice().buffer; // an own ArrayBuffer
  return {
    load: () => tf.io.getModelArtifactsForJSON(modelJson(path, files), async (groups) => [groups.flatMap((g) => g.weights), groups.flatMap((g) => g.paths.map(shard))]),
  };
}

function modelJson(path: string, files: Record<string, Uint8Array>): tf.io.ModelJSON {
  const text = new TextDecoder().decode(file(files, path));
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ArtifactError(`${path} is not valid JSON`);
  }
  return { ...json, modelTopology: zeroInitializers(json.modelTopology) as object };
}

/**
 * tfjs-layers builds every layer with its initializer (a QR decomposition for orthogonal recurrent kernels, random
 * numbers for millions of weights) and only then writes the loaded values over them. Zeros make that wasted work
 * almost free: the default model's decoder loads in 32 ms instead of 124 ms (warm, Node, wasm).
 */
function zeroInitializers(config: unknown): unknown {
  if (Array.isArray(config)) return config.map(zeroInitializers);
  if (config === null || typeof config !== 'object') return config;
  const entries = Object.entries(config).map(([key, value]) => [key, key.endsWith('_initializer') ? { class_name: 'Zeros', config: {} } : zeroInitializers(value)]);
  return Object.fromEntries(entries);
}
