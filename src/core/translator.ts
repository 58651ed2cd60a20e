// A loaded model and everything around it: text -> tokens -> ids -> search -> tokens -> text (the text ends of it in
// ./text-sides.ts). Used as is by the Worker and by the Node tools (translate, evaluate), so both decode the same way.
import type { Manifest } from './artifact.js';
import { alignmentOf, rowsByWord } from './align.js';
import { beamSearch, LENGTH_ALPHA, meanOf, normalizedScore, type Hypothesis } from './decode.js';
import { forcedAttention, scoreOutputs } from './forced.js';
import { buildModel } from './model/build.js';
import type { Precision } from './model/gemm.js';
import { disposeInferenceModel, type InferenceModel, type OutputLayer } from './model/seq2seq.js';
import { encode } from './model/encoder.js';
import { modelId } from './layout.js';
import { PLACEHOLDER } from './placeholders.js';
import { Shortlist } from './shortlist.js';
import {
  inRegisterFirst,
  REGISTER_BEAM,
  REGISTER_TAGS,
  REGISTER_WIDE_BEAM,
  registerOf,
  type Register,
} from './register.js';
import { outputWords, prepareSource, type Side, type Source } from './text-sides.js';
import {
  checkOptions,
  InvalidOptionsError,
  type Alternative,
  type Rerank,
  type TranslateOptions,
  type TranslateTimings,
  type Translation,
} from './translation.js';
import { RARE_RANK, type TokenSpan } from './dictionary/unknown-words.js';
import { tokenSpans } from './tokenize/spans.js';
import { asPieces } from './tokenize/subwords.js';

/**
 * Rows of one search at most (sentences x beam; more texts are searched in several): 64 sentences at beam 4. A
 * step's probabilities are then at most 256 x 4004 floats (4 MB), and a batch of 1000 sentences at beam 10 does
 * not make one 160 MB tensor.
 */
const MAX_ROWS = 256;

/** A hypothesis with the attention rows of its tokens (empty unless an alignment or an <unk> needed them). */
interface Found {
  hyp: Hypothesis; // with its attention rows when the search kept them
  reverseScore?: number; // when reranked
  words?: { tokens: string[]; rows: Float32Array[] }; // as Translator.words makes them, once
}

export class Translator {
  readonly id: string;
  private readonly aligning: boolean[]; // per member: its attention is averaged with the first model's

  constructor(
    readonly manifest: Manifest,
    private readonly model: InferenceModel,
    private readonly source: Side,
    private readonly target: Side,
    private readonly shortlist?: Shortlist,
    private readonly members: InferenceModel[] = [], // the artifact's ensemble members (manifest `ensemble`), decoded with the model
  ) {
    this.id = modelId(manifest.direction, manifest.version);
    // Members whose attention is read with the first model's (decode.ts Member.aligns): all trained to align.
    const guided = (training?: { config?: Record<string, unknown> }) => Number(training?.config?.guidedAlignment) > 0;
    this.aligning = members.map(
      (member, i) =>
        guided(manifest.training) && guided(manifest.ensemble?.[i]?.training) && member.attention !== undefined,
    );
  }

  /** `steps`: the decoder steps of the searches, each over every live row of its batch (the benchmark's unit). */
  translate(
    texts: string[],
    options: TranslateOptions,
  ): { translations: Translation[]; timings: TranslateTimings; steps: number } {
    checkOptions(options, this.manifest);
    if (options.register && !this.supportsRegister)
      throw new InvalidOptionsError(`${this.id} was not trained with register tags: it cannot be asked for a register`);
    if (options.register) options = { ...options, beam: Math.max(options.beam, REGISTER_BEAM) };
    const started = performance.now();
    const sources = texts.map((text, index) =>
      prepareSource(this.source, this.manifest, text, index, texts.length, options.register),
    );
    const timings = { tokenizeMs: performance.now() - started, encodeMs: 0, decodeMs: 0 };
    // An empty text gets an empty translation, no model run.
    const searched = this.searchAll(
      sources.filter((s) => s.ids.length > 0),
      options,
      timings,
    );
    const { bySource } = searched;
    let { steps } = searched;
    const ranking = performance.now();
    if (options.rerank) this.rerank(bySource, options, options.rerank);
    const { register } = options;
    const outOfRegister = register ? this.registerFirst(bySource, options, register) : [];
    timings.decodeMs += performance.now() - ranking;
    if (register && outOfRegister.length > 0)
      steps += this.searchWider(outOfRegister, bySource, options, register, timings);
    for (const [source, found] of bySource) bySource.set(source, found.slice(0, options.nbest ?? 1));
    const t2 = performance.now();
    const translations = sources.map((s) =>
      this.output(bySource.get(s) ?? [{ hyp: { ids: [], logProb: 0, ended: true } }], s, options),
    );
    timings.tokenizeMs += performance.now() - t2;
    return { translations, timings, steps };
  }

