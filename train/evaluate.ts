// Corpus BLEU of a model folder on a parallel test set, decoding exactly as the Worker does:
//   npm run evaluate -- --model model-artifacts/en-ja --source ../shared/data/small_parallel_enja/dev.en \
//     --reference ../shared/data/small_parallel_enja/dev.ja [--beam 5] [--limit 100]
// Both files are pre-tokenized corpus lines (tokens separated by spaces). Each source line is joined back into
// the text a user would type (the model's source detokenizer, as in training) and translated from that text;
// BLEU compares the model's output tokens with the reference line split on spaces.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { MAX_BEAM, type Translator } from '../src/core/translator.js';
import { initNodeBackend } from './backend.js';
import { corpusBleu } from './bleu.js';
import { UsageError } from './config.js';
import { intFlag, loadModelDir, runCli, translateLines } from './model-dir.js';

const USAGE = `usage: npm run evaluate -- --model DIR --source FILE --reference FILE [--beam K] [--limit N]
  --model DIR         model folder with manifest.json
  --source FILE       source sentences, one a line
  --reference FILE    reference translations, tokenized, one a line
  --beam K            1 = greedy (default), up to ${MAX_BEAM} = beam search
  --limit N           evaluate only the first N lines`;

/** BLEU (0-100) of the translator on `sources` against tokenized `references`; also called by training each epoch. */
export async function evaluateBleu(translator: Translator, sources: string[], references: string[][], beam: number): Promise<{ bleu: number; seconds: number }> {
  const started = performance.now();
  const hypotheses = translateLines(translator, sources, beam).map((t) => t.tokens);
  const seconds = (performance.now() - started) / 1000;
  return { bleu: corpusBleu(hypotheses, references).bleu, seconds };
}

async function readLines(path: string, limit: number): Promise<string[]> {
  return (await readFile(path, 'utf8')).replace(/\n$/, '').split('\n').slice(0, limit);
}

async function main() {
  const options = { model: { type: 'string' }, source: { type: 'string' }, reference: { type: 'string' }, beam: { type: 'string' }, limit: { type: 'string' } } as const;
  const { values } = parseArgs({ options });
  const { model, source, reference } = values;
  if (!model || !source || !reference) throw new UsageError('--model, --source and --reference are required');
  const beam = intFlag('--beam', values.beam, 1, 1, MAX_BEAM);
  const limit = intFlag('--limit', values.limit, Infinity, 1);
  const sourceLines = await readLines(source, limit);
  const references = (await readLines(reference, limit)).map((line) => line.split(' ').filter(Boolean));
  if (sourceLines.length !== references.length) throw new UsageError(`${sourceLines.length} source lines but ${references.length} reference lines`);
  await initNodeBackend('wasm');
  const translator = await loadModelDir(model);
  const detokenize = getTokenizer(translator.manifest.source.tokenizer).detokenize;
  const sources = sourceLines.map((line) => detokenize(line.split(' ').filter(Boolean)));
  const { bleu, seconds } = await evaluateBleu(translator, sources, references, beam);
  translator.dispose();
  console.log(`BLEU ${bleu.toFixed(2)} on ${sources.length} sentences (${beam === 1 ? 'greedy' : `beam ${beam}`}, ${translator.id}, ${seconds.toFixed(1)} s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) runCli(USAGE, main); // run, not imported by training
