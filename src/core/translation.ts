// What a call to the Translator takes and gives: its options (checked here, before any work), its outputs and
// its errors. The HTTP faces, the page and the Node tools build on these types; ./translator.ts does the work.
import type { Alignment } from './align.js';
import type { Annotation } from './annotation.js';
import type { Manifest } from './artifact.js';
import type { Register } from './register.js';
import { LENGTH_ALPHA } from './decode.js';

export const MAX_BEAM = 10;
/** The beam width of a request that gives none (wrangler.toml DEFAULT_BEAM may set another), and of the Node tools. */
export const DEFAULT_BEAM = 4;

export interface TranslateOptions {
  beam: number; // 1 = greedy, 2..MAX_BEAM = beam search; the texts are searched together either way
  nbest?: number; // also return this many best outputs (1..beam), best first; default none
  alignment?: boolean; // also return the attention matrix (models with attention); default false
  replaceUnknown?: boolean; // let the model emit <unk>, in a sentence with a source word outside its vocabulary, and
  // replace it by the most-attended source word (models with attention; ./align.ts); default false: never emitted
  keepUnknown?: boolean; // let the model emit <unk> where replaceUnknown would, and leave it as "<unk>" in the output:
  // the teacher's own tokens, to train a distilled model on (train/distill.ts); default false
  shortlist?: boolean; // score only the shortlist's candidates when the model has one (./shortlist.ts); default
  // true, false scores the whole target vocabulary every step
  lengthPenalty?: number; // the ranking's length exponent alpha (./decode.ts normalizedScore); default LENGTH_ALPHA
  rerank?: Rerank; // rank the beam's outputs again with the other direction's model; default none
  ensemble?: boolean; // with an artifact of several models (manifest `ensemble`), decode with all of them, each
  // step's log-probs the mean of theirs; default true, false decodes with the first model alone (faster)
  register?: Register; // Japanese output in this register (./register.ts), for a model trained with register tags
  // (Translator.supportsRegister); default: the model's own choice
}

/** The reverse model's weight the service reranks with (chosen on dev, README "Quality"). */
export const REVERSE_WEIGHT = 0.25;

/**
 * Reranking with the reverse model: each of the beam's outputs y of source x is ranked by
 * normalizedScore(y) + weight * reverseScore, reverseScore = log P(x | y) per token of x (and </s>) under `reverse`,
 * the model of the other direction: an output that says what the source said, not just a fluent one.
 */
export interface Rerank {
  reverse: ReverseModel;
  weight: number; // >= 0; 0 ranks as the beam does
}

/** What reranking asks of the other direction's model (a Translator: ./translator.ts). */
export interface ReverseModel {
  manifest: Manifest;
  targetTokens(text: string): string[]; // a text as its target tokens
  meanLogProbs(sources: string[], targets: string[][], shortlist?: boolean): number[]; // per pair, log P(target | source) per token
}

/** One output of the search, as text. */
export interface Alternative {
  translation: string;
  tokens: string[]; // target tokens, without </s>
  score: number; // total log-prob of the output tokens (</s> included when emitted)
  normalizedScore: number; // score / steps^alpha (options.lengthPenalty): what beam search ranks by
  reverseScore?: number; // with options.rerank: the reverse model's mean log-prob of the source given this output
}

export interface Translation {
  translation: string;
  tokens: string[]; // target tokens, without </s>
  score: number; // total log-prob of the output tokens (</s> included when emitted)
  unknownWords: string[]; // source tokens not in the source vocabulary (read as <unk>), in order, once each
  nbest?: Alternative[]; // when options.nbest: the best outputs, this one first
  alignment?: Alignment; // when options.alignment and the model has attention
  annotations?: Annotation[]; // set by the documents pipeline (./document/translate-documents.ts), never by the Translator
}

export interface TranslateTimings {
  tokenizeMs: number; // tokenizing, vocabulary look-ups and detokenizing
  encodeMs: number;
  decodeMs: number;
}

/** The timings of no work yet: what a caller of several translate() calls adds theirs to (addTimings). */
export const noTimings = (): TranslateTimings => ({ tokenizeMs: 0, encodeMs: 0, decodeMs: 0 });

/** Adds `more` to `total`, stage by stage. */
export function addTimings(total: TranslateTimings, more: TranslateTimings): void {
  for (const stage of Object.keys(total) as (keyof TranslateTimings)[]) total[stage] += more[stage];
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

/** Throws InvalidOptionsError naming the first option out of range for a call to the model of `manifest`. */
export function checkOptions(
  { beam, nbest = 1, lengthPenalty = LENGTH_ALPHA, rerank }: TranslateOptions,
  manifest: Manifest,
): void {
  if (!Number.isInteger(beam) || beam < 1 || beam > MAX_BEAM)
    throw new InvalidOptionsError(`beam must be an integer from 1 to ${MAX_BEAM}, got ${beam}`);
  if (!Number.isInteger(nbest) || nbest < 1 || nbest > beam)
    throw new InvalidOptionsError(`nbest must be an integer from 1 to the beam width ${beam}, got ${nbest}`);
  if (!(lengthPenalty >= 0 && lengthPenalty <= 2))
    throw new InvalidOptionsError(`lengthPenalty must be a number from 0 to 2, got ${lengthPenalty}`);
  if (!rerank) return;
  if (!(rerank.weight >= 0 && Number.isFinite(rerank.weight)))
    throw new InvalidOptionsError(`the reranking weight must be a number >= 0, got ${rerank.weight}`);
  const [mine, its] = [manifest, rerank.reverse.manifest];
  if (its.source.lang !== mine.target.lang || its.target.lang !== mine.source.lang) {
    throw new InvalidOptionsError(
      `reranking ${mine.direction} needs a ${mine.target.lang}-${mine.source.lang} model, got ${its.direction}`,
    );
  }
}