  /**
   * Ranks each source's outputs again (see Rerank), best first (translate() keeps options.nbest of them). The reverse model
   * reads each output as a user would type it and scores the source text as its target (targetTokens).
   */
  private rerank(bySource: Map<Source, Found[]>, options: TranslateOptions, { reverse, weight }: Rerank): void {
    const alpha = this.lengthPenalty(options);
    const entries = [...bySource];
    const candidates = entries.flatMap(([source, found]) =>
      found.map((f) => ({ source, f, text: this.target.tokenizer.detokenize(this.words(f, source, options).tokens) })),
    );
    const scores = reverse.meanLogProbs(
      candidates.map((c) => c.text),
      candidates.map((c) => reverse.targetTokens(c.source.text)),
      options.shortlist,
    );
    candidates.forEach((c, i) => (c.f.reverseScore = scores[i]));
    const ranked = (f: Found) => normalizedScore(f.hyp, alpha) + weight * f.reverseScore!;
    for (const [, found] of entries) found.sort((a, b) => ranked(b) - ranked(a));
  }

  /** Each source's outputs, searched by length in batches of at most MAX_ROWS rows, so a search pads little. */
  private searchAll(
    sources: Source[],
    options: TranslateOptions,
    timings: TranslateTimings,
  ): { bySource: Map<Source, Found[]>; steps: number } {
    const work = [...sources].sort((a, b) => a.ids.length - b.ids.length);
    const size = Math.max(1, Math.floor(MAX_ROWS / options.beam));
    const bySource = new Map<Source, Found[]>();
    let steps = 0;
    for (let start = 0; start < work.length; start += size) {
      const batch = work.slice(start, start + size);
      const search = this.search(batch, options, timings);
      search.found.forEach((found, i) => bySource.set(batch[i], found));
      steps += search.steps;
    }
    return { bySource, steps };
  }

  /**
   * Each source's outputs in the asked register first: the tag makes the model lean that way, not always enough. The
   * sources with none in it (for searchWider).
   */
  private registerFirst(bySource: Map<Source, Found[]>, options: TranslateOptions, register: Register): Source[] {
    const missing: Source[] = [];
    for (const [source, found] of bySource) {
      const ranked = inRegisterFirst(found, this.textOf(source, options), register);
      bySource.set(source, ranked);
      if (registerOf(this.textOf(source, options)(ranked[0]!)) !== register) missing.push(source);
    }
    return missing;
  }

  /**
   * `sources` searched again REGISTER_WIDE_BEAM wide, their outputs taken where they hold one in the register (in it
   * first). The steps of those searches.
   */
  private searchWider(
    sources: Source[],
    bySource: Map<Source, Found[]>,
    options: TranslateOptions,
    register: Register,
    timings: TranslateTimings,
  ): number {
    const wide = this.searchAll(sources, { ...options, beam: REGISTER_WIDE_BEAM }, timings);
    const ranking = performance.now();
    const inRegister = new Map(wide.bySource);
    this.registerFirst(inRegister, options, register).forEach((source) => inRegister.delete(source));
    for (const [source, found] of inRegister) bySource.set(source, found);
    timings.decodeMs += performance.now() - ranking;
    return wide.steps;
  }

