// Corpus BLEU of a model folder on a parallel test set, decoding exactly as the Worker does:
//   npm run evaluate -- --model model-artifacts/en-ja --source ../shared/data/small_parallel_enja/dev.en \
//     --reference ../shared/data/small_parallel_enja/dev.ja [--beam 1] [--limit 100]   (every flag: --help)
// Both files are pre-tokenized corpus lines (tokens separated by spaces). Each source line is joined back into
// the text a user would type (the model's source detokenizer, as in training) and translated from that text;
// BLEU compares the model's output tokens with the reference line split on spaces.
//
// --documents: the same sentences as users paste them, several to a document: 1 to 3 lines (paragraphs, some with
// a blank line between) of 1 to 3 sentences each, in corpus order, drawn by --seed. Each document is translated
// whole and compared, document by document, with the same sentences translated one by one: BLEU of both (each
// document's tokens against its sentences' references), how many documents kept their lines, and how many came
// back with exactly their sentences (the segmenter found every boundary and no other).
//
// --spans: verbatim spans (a time, an amount, a URL, an e-mail address, a handle, a hashtag, a date), one at a time
// inserted before each sentence's final punctuation: how often each comes back character for character (an entity:
// as the target's conventions write it, "$5.99" -> "5.99ドル"), through the service and from the bare model, and the BLEU of the rest of the translation (the span removed) against the
// plain sentence's reference, next to the plain sentence's BLEU: what the span costs the words around it.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FORMALITIES, registerOf, type Formality } from '../src/core/register.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { LENGTH_ALPHA } from '../src/core/decode.js';
import type { DocumentTranslateOptions } from '../src/core/document/translate-documents.js';
import { type Translator } from '../src/core/translator.js';
import { DEFAULT_BEAM, MAX_BEAM, REVERSE_WEIGHT } from '../src/core/translation.js';
import { initNodeBackend } from './backend.js';
import { corpusBleu } from './bleu.js';
import { flagOptions, intFlag, numberFlag, onOffFlag, runCli, usage, UsageError, type ToolFlag } from './cli.js';
import { dictionaryDir, loadModelDir, translateLines } from './model-dir.js';

const FLAGS = {
  model: { value: 'DIR', help: 'model folder with manifest.json (required)' },
  source: { value: 'FILE', help: 'source sentences, tokenized, one a line (required)' },
  reference: { value: 'FILE', help: 'reference translations, tokenized, one a line (required)' },
  beam: { value: 'K', help: `beam width, 1 = greedy, up to ${MAX_BEAM}`, default: `${DEFAULT_BEAM}, as the API` },
  'replace-unknown': {
    value: 'on|off',
    help: "copy a source word the vocabulary lacks into the output; off: the bare model's BLEU",
    default: 'on, as the API',
  },
  shortlist: {
    value: 'on|off',
    help: "score only the model's lexical shortlist (if it has one); off: the whole vocabulary",
    default: 'on',
  },
  'length-penalty': {
    value: 'A',
    help: "the beam's ranking exponent alpha, 0 to 2: logProb / length^alpha",
    default: `the artifact's, else ${LENGTH_ALPHA}`,
  },
  reverse: {
    value: 'DIR',
    help: "the other direction's model folder, to rerank the beam's outputs with (needs --beam 2 or more)",
  },
  'reverse-weight': { value: 'W', help: 'its weight in the ranking, 0 to 10', default: REVERSE_WEIGHT },
  ensemble: {
    value: 'on|off',
    help: 'an artifact of several models (npm run ensemble): off decodes with its first model alone',
    default: 'on',
  },
  dictionary: {
    value: 'on|off',
    help: 'words the model cannot read through the shipped dictionary (model-artifacts/dictionary), as the API',
    default: 'on',
  },
  precision: {
    value: 'int8|float32',
    help: "the decoder's weights: int8 as served, float32 as trained",
    default: 'int8',
  },
  formality: {
    value: 'F',
    help: `Japanese output's register: ${FORMALITIES.join(', ')} (DeepL's); reports the share of outputs in each register`,
    default: 'default',
  },
  limit: { value: 'N', help: 'evaluate only the first N lines', default: 'all' },
  documents: { help: 'also translate the sentences as multi-sentence, multi-line documents and compare' },
  seed: { value: 'S', help: 'how --documents draws its documents', default: 1 },
  spans: { help: 'also measure verbatim spans (numbers, URLs, ...) inserted into each sentence' },
} satisfies Record<string, ToolFlag>;

