// A loaded model and everything around it: text -> tokens -> ids -> search -> tokens -> text. Used as is by
// the Worker and by the Node tools (translate, evaluate), so both decode the same way.
// tfjs-core + tfjs-layers rather than the @tensorflow/tfjs union: a 1 MB smaller Worker bundle. tfjs-layers calls
// chained ops (x.add(y)), which only the union registers by itself: the Worker registers them in wasm-backend.ts
// (Node's ESM loader cannot import that deep path; Node tools load the union, which registers them).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DECODER_JSON, ENCODER_JSON, SPECIAL_TOKENS, type Manifest } from './artifact.js';
import { alignmentOf, replaceUnknown, type Alignment } from './align.js';
import { attentionRows, beamSearch, greedyDecode, maxOutputLength, normalizedScore, type Hypothesis } from './decode.js';
import { file, loadLayersFromFiles } from './model/load.js';
import { createInferenceModel, disposeInferenceModel, encode, type InferenceModel, type Memory } from './model/seq2seq.js';
import { ArtifactError } from './artifact.js';
import { seq2seqWeights } from './model/weights.js';
import { getTokenizer, type Tokenizer } from './tokenize/index.js';
import { Vocab } from './vocab.js';

export const MAX_BEAM = 10;

export interface TranslateOptions {
  beam: number; // 1 = greedy (a batch decodes together); 2..MAX_BEAM = beam search, sentence by sentence
  nbest?: number; // also return this many best outputs (1..beam), best first; default none
  alignment?: boolean; // also return the attention matrix (models with attention); default false
  replaceUnknown?: boolean; // let the model emit <unk> and replace it by the most-attended source word
  // (models with attention; src/align.ts); default false: <unk> is never emitted
}

/** One output of the search, as text. */
export interface Alternative {
  translation: string;
  tokens: string[]; // target tokens, without </s>
  score: number; // total log-prob of the output tokens (</s> included when emitted)
  normalizedScore: number; // score / steps^LENGTH_ALPHA: what beam search ranks by
}

export interface Translation {
  translation: string;
  tokens: string[]; // target tokens, without </s>
  score: number; // total log-prob of the output tokens (</s> included when emitted)
  unknownWords: string[]; // source tokens not in the source vocabulary (read as <unk>), in order, once each
  nbest?: Alternative[]; // when options.nbest: the best outputs, this one first
  alignment?: Alignment; // when options.alignment and the model has attention
}

export interface TranslateTimings {
  tokenizeMs: number; // tokenizing, vocabulary look-ups and detokenizing
  encodeMs: number;
  decodeMs: number;
}

/** Options out of range (beam, nbest); the message names the option. */
export class InvalidOptionsError extends Error {}

/** The caller's text cannot be translated (too long for the model); `reason` says why in a sentence. */
export class TranslateInputError extends Error {
  constructor(
    readonly reason: string,
    readonly index?: number, // which text of the batch; named in the message when the batch has several
    count = 1,
  ) {
    super(index !== undefined && count > 1 ? `texts[${index}]: ${reason}` : reason);
  }
}

/** A hypothesis with the attention rows of its tokens (empty unless an alignment or an <unk> needed them). */
interface Found {
  hyp: Hypothesis;
  rows: Float32Array[];
}

interface Side {
  vocab: Vocab;
  tokenizer: Tokenizer;
}

