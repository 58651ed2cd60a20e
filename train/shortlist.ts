// The lexical shortlist of an artifact (src/core/shortlist.ts), and the command that adds one to an exported folder:
//   npm run shortlist -- --model model-artifacts/en-ja --data ../shared/data/small_parallel_enja
//   npm run shortlist -- --help                                             (every setting)
//
// For each source token, its `perSource` target tokens of highest IBM Model 1 translation probability
// p(target | source), estimated by EM on the training pairs with a NULL source word (so that particles and
// punctuation, which go with every sentence, are not attached to every source word). Co-occurrence alone ranks
// frequent words first for every source token; Model 1 explains them by the other words of the sentence.
//
// The folder's manifest.json gets a `shortlist` entry and the file in its files table, and a new version: the
// weights' version plus ".sl" and 6 hex digits of the sha256 of the shortlist's file and settings (a re-run
// replaces its own suffix; the same data and settings give the same version). A new version, because the
// artifact now decodes differently: the Worker caches translators and translations by version, and R2 keeps each
// version's files apart, so one id must never name two behaviours. The weights' version stays visible in it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { validateManifest, type ShortlistConfig, type SideConfig } from '../src/core/artifact.js';
import { openArtifact, sha256Hex } from '../src/core/open-artifact.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { Subwords } from '../src/core/tokenize/subwords.js';
import { Vocab } from '../src/core/vocab.js';
import { folderReader } from './artifact-folder.js';
import { modelPieces, servedSource } from './as-served.js';
import { encodePairs, type Pair } from './batches.js';
import { intFlag, runCli, UsageError } from './cli.js';
import { loadParallelCorpus } from './corpus.js';

export const SHORTLIST_FILE = 'shortlist.bin';

export interface ShortlistOptions {
  perSource: number; // target candidates kept per source token (Marian's default 100, Bergamot's 50)
  frequent: number; // the most frequent target tokens, candidates of every sentence
  normalizing: number; // the most frequent target tokens every sentence's softmax includes (>= frequent)
  iterations: number; // EM iterations of Model 1; the ranking no longer changes after ~5
}

/**
 * Chosen on the shipped models' dev BLEU (500 sentences), greedy and beam 4 in both directions, against no
 * shortlist: 50 candidates a source token and the 100 most frequent, scored over themselves alone, gained 0.4-0.7
 * except on ja-en beam 4 (-0.4: a softmax over few tokens inflates the rows whose model looks elsewhere); scoring
 * the 500 most frequent as well gave +0.2 to +0.9 on all four (the 300 most frequent: -0.2 on ja-en beam 4).
 */
export const SHORTLIST_DEFAULTS: ShortlistOptions = { perSource: 50, frequent: 100, normalizing: 500, iterations: 5 };

/** Source id 0 (<pad>) never occurs in a sentence: it stands for Model 1's NULL word. */
const NULL = 0;
const FIRST_WORD = 4; // ids below are the special tokens, never a source token's candidate

/** The shortlist file (src/core/shortlist.ts's format) and its manifest entry, from training pairs of token ids. */
export function buildShortlist(
  pairs: Pair[],
  vocab: { source: number; target: number },
  options: ShortlistOptions,
): { bytes: Uint8Array; config: ShortlistConfig } {
  const { perSource, frequent, normalizing, iterations } = options;
  const table = modelOne(pairs, vocab, iterations);
  const rows = new Uint16Array(vocab.source * perSource); // 0 after a row's last candidate
  table.forEach((probs, source) => {
    const best = [...probs].filter(([target]) => target >= FIRST_WORD).sort(([a, pa], [b, pb]) => pb - pa || a - b);
    best.slice(0, perSource).forEach(([target], k) => (rows[source * perSource + k] = target));
  });
  const method = `IBM Model 1 p(target | source), ${iterations} EM iterations, NULL source word`;
  return {
    bytes: new Uint8Array(rows.buffer),
    config: { file: SHORTLIST_FILE, perSource, frequent, normalizing, method },
  };
}

/**
 * IBM Model 1 translation probabilities t(target | source) for the pairs (each source sentence with NULL), as one
 * Map a source id. Each pair of co-occurring ids gets a slot once, so that EM iterates over flat arrays.
 */
function modelOne(pairs: Pair[], vocab: { source: number; target: number }, iterations: number): Map<number, number>[] {
  const targetVocab = vocab.target;
  const slots = new Map<number, number>(); // source * targetVocab + target -> slot
  const sentences = pairs.map(({ source, target }) => {
    const sources = [NULL, ...source];
    return Int32Array.from(
      target.flatMap((t) =>
        sources.map((s) => slots.get(s * targetVocab + t) ?? slots.set(s * targetVocab + t, slots.size).size - 1),
      ),
    );
  });
  const sourceOf = new Int32Array(slots.size);
  for (const [key, slot] of slots) sourceOf[slot] = Math.floor(key / targetVocab);
  const t = new Float64Array(slots.size).fill(1); // uniform start
  for (let iteration = 0; iteration < iterations; iteration++) {
    const counts = new Float64Array(slots.size);
    pairs.forEach(({ source }, p) => {
      const ids = sentences[p];
      const width = source.length + 1;
      for (let j = 0; j < ids.length; j += width) {
        let total = 0;
        for (let i = j; i < j + width; i++) total += t[ids[i]];
        for (let i = j; i < j + width; i++) counts[ids[i]] += t[ids[i]] / total;
      }
    });
    const totals = new Map<number, number>();
    counts.forEach((count, slot) => totals.set(sourceOf[slot], (totals.get(sourceOf[slot]) ?? 0) + count));
    counts.forEach((count, slot) => (t[slot] = count / totals.get(sourceOf[slot])!));
  }
  const table = Array.from({ length: vocab.source }, () => new Map<number, number>());
  for (const [key, slot] of slots) table[Math.floor(key / targetVocab)].set(key % targetVocab, t[slot]);
  return table;
}