const USAGE = usage('npm run evaluate -- --model DIR --source FILE --reference FILE [flags]', FLAGS);

/** How to decode: the search's settings (the service's defaults when absent) and the reverse model, if any. */
export type Decoding = Omit<DocumentTranslateOptions, 'beam'> & { reverse?: Translator };

/** BLEU (0-100) of the translator on `sources` against tokenized `references`; also called by training each epoch. */
export async function evaluateBleu(
  translator: Translator,
  sources: string[],
  references: string[][],
  beam: number,
  decoding: Decoding = {},
): Promise<{ bleu: number; seconds: number; translations: string[] }> {
  const started = performance.now();
  const { reverse, ...options } = decoding;
  const translated = await translateLines(translator, sources, { beam, ...options }, reverse);
  const seconds = (performance.now() - started) / 1000;
  return {
    bleu: corpusBleu(
      translated.map((t) => t.tokens),
      references,
    ).bleu,
    seconds,
    translations: translated.map((t) => t.translation),
  };
}

async function readLines(path: string, limit: number): Promise<string[]> {
  return (await readFile(path, 'utf8')).replace(/\n$/, '').split('\n').slice(0, limit);
}

async function main() {
  const { values } = parseArgs({ options: flagOptions(FLAGS) });
  const { model, source, reference } = values;
  if (!model || !source || !reference) throw new UsageError('--model, --source and --reference are required');
  const beam = intFlag('--beam', values.beam, DEFAULT_BEAM, 1, MAX_BEAM);
  const replaceUnknown = onOffFlag('--replace-unknown', values['replace-unknown'], 'on');
  const shortlist = onOffFlag('--shortlist', values.shortlist, 'on');
  const ensemble = onOffFlag('--ensemble', values.ensemble, 'on');
  const lengthPenalty =
    values['length-penalty'] === undefined
      ? undefined
      : numberFlag('--length-penalty', values['length-penalty'], LENGTH_ALPHA, 0, 2);
  if (values['reverse-weight'] !== undefined && !values.reverse)
    throw new UsageError('--reverse-weight needs --reverse DIR');
  if (values.reverse && beam === 1) throw new UsageError("--reverse reranks the beam's outputs: give --beam 2 or more");
  const reverseWeight = numberFlag('--reverse-weight', values['reverse-weight'], REVERSE_WEIGHT, 0, 10);
  const precision = values.precision ?? FLAGS.precision.default;
  if (precision !== 'int8' && precision !== 'float32')
    throw new UsageError(`--precision must be int8 or float32, got "${precision}"`);
  const limit = intFlag('--limit', values.limit, Infinity, 1);
  const sourceLines = await readLines(source, limit);
  const references = (await readLines(reference, limit)).map((line) => line.split(' ').filter(Boolean));
  if (sourceLines.length !== references.length)
    throw new UsageError(`${sourceLines.length} source lines but ${references.length} reference lines`);
  await initNodeBackend('wasm');
  const translator = await loadModelDir(model, precision);
  const reverse = values.reverse ? await loadModelDir(values.reverse, precision) : undefined;
  const formality = values.formality ?? 'default';
  if (!(FORMALITIES as readonly string[]).includes(formality))
    throw new UsageError(`--formality must be one of ${FORMALITIES.join(', ')}, got "${formality}"`);
  const dictionary = onOffFlag('--dictionary', values.dictionary, 'on') ? dictionaryDir() : undefined;
  const decoding: Decoding = {
    replaceUnknown,
    shortlist,
    formality: formality as Formality,
    ...(dictionary && { dictionary }),
    ...(lengthPenalty !== undefined && { lengthPenalty }),
    ...(reverse && { reverse, reverseWeight }),
    ...(!ensemble && { ensemble }),
  };
  const detokenize = getTokenizer(translator.manifest.source.tokenizer).detokenize;
  const sources = sourceLines.map((line) => detokenize(line.split(' ').filter(Boolean)));
  const { bleu, seconds, translations } = await evaluateBleu(translator, sources, references, beam, decoding);
  const settings = [
    beam === 1 ? 'greedy' : `beam ${beam}`,
    `length penalty ${lengthPenalty ?? (ensemble ? translator.manifest.ensembleLengthPenalty : undefined) ?? LENGTH_ALPHA}`,
    ...(replaceUnknown ? [] : ['no unknown-word replacement']),
    ...(shortlist ? [] : ['no shortlist']),
    ...(precision === 'int8' ? [] : [`${precision} decoder`]),
    ...(dictionary ? ['the dictionary'] : []),
    ...(reverse ? [`reranked by ${reverse.id} x ${reverseWeight}`] : []),
    ...(translator.manifest.ensemble
      ? [ensemble ? `an ensemble of ${1 + translator.manifest.ensemble.length}` : 'its first model alone']
      : []),
  ];
  console.log(
    `BLEU ${bleu.toFixed(2)} on ${sources.length} sentences (${settings.join(', ')}, ${translator.id}, ${seconds.toFixed(1)} s)`,
  );
  if (translator.manifest.target.lang === 'ja') {
    const polite = translations.filter((t) => registerOf(t) === 'polite').length;
    console.log(
      `register (formality ${formality}): polite ${polite}, plain ${translations.length - polite} of ${translations.length} outputs (${pct(polite / translations.length)} polite)`,
    );
  }
  if (values.documents) {
    const report = await evaluateDocuments(
      translator,
      sources,
      references,
      beam,
      intFlag('--seed', values.seed, FLAGS.seed.default, 0),
      decoding,
    );
    console.log(
      `documents: BLEU ${report.documentBleu.toFixed(2)} as documents vs ${report.sentenceBleu.toFixed(2)} sentence by sentence ` +
        `(${report.unsplitBleu.toFixed(2)} each document as one sentence, unsplit), ` +
        `on ${report.documents} documents of ${sources.length} sentences (${settings[0]}); lines kept ${report.linesKept}/${report.documents}, ` +
        `sentences found exactly ${report.sentencesExact}/${report.documents}`,
    );
  }
  if (values.spans) {
    for (const r of await evaluateSpans(translator, sources, references, beam, decoding)) {
      console.log(
        `spans: ${r.span.padEnd(26)} kept ${pct(r.keptByService)} (bare model ${pct(r.keptByModel)}), ` +
          `BLEU of the rest ${r.restBleu.toFixed(2)} (plain sentences ${bleu.toFixed(2)})`,
      );
    }
  }
  translator.dispose();
}

