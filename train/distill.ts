// Sequence-level knowledge distillation (Kim and Rush, 2016), the way Bergamot makes its fast student models: a
// strong, slow model (here the ensemble an artifact holds) translates the training side of a corpus, and one model
// is then trained on its outputs, to decode as well as its teacher at the cost of one model a step:
//   npm run distill -- --model model-artifacts/en-ja --data ../shared/data/small_parallel_enja --out /work/distilled/en-ja
//   npm run train -- --data /work/distilled/en-ja --init model-artifacts/en-ja ...                (README "Quality")
//
// The folder written is a corpus like the one read: train.<src> as it was, train.<tgt> the teacher's output for each
// line (its target tokens, space-separated: the corpus's form), dev.* copied unchanged (dev keeps the human
// references: every choice is still made on them), and distill.json (teacher, beam, time). Each training line is
// translated as one sentence, as training reads it, by the service's own decoding (the teacher's shortlist,
// ensemble and length penalty), at beam 4 unless --beam. Where the source has a word outside the teacher's
// vocabulary, the teacher may emit <unk> and it stays "<unk>" (keepUnknown): the student learns where a word is to be
// copied, so the service's unknown-word replacement works for it as for its teacher.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { MAX_BEAM } from '../src/core/translation.js';
import type { Translator } from '../src/core/translator.js';
import { servedSource } from './as-served.js';
import { initNodeBackend } from './backend.js';
import { intFlag, runCli, UsageError } from './cli.js';
import { loadParallelCorpus } from './corpus.js';
import { inBatchesByLength, loadModelDir } from './model-dir.js';

const USAGE = `usage: npm run distill -- --model DIR --data DIR --out DIR [--beam K] [--limit N]
  --model DIR   the teacher: an exported folder (an ensemble decodes with all its models)
  --data DIR    the corpus folder (train.<lang>, dev.<lang>) the teacher's direction reads
  --out DIR     the distilled corpus folder to write
  --beam K      the teacher's beam, 1 to ${MAX_BEAM} (default 4, the service's)
  --limit N     distill only the first N training lines`;

/** Lines between two progress lines on stderr (a multiple of the batch, 64). */
const PROGRESS_EVERY = 3200;

/** The teacher's target tokens for each text (one sentence each), in input order; undefined where it left one empty. */
export function teacherOutputs(
  teacher: Translator,
  texts: string[],
  beam: number,
  progress?: (done: number) => void,
): Promise<(string[] | undefined)[]> {
  const tokens = (batch: string[]) =>
    teacher
      .translate(batch, { beam, keepUnknown: true })
      .translations.map((t) => (t.tokens.length > 0 ? t.tokens : undefined));
  return inBatchesByLength(texts, tokens, progress);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      beam: { type: 'string' },
      limit: { type: 'string' },
    },
    strict: true,
  });
  if (!values.model || !values.data || !values.out) throw new UsageError('--model, --data and --out are required');
  const beam = intFlag('--beam', values.beam, 4, 1, MAX_BEAM);
  await initNodeBackend('wasm'); // the Worker's backend: the teacher decodes as served
  const teacher = await loadModelDir(values.model);
  const [src, tgt] = [teacher.manifest.source.lang, teacher.manifest.target.lang];
  const corpus = await loadParallelCorpus({ data: values.data, src, tgt, splits: ['train', 'dev'] });
  const train = corpus.splits.train!;
  const limit = intFlag('--limit', values.limit, train.lines, 1);
  const source = train.source.slice(0, limit);
  const { text } = servedSource(source, getTokenizer(teacher.manifest.source.tokenizer));

  const started = performance.now();
  const outputs = await teacherOutputs(teacher, text, beam, (done) => {
    if (done % PROGRESS_EVERY === 0 || done === text.length)
      console.error(`${done}/${text.length} lines, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
  const seconds = (performance.now() - started) / 1000;
  teacher.dispose();
  // The corpus has no empty lines: a line the teacher left empty keeps its reference.
  const kept = outputs.filter((tokens) => tokens === undefined).length;
  const lines = (sentences: string[][]) => sentences.map((tokens) => tokens.join(' ')).join('\n') + '\n';
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, `train.${src}`), lines(source));
  await writeFile(join(values.out, `train.${tgt}`), lines(outputs.map((tokens, i) => tokens ?? train.target[i])));
  for (const lang of [src, tgt]) await copyFile(corpus.files[`dev.${lang}`]!.path, join(values.out, `dev.${lang}`));
  const unknown = outputs.filter((tokens) => tokens?.includes('<unk>')).length;
  const record = {
    teacher: teacher.id,
    beam,
    lines: text.length,
    seconds: Math.round(seconds),
    keptReferences: kept,
    linesWithUnknown: unknown,
    command: `npm run distill -- ${process.argv.slice(2).join(' ')}`,
    data: Object.fromEntries(
      Object.entries(corpus.files).map(([name, f]) => [name, { sha256: f.sha256, lines: f.lines }]),
    ),
  };
  await writeFile(join(values.out, 'distill.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log(
    `${values.out}: ${text.length} lines distilled by ${teacher.id} at beam ${beam} in ${seconds.toFixed(0)} s (${kept} kept their reference, ${unknown} hold <unk>)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) runCli(USAGE, main);