  /** An output's text, its target words joined (what registerOf reads). */
  private textOf(source: Source, options: TranslateOptions): (found: Found) => string {
    return (f) => this.words(f, source, options).tokens.join('');
  }

  /** Raw text as this model's target tokens: what its tokenizer makes of it, or its vocabulary's longest tokens. */
  targetTokens(text: string): string[] {
    const { tokenizer, vocab } = this.target;
    return tokenizer.tokenizeRaw ? tokenizer.tokenizeRaw(text, (token) => vocab.has(token)) : tokenizer.tokenize(text);
  }

  /**
   * Mean log-prob per token (</s> included) of each `targets[i]` (tokens of this model's target side) given the
   * text `sources[i]`, decoded as a teacher would force it; -Infinity for an empty source. MAX_ROWS at a time; with
   * the shortlist (unless `shortlist` is false) the softmax is the one a search of the source has, plus the target's
   * own tokens.
   */
  meanLogProbs(sources: string[], targets: string[][], shortlist = true): number[] {
    const special = this.manifest.specialTokens;
    const ids = (side: Side, words: string[]) => side.vocab.encode(asPieces(words, side.subwords).pieces);
    const pairs = sources.map((text, i) => ({
      i,
      source: ids(this.source, this.source.tokenizer.tokenize(text)),
      target: ids(this.target, targets[i]),
    }));
    const scores = sources.map(() => -Infinity);
    const work = pairs.filter((p) => p.source.length > 0);
    for (let start = 0; start < work.length; start += MAX_ROWS) {
      const batch = work.slice(start, start + MAX_ROWS);
      const memory = encode(
        this.model,
        batch.map((p) => p.source),
      );
      const output =
        shortlist && this.shortlist
          ? this.shortlisted(
              this.shortlist,
              batch.map((p) => p.source),
              batch.map((p) => p.target),
            )
          : this.model.output;
      const logProbs = scoreOutputs(
        this.model,
        memory,
        output,
        batch.map((p, sentence) => ({ sentence, ids: p.target })),
        special,
      );
      batch.forEach((p, k) => (scores[p.i] = logProbs[k] / (p.target.length + 1)));
    }
    return scores;
  }

  /**
   * The attention (the first model's, or its aligning members' mean: decode.ts Member.aligns) when it is fed
   * `targets[i]` (target words) after the text `sources[i]`: per pair, one row over the source words per target
   * word. The model's own alignment of a given translation (train/align.ts).
   */
  forcedAlignment(sources: string[], targets: string[][]): Float32Array[][] {
    const special = this.manifest.specialTokens;
    const prepared = sources.map((text, i) => ({
      source: prepareSource(this.source, this.manifest, text, i, sources.length),
      target: asPieces(targets[i], this.target.subwords),
    }));
    const rows: Float32Array[][] = [];
    for (let start = 0; start < prepared.length; start += MAX_ROWS) {
      const batch = prepared.slice(start, start + MAX_ROWS);
      const ids = batch.map((p) => p.source.ids);
      const forced = batch.map((p, sentence) => ({ sentence, ids: this.target.vocab.encode(p.target.pieces) }));
      const attentions = [
        forcedAttention(this.model, encode(this.model, ids), this.model.output, forced, special),
        ...this.members.flatMap((m, i) =>
          this.aligning[i] ? [forcedAttention(m, encode(m, ids), m.output, forced, special)] : [],
        ),
      ];
      batch.forEach((p, k) => {
        const mean = attentions[0]![k]!.map((_, t) => meanOf(attentions.map((a) => a[k]![t]))!);
        rows.push(rowsByWord(mean, p.source.wordOf, p.target.wordOf));
      });
    }
    return rows;
  }