interface Source {
  tokens: string[];
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
    this.check(options);
    const started = performance.now();
    const sources = texts.map((text, index) => this.prepare(text, index, texts.length));
    const timings = { tokenizeMs: performance.now() - started, encodeMs: 0, decodeMs: 0 };
    const search = (batch: Source[]): Found[][] => {
      const t0 = performance.now();
      const memory = encode(this.model, batch.map((s) => s.ids));
      const t1 = performance.now();
      const found = this.search(memory, batch, options);
      tf.dispose(memory);
      timings.encodeMs += t1 - t0;
      timings.decodeMs += performance.now() - t1;
      return found;
    };
    const work = sources.filter((s) => s.ids.length > 0); // an empty text gets an empty translation, no model run
    const found = work.length === 0 ? [] : options.beam === 1 ? search(work) : work.flatMap((s) => search([s]));
    const bySource = new Map(work.map((s, i) => [s, found[i]]));
    const t2 = performance.now();
    const translations = sources.map((s) => this.output(bySource.get(s) ?? [{ hyp: { ids: [], logProb: 0, ended: true }, rows: [] }], s, options));
    timings.tokenizeMs += performance.now() - t2;
    return { translations, timings };
  }

  private check({ beam, nbest = 1 }: TranslateOptions): void {
    if (!Number.isInteger(beam) || beam < 1 || beam > MAX_BEAM) throw new InvalidOptionsError(`beam must be an integer from 1 to ${MAX_BEAM}, got ${beam}`);
    if (!Number.isInteger(nbest) || nbest < 1 || nbest > beam) throw new InvalidOptionsError(`nbest must be an integer from 1 to the beam width ${beam}, got ${nbest}`);
  }

  /** Per source of the batch, its best outputs (1, or nbest), each with its attention rows when they are needed. */
  private search(memory: Memory, batch: Source[], options: TranslateOptions): Found[][] {
    const { beam, nbest = 1 } = options;
    const special = this.manifest.specialTokens;
    const attention = this.manifest.model.attention;
    const allowUnknown = attention && options.replaceUnknown === true;
    const outputs: Hypothesis[][] = beam === 1
      ? greedyDecode(this.model, memory, batch.map((s) => s.maxLength), special, { allowUnknown }).map((hyp) => [hyp])
      : [beamSearch(this.model, memory, { beam, maxLength: batch[0].maxLength, special, allowUnknown }).slice(0, nbest)];
    const hyps = outputs.flat(); // greedy: one a sentence (memory rows); beam: the n-best of one sentence
    const needRows = attention && (options.alignment || (allowUnknown && hyps.some((hyp) => hyp.ids.includes(special.unk))));
    const rows = needRows ? attentionRows(this.model, memory, hyps.map((hyp) => hyp.ids), special) : [];
    let next = 0;
    return outputs.map((list) => list.map((hyp) => ({ hyp, rows: rows[next++] ?? [] })));
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
      tokens,
      ids: vocab.encode(tokens),
      unknownWords: [...new Set(tokens.filter((token) => !vocab.has(token)))],
      maxLength: maxOutputLength(tokens.length, this.manifest.target.maxLength),
    };
  }

  private output(found: Found[], source: Source, options: TranslateOptions): Translation {
    const [alternatives, best] = [found.map((f) => this.alternative(f, source, options)), found[0]];
    const { translation, tokens, score } = alternatives[0] ?? { translation: '', tokens: [], score: 0 };
    return {
      translation,
      tokens,
      score,
      unknownWords: source.unknownWords,
      ...(options.nbest !== undefined && { nbest: alternatives }),
      ...(options.alignment && this.manifest.model.attention && { alignment: alignmentOf(source.tokens, tokens, best?.rows ?? []) }),
    };
  }

  private alternative({ hyp, rows }: Found, source: Source, options: TranslateOptions): Alternative {
    const raw = hyp.ids.map((id) => this.target.vocab.token(id));
    const tokens = options.replaceUnknown ? replaceUnknown(hyp.ids, raw, rows, source.tokens, this.manifest.specialTokens.unk) : raw;
    return { translation: this.target.tokenizer.detokenize(tokens), tokens, score: hyp.logProb, normalizedScore: normalizedScore(hyp) };
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
  const layers: LayersModel[] = [];
  try {
    for (const path of [ENCODER_JSON, DECODER_JSON]) layers.push(await loadLayersFromFiles(path, files));
    const [encoder, decoder] = layers;
    const model = createInferenceModel(seq2seqWeights(encoder, decoder, manifest.model.attention));
    if (model.sourceEmbedding.shape[0] !== source.vocab.size || model.targetVocabSize !== target.vocab.size) {
      disposeInferenceModel(model);
      throw new ArtifactError(`the model's vocabularies (${model.sourceEmbedding.shape[0]}, ${model.targetVocabSize}) differ from the manifest's`);
    }
    return new Translator(manifest, model, source, target);
  } finally {
    layers.forEach((m) => m.dispose()); // the inference model holds its own references to the weights
  }
}