const pick = <T extends object, K extends keyof T>(from: T, keys: K[]): Pick<T, K> =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Pick<T, K>;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

const SPANS = [
  '3:30',
  '1,250.75',
  '$5.99',
  '2026-12-01',
  'https://example.com/a?b=1',
  'taro@example.co.jp',
  '@tanaka_k',
  '#tokyo2026',
];

interface SpanReport {
  span: string;
  keptByService: number; // share of sentences whose translation holds the span (or the entity it became) exactly once
  keptByModel: number; // the same, the bare model given the text with the span
  restBleu: number; // the service's translations with the span taken out, against the plain references
}

/**
 * Each span inserted before each sentence's final punctuation (see the opening comment), translated with the
 * `decoding` the plain sentences had, so the rest's BLEU is comparable with theirs.
 */
export async function evaluateSpans(
  translator: Translator,
  sources: string[],
  references: string[][],
  beam: number,
  decoding: Decoding = {},
): Promise<SpanReport[]> {
  const { reverse, ...options } = decoding;
  const once = (text: string, span: string) => text.split(span).length === 2;
  // What the service writes for the span: an entity in the target's conventions ("$5.99" -> "5.99ドル"), else itself.
  const written = (t: { annotations?: { source: string; target: string }[] }, span: string) =>
    t.annotations?.find((a) => a.source === span)?.target ?? span;
  const reports: SpanReport[] = [];
  for (const span of SPANS) {
    const texts = sources.map((text) => text.replace(/\s*([.!?。！？]*)$/u, (_, end: string) => ` ${span}${end}`));
    const service = await translateLines(translator, texts, { beam, ...options }, reverse);
    const bare = translator.translate(texts, {
      beam,
      ...pick(options, ['lengthPenalty', 'ensemble', 'shortlist']),
    }).translations;
    reports.push({
      span,
      keptByService: service.filter((t) => once(t.translation, written(t, span))).length / texts.length,
      keptByModel: bare.filter((t) => once(t.translation, span)).length / texts.length,
      restBleu: corpusBleu(
        service.map((t) => t.tokens.filter((token) => token !== written(t, span))),
        references,
      ).bleu,
    });
  }
  return reports;
}