  /** Per source of the batch, its best outputs (1, or nbest), each with its attention rows when they are needed. */
  private search(
    batch: Source[],
    options: TranslateOptions,
    timings: TranslateTimings,
  ): { found: Found[][]; steps: number } {
    const { beam } = options;
    const nbest = options.rerank || options.register ? beam : (options.nbest ?? 1); // ranking again reads all the beam's outputs
    const alpha = this.lengthPenalty(options);
    const special = this.manifest.specialTokens;
    const attention = this.manifest.model.attention;
    // <unk> only where the source has something the model cannot read (a name, a number, a verbatim placeholder):
    // a sentence it reads whole has no word to copy, and an <unk> there would copy a word it did read ("私はiが").
    const allowUnknown = batch.map(
      (s) =>
        attention && (options.replaceUnknown === true || options.keepUnknown === true) && s.unknownWords.length > 0,
    );
    const started = performance.now();
    const memory = encode(
      this.model,
      batch.map((s) => s.ids),
    );
    const ensemble = this.ensembleFor(options).map((model, i) => ({
      model,
      memory: encode(
        model,
        batch.map((s) => s.ids),
      ),
      aligns: this.aligning[i],
    }));
    const encoded = performance.now();
    const output =
      options.shortlist !== false && this.shortlist
        ? this.shortlisted(
            this.shortlist,
            batch.map((s) => s.ids),
          )
        : this.model.output;
    try {
      const keepRows = allowUnknown.map(
        (allowed) => attention && (options.alignment === true || (allowed && options.replaceUnknown === true)),
      );
      const search = beamSearch(this.model, memory, output, {
        beam,
        maxLengths: batch.map((s) => s.maxLength),
        special,
        allowUnknown,
        alpha,
        ensemble,
        keepRows,
      });
      return { found: search.outputs.map((list) => list.slice(0, nbest).map((hyp) => ({ hyp }))), steps: search.steps };
    } finally {
      timings.encodeMs += encoded - started;
      timings.decodeMs += performance.now() - encoded;
    }
  }

  /** The output layer of a batch of sources with the shortlist: each sentence's own columns (./shortlist.ts). */
  private shortlisted(shortlist: Shortlist, sources: number[][], forced?: number[][]): OutputLayer {
    return { columns: shortlist.candidates(sources, forced) };
  }

  /** The beam's length exponent of a call: the request's, else the one chosen for the ensemble when it decodes, else the service's. */
  private lengthPenalty(options: TranslateOptions): number {
    return (
      options.lengthPenalty ??
      (this.ensembleFor(options).length > 0 ? this.manifest.ensembleLengthPenalty : undefined) ??
      LENGTH_ALPHA
    );
  }

  /** The ensemble members a call decodes with besides the model. */
  private ensembleFor(options: TranslateOptions): InferenceModel[] {
    return options.ensemble === false ? [] : this.members;
  }

  /** Bytes of the models' own WASM memory (./model/gemm.ts): their matrices and the largest batch's scratch so far. */
  get memoryBytes(): number {
    return [this.model, ...this.members].reduce((sum, model) => sum + model.gemm.bytes, 0);
  }

  /** True while it decodes without its artifact's ensemble members (loaded with `members: false`, see withMembers). */
  get partial(): boolean {
    return this.members.length < (this.manifest.ensemble?.length ?? 0);
  }

  /**
   * This translator with its artifact's ensemble members, built from their files (./load-translator.ts memberFiles, read and verified). The
   * model, vocabularies and shortlist are shared, not copied: dispose the translator returned, not both.
   */
  withMembers(files: Record<string, Uint8Array>, precision: Precision = 'int8'): Translator {
    const members: InferenceModel[] = [];
    try {
      for (const member of this.manifest.ensemble ?? [])
        members.push(buildModel(member.encoder, member.decoder, member.model, files, precision));
    } catch (err) {
      members.forEach(disposeInferenceModel);
      throw err;
    }
    return new Translator(this.manifest, this.model, this.source, this.target, this.shortlist, members);
  }

  /** Frees every tensor of the models; the translator cannot be used afterwards. */
  dispose(): void {
    [this.model, ...this.members].forEach(disposeInferenceModel);
  }