const USAGE = `usage: npm run shortlist -- --model DIR --data DIR [--per-source N] [--frequent N] [--normalizing N] [--iterations N]
  --model DIR        an artifact folder (manifest.json); gets shortlist.bin and a new version
  --data DIR         the folder of the training corpus (train.<src>, train.<tgt>), as npm run train reads it
  --per-source N     target candidates per source token (default ${SHORTLIST_DEFAULTS.perSource})
  --frequent N       most frequent target tokens every sentence may use (default ${SHORTLIST_DEFAULTS.frequent})
  --normalizing N    most frequent target tokens every softmax scores (default ${SHORTLIST_DEFAULTS.normalizing})
  --iterations N     EM iterations of IBM Model 1 (default ${SHORTLIST_DEFAULTS.iterations})`;

async function main(): Promise<void> {
  const flags = {
    model: { type: 'string' },
    data: { type: 'string' },
    'per-source': { type: 'string' },
    frequent: { type: 'string' },
    normalizing: { type: 'string' },
    iterations: { type: 'string' },
  } as const;
  const { values } = parseArgs({ options: flags, strict: true });
  if (!values.model || !values.data) throw new UsageError('--model and --data are required');
  const options: ShortlistOptions = {
    perSource: intFlag('--per-source', values['per-source'], SHORTLIST_DEFAULTS.perSource, 1, 1000),
    frequent: intFlag('--frequent', values.frequent, SHORTLIST_DEFAULTS.frequent, 0, 65535),
    normalizing: intFlag('--normalizing', values.normalizing, SHORTLIST_DEFAULTS.normalizing, 0, 65535),
    iterations: intFlag('--iterations', values.iterations, SHORTLIST_DEFAULTS.iterations, 1, 100),
  };
  const { manifest, files } = await openArtifact(folderReader(values.model));
  const vocabs = {
    source: Vocab.parse(new TextDecoder().decode(files[manifest.source.vocab])),
    target: Vocab.parse(new TextDecoder().decode(files[manifest.target.vocab])),
  };
  const corpus = await loadParallelCorpus({
    data: values.data,
    src: manifest.source.lang,
    tgt: manifest.target.lang,
    splits: ['train'],
  });
  // As train/train.ts reads them: source lines joined back into text and read by the serving tokenizer, target
  // lines as their corpus tokens, both as the model's pieces when it has subwords, pairs over maxLength dropped.
  const tokenizer = getTokenizer(manifest.source.tokenizer);
  const { source, target } = corpus.splits.train;
  const merges = (side: SideConfig) =>
    side.subwords ? Subwords.parse(new TextDecoder().decode(files[side.subwords])) : undefined;
  const [sourceMerges, targetMerges] = [merges(manifest.source), merges(manifest.target)];
  const pairs = encodePairs(
    modelPieces(servedSource(source, tokenizer).words, sourceMerges),
    modelPieces(target, targetMerges),
    vocabs,
    manifest.source.maxLength,
  ).pairs;
  const started = performance.now();
  const { bytes, config } = buildShortlist(pairs, { source: vocabs.source.size, target: vocabs.target.size }, options);
  const data = Object.fromEntries(
    Object.entries(corpus.files).map(([name, f]) => [name, { sha256: f.sha256, lines: f.lines }]),
  );
  const sha256 = await sha256Hex(bytes);
  const suffix = (await sha256Hex(new TextEncoder().encode(`${sha256} ${JSON.stringify(config)}`))).slice(0, 6);
  // The raw manifest, so that fields this schema does not know survive; validated before it is written.
  const raw = JSON.parse(await readFile(join(values.model, 'manifest.json'), 'utf8'));
  const { files: table, shortlist: _, ...rest } = raw;
  const updated = {
    ...rest,
    version: `${manifest.version.replace(/\.sl[0-9a-f]{6}$/, '')}.sl${suffix}`,
    shortlist: { ...config, data },
    files: Object.fromEntries(
      Object.entries({ ...table, [config.file]: { sha256, bytes: bytes.length } }).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  };
  validateManifest(updated);
  await writeFile(join(values.model, config.file), bytes);
  await writeFile(join(values.model, 'manifest.json'), `${JSON.stringify(updated, null, 2)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${values.model}: ${config.file} (${bytes.length} bytes, ${pairs.length} pairs, ${seconds} s), version ${manifest.version} -> ${updated.version}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) runCli(USAGE, main);
