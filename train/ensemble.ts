// Adds a further trained model to an exported folder, so the folder decodes with both (an ensemble):
//   npm run ensemble -- --model model-artifacts/en-ja --add /work/runs/en-ja-bt/model --data ../shared/data/small_parallel_enja
//
// Each decoder step then takes the mean of every model's log-probabilities (src/core/decode.ts), the classic NMT
// ensemble: two models trained apart make different mistakes. The added model must have the folder's direction and
// vocabularies (the same files, by sha256); it keeps its own recipe and record. Its two layers models are copied
// under members/<its version>/, listed in the files table and in the manifest's `ensemble` with its config,
// training record and metrics, and the folder gets a new version: its own plus ".en" and 6 hex digits of the
// members' versions (a re-run replaces its own suffix), since it now decodes differently (train/shortlist.ts says
// why that needs a new version). With --data, the beam's length exponent is chosen for the ensemble on dev (beam 4,
// over LENGTH_PENALTIES) into the manifest's `ensembleLengthPenalty`, and the ensemble's dev BLEU (greedy and beam 4) into
// its metrics.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DECODER_JSON,
  ENCODER_JSON,
  validateManifest,
  type EnsembleMember,
  type Manifest,
} from '../src/core/artifact.js';
import { modelId } from '../src/core/layout.js';
import { openArtifact, sha256Hex } from '../src/core/open-artifact.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { loadTranslator } from '../src/core/load-translator.js';
import { folderReader } from './artifact-folder.js';
import { servedSource } from './as-served.js';
import { initNodeBackend } from './backend.js';
import { runCli, UsageError } from './cli.js';
import { loadParallelCorpus } from './corpus.js';
import { evaluateBleu } from './evaluate.js';

const USAGE = `usage: npm run ensemble -- --model DIR --add DIR [--data DIR]
  --model DIR   an exported folder (manifest.json): it gets the other model, in place
  --add DIR     another exported folder of the same direction and vocabularies, trained on its own
  --data DIR    the corpus folder (dev.<lang>): choose the length penalty on dev, and measure the ensemble's dev BLEU`;

/** The length exponents tried on dev at beam 4 (README "Quality": 1.2 was best for the single models). */
const LENGTH_PENALTIES = [0.4, 0.6, 0.8, 1.0, 1.2, 1.4];

/** The vocabulary files (and merges) of an artifact, by sha256: what must be equal for two models to share ids. */
const vocabularies = (m: Manifest) =>
  [m.source, m.target]
    .flatMap((side) =>
      [side.vocab, ...(side.subwords ? [side.subwords] : [])].map((path) => `${path}:${m.files[path]?.sha256}`),
    )
    .join();

/** An artifact as read: its manifest and files (every file but manifest.json, by path). */
type Artifact = { manifest: Manifest; files: Record<string, Uint8Array> };

/** `base` with `added`'s model as a further member (replacing one of its version): the new manifest and files. */
export async function withMember(base: Artifact, added: Artifact): Promise<Artifact> {
  const addedId = modelId(added.manifest.direction, added.manifest.version);
  if (
    added.manifest.direction !== base.manifest.direction ||
    vocabularies(added.manifest) !== vocabularies(base.manifest)
  ) {
    throw new UsageError(
      `${addedId} must have the direction and vocabulary files of ${modelId(base.manifest.direction, base.manifest.version)}`,
    );
  }
  if (added.manifest.ensemble) throw new UsageError(`${addedId} is an ensemble itself: add its models one by one`);
  const prefix = `members/${added.manifest.version}/`;
  const copied = Object.keys(added.manifest.files).filter(
    (path) => path.startsWith('encoder/') || path.startsWith('decoder/'),
  );
  const { version, model, training, metrics } = added.manifest;
  const member: EnsembleMember = {
    version,
    encoder: prefix + ENCODER_JSON,
    decoder: prefix + DECODER_JSON,
    model,
    training,
    metrics,
  };
  const members = [...(base.manifest.ensemble ?? []).filter((m) => m.version !== version), member];
  const suffix = (await sha256Hex(new TextEncoder().encode(members.map((m) => m.version).join()))).slice(0, 6);
  const table = {
    ...base.manifest.files,
    ...Object.fromEntries(copied.map((path) => [prefix + path, added.manifest.files[path]!])),
  };
  const manifest = validateManifest({
    ...base.manifest,
    version: `${base.manifest.version.replace(/\.en[0-9a-f]{6}$/, '')}.en${suffix}`,
    ensemble: members,
    files: Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : 1))),
  });
  return {
    manifest,
    files: { ...base.files, ...Object.fromEntries(copied.map((path) => [prefix + path, added.files[path]!])) },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, add: { type: 'string' }, data: { type: 'string' } },
    strict: true,
  });
  if (!values.model || !values.add) throw new UsageError('--model and --add are required');
  const base = await openArtifact(folderReader(values.model));
  const { manifest, files } = await withMember(base, await openArtifact(folderReader(values.add)));
  for (const path of Object.keys(files).filter((p) => !(p in base.files))) {
    await mkdir(dirname(join(values.model, path)), { recursive: true });
    await writeFile(join(values.model, path), files[path]!);
  }
  // The raw manifest's fields this schema does not know survive.
  const raw = JSON.parse(await readFile(join(values.model, 'manifest.json'), 'utf8'));
  const tuned = values.data ? await tune({ manifest, files }, values.data) : {};
  await writeFile(
    join(values.model, 'manifest.json'),
    `${JSON.stringify({ ...raw, ...manifest, ...tuned }, null, 2)}\n`,
  );
  console.log(
    `${values.model}: ${manifest.ensemble!.length + 1} models, version ${base.manifest.version} -> ${manifest.version}`,
  );
}

/**
 * The length penalty of the best dev BLEU at beam 4, and the metrics with it (greedy and beam 4), as train/train.ts
 * measures a model's: on the artifact as it will ship.
 */
async function tune(
  { manifest, files }: Artifact,
  data: string,
): Promise<Pick<Manifest, 'ensembleLengthPenalty' | 'metrics'>> {
  await initNodeBackend('wasm');
  const corpus = await loadParallelCorpus({
    data,
    src: manifest.source.lang,
    tgt: manifest.target.lang,
    splits: ['dev'],
  });
  const { source, target } = corpus.splits.dev!;
  const { text } = servedSource(source, getTokenizer(manifest.source.tokenizer));
  const translator = await loadTranslator(manifest, files);
  try {
    const beam4: number[] = [];
    for (const lengthPenalty of LENGTH_PENALTIES) {
      beam4.push((await evaluateBleu(translator, text, target, 4, { lengthPenalty })).bleu);
      console.log(`dev BLEU at beam 4, length penalty ${lengthPenalty}: ${beam4.at(-1)!.toFixed(2)}`);
    }
    const best = beam4.indexOf(Math.max(...beam4));
    const greedy = (await evaluateBleu(translator, text, target, 1)).bleu;
    console.log(
      `ensemble dev BLEU: greedy ${greedy.toFixed(2)}, beam 4 ${beam4[best].toFixed(2)} at length penalty ${LENGTH_PENALTIES[best]}`,
    );
    return {
      ensembleLengthPenalty: LENGTH_PENALTIES[best],
      metrics: { ...manifest.metrics, ensembleDevBleuGreedy: greedy, ensembleDevBleuBeam4: beam4[best] },
    };
  } finally {
    translator.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) runCli(USAGE, main);