interface DocumentsReport {
  documents: number;
  documentBleu: number; // each document translated whole
  sentenceBleu: number; // the same documents, their sentences translated one by one
  unsplitBleu: number; // each document given to the model whole, as the service did before it split sentences
  linesKept: number; // documents whose translation has exactly their line breaks
  sentencesExact: number; // documents split into exactly their sentences
}

/** Translates `sources` as documents (see the opening comment) and one by one, and compares them per document. */
export async function evaluateDocuments(
  translator: Translator,
  sources: string[],
  references: string[][],
  beam: number,
  seed: number,
  decoding: Decoding = {},
): Promise<DocumentsReport> {
  const { reverse, ...options } = decoding;
  const glue = translator.manifest.source.lang === 'ja' ? '' : ' ';
  const docs = drawDocuments(sources.length, seed);
  const texts = docs.map((lines) =>
    lines.map((line) => line.map((i) => sources[i]).join(glue)).join(lines.length > 2 ? '\n\n' : '\n'),
  );
  const whole = await translateLines(translator, texts, { beam, ...options }, reverse);
  const alone = await translateLines(translator, sources, { beam, ...options }, reverse);
  const unsplit = await translateLines(translator, texts, { beam, ...options, splitSentences: 'off' }, reverse);
  const refs = docs.map((lines) => lines.flat().flatMap((i) => references[i]!));
  const breaks = (text: string) => text.match(/\n/g)?.length ?? 0;
  return {
    documents: docs.length,
    documentBleu: corpusBleu(
      whole.map((t) => t.tokens),
      refs,
    ).bleu,
    sentenceBleu: corpusBleu(
      docs.map((lines) => lines.flat().flatMap((i) => alone[i]!.tokens)),
      refs,
    ).bleu,
    unsplitBleu: corpusBleu(
      unsplit.map((t) => t.tokens),
      refs,
    ).bleu,
    linesKept: whole.filter((t, d) => breaks(t.translation) === breaks(texts[d]!)).length,
    sentencesExact: whole.filter((t, d) => t.sentences.length === docs[d]!.flat().length).length,
  };
}

/** Consecutive sentence indices grouped into documents: 1-3 lines of 1-3 sentences, sizes drawn from `seed`. */
function drawDocuments(count: number, seed: number): number[][][] {
  let state = seed + 1;
  const next = (n: number) => ((state = (state * 48271) % 2147483647), 1 + (state % n)); // Park-Miller, 1..n
  const docs: number[][][] = [];
  for (let i = 0; i < count;) {
    const lines: number[][] = [];
    for (let l = next(3); l > 0 && i < count; l--) {
      const line: number[] = [];
      for (let k = next(3); k > 0 && i < count; k--) line.push(i++);
      lines.push(line);
    }
    docs.push(lines);
  }
  return docs;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) runCli(USAGE, main); // run, not imported by training