  /** True when the model reads `text` as one token of its source vocabulary (e.g. a number it has seen). */
  readsAsKnownToken(text: string): boolean {
    const tokens = this.source.tokenizer.tokenize(text);
    return tokens.length === 1 && this.source.vocab.has(tokens[0]!);
  }

  /**
   * The source tokens of `text` that overlap its characters [start, end) (a glossary term: ./document/verbatim-mask.ts),
   * when the model has a shortlist and knows each of them; else undefined.
   */
  knownTokensAt(text: string, start: number, end: number): string[] | undefined {
    if (!this.shortlist) return undefined;
    const tokens = this.source.tokenizer.tokenize(text);
    const spans = tokenSpans(text, tokens);
    if (spans.includes(undefined)) return undefined;
    const covering = tokens.filter((_, k) => spans[k]![0] < end && spans[k]![1] > start);
    return covering.length > 0 && covering.every((t) => this.source.vocab.has(t)) ? covering : undefined;
  }

  /**
   * The source tokens of `text` where they are (those found as written: ./tokenize/spans.ts) and whether the model
   * reads each (every piece of it in the vocabulary; a placeholder counts as read), and whether it is rare in the
   * corpus (RARE_RANK). For ./dictionary/unknown-words.ts.
   */
  tokenSpans(text: string): TokenSpan[] {
    const tokens = this.source.tokenizer.tokenize(text);
    return tokenSpans(text, tokens).flatMap((span, k) => {
      if (!span) return [];
      const known =
        PLACEHOLDER.test(tokens[k]!) ||
        asPieces([tokens[k]!], this.source.subwords).pieces.every((piece) => this.source.vocab.has(piece));
      const rare = known && this.source.vocab.id(tokens[k]!) >= RARE_RANK; // ids are frequency ranks
      return [{ start: span[0], end: span[1], known, ...(rare && { rare }) }];
    });
  }

  /**
   * The target tokens a source token is most likely translated into, best first: its shortlist row (IBM Model 1 on
   * the training data); none for a token outside the vocabulary or a model without a shortlist.
   */
  translationsOf(token: string): string[] {
    if (!this.shortlist || !this.source.vocab.has(token)) return [];
    return this.shortlist.translationsOf(this.source.vocab.id(token)).map((id) => this.target.vocab.token(id));
  }

  /** Whether the model was trained with register tags (train/augment.ts), so options.register can be asked. */
  get supportsRegister(): boolean {
    return this.source.vocab.has(REGISTER_TAGS.polite) && this.source.vocab.has(REGISTER_TAGS.plain);
  }

  private output(found: Found[], source: Source, options: TranslateOptions): Translation {
    const words = found.map((f) => this.words(f, source, options)); // the best one's rows give the alignment
    const alternatives = found.map((f, i) => this.alternative(f, words[i].tokens, options));
    const { translation, tokens, score } = alternatives[0] ?? { translation: '', tokens: [], score: 0 };
    return {
      translation,
      tokens,
      score,
      unknownWords: source.unknownWords,
      ...(options.nbest !== undefined && { nbest: alternatives }),
      ...(options.alignment &&
        this.manifest.model.attention && { alignment: alignmentOf(source.tokens, tokens, words[0]?.rows ?? []) }),
    };
  }

  private alternative({ hyp, reverseScore }: Found, tokens: string[], options: TranslateOptions): Alternative {
    const ranking = {
      score: hyp.logProb,
      normalizedScore: normalizedScore(hyp, this.lengthPenalty(options)),
      ...(reverseScore !== undefined && { reverseScore }),
    };
    return { translation: this.target.tokenizer.detokenize(tokens), tokens, ...ranking };
  }

  /** An output as target words and its attention rows over the source words (outputWords), made once. */
  private words(found: Found, source: Source, options: TranslateOptions): { tokens: string[]; rows: Float32Array[] } {
    const unk = options.replaceUnknown ? this.manifest.specialTokens.unk : undefined;
    found.words ??= outputWords(found.hyp, source, { source: this.source, target: this.target }, unk); // reranking reads them first
    return found.words;
  }
}
