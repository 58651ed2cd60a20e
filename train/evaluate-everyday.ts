// The everyday sets (test/everyday/README.md) through the shipped models, translated as the API translates a text
// sent with no options (POST /translate: the deployment's DEFAULT_BEAM from wrangler.toml, unknown words replaced,
// no reranking, the artifact's shortlist and ensemble, the shipped dictionary: docs/dictionary.md), scored per
// direction and per block (./everyday-metrics.ts):
//   npm run evaluate:everyday [-- --set heldout] [--direction en-ja] [--models DIR] [--json] [--out FILE]
// `dev` is the set to develop on; `heldout` is read only to report (its outputs are not looked at while building).
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initNodeBackend } from './backend.js';
import { onOffFlag, runCli, UsageError } from './cli.js';
import { figures, parseEverydaySet, scoreItem, type EverydayItem, type Figures } from './everyday-metrics.js';
import { dictionaryDir, loadModelDir, translateLines } from './model-dir.js';

const USAGE = `usage: npm run evaluate:everyday -- [--set S] [--direction D] [--models DIR] [--ensemble on|off] [--json] [--out FILE]
  --set S        dev (default: the set to develop on) or heldout (to report only)
  --direction D  en-ja or ja-en (default: both)
  --models DIR   the folder with one model folder per direction (default model-artifacts)
  --ensemble on|off  an artifact of several models: off decodes with its first model alone (default on, as served)
  --json         print the report as JSON (figures and every output) instead of tables
  --out FILE     also write the JSON report to FILE`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIRECTIONS = ['en-ja', 'ja-en'];
const SETS = ['dev', 'heldout'];

interface DirectionReport {
  model: string; // the artifact's id (direction@version)
  seconds: number; // translating the whole set
  all: Figures;
  blocks: Record<string, Figures>;
  outputs: { id: string; output: string; entitiesMissing: string[]; pasted: string[]; spansBroken: string[] }[];
}

async function main() {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', default: 'dev' },
      direction: { type: 'string' },
      models: { type: 'string' },
      ensemble: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (!SETS.includes(values.set)) throw new UsageError(`--set must be one of ${SETS.join(', ')}, got "${values.set}"`);
  if (values.direction !== undefined && !DIRECTIONS.includes(values.direction))
    throw new UsageError(`--direction must be one of ${DIRECTIONS.join(', ')}, got "${values.direction}"`);
  const directions = values.direction ? [values.direction] : DIRECTIONS;
  const models = values.models ?? join(ROOT, 'model-artifacts');
  const ensemble = onOffFlag('--ensemble', values.ensemble, 'on');
  const decoding = { beam: await defaultBeam(), replaceUnknown: true, ...(!ensemble && { ensemble }) };
  await initNodeBackend('wasm'); // the Worker's backend, so the outputs are the Worker's
  const report = {
    command: ['npm run evaluate:everyday', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    ...gitState(),
    date: new Date().toISOString(),
    set: values.set,
    decoding,
    directions: {} as Record<string, DirectionReport>,
  };
  for (const direction of directions) {
    const items = parseEverydaySet(
      await readFile(join(ROOT, 'test/everyday', `${values.set}.${direction}.jsonl`), 'utf8'),
    );
    report.directions[direction] = await evaluateDirection(join(models, direction), items, decoding);
  }
  const json = `${JSON.stringify(report, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v), 2)}\n`;
  if (values.out) await writeFile(values.out, json);
  if (values.json) return void process.stdout.write(json);
  for (const [direction, r] of Object.entries(report.directions)) {
    console.log(
      `${values.set} ${direction}: ${r.model}, beam ${decoding.beam}, ${r.all.items} texts in ${r.seconds.toFixed(1)} s`,
    );
    console.log(table(r));
  }
}

/** DEFAULT_BEAM of wrangler.toml's [vars], as the Worker reads it (src/http/config.ts readConfig: 4 when unset). */
async function defaultBeam(): Promise<number> {
  const toml = await readFile(join(ROOT, 'wrangler.toml'), 'utf8');
  return Number(toml.match(/^\s*DEFAULT_BEAM\s*=\s*"(\d+)"/m)?.[1] ?? 4);
}

/** The commit the code and models come from, and whether src/, train/, model-artifacts/ or wrangler.toml differ from it. */
function gitState(): { commit: string | null; uncommitted: boolean | null } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      uncommitted: git('status', '--porcelain', '--', 'src', 'train', 'model-artifacts', 'wrangler.toml') !== '',
    };
  } catch {
    return { commit: null, uncommitted: null }; // not a git checkout
  }
}

async function evaluateDirection(
  dir: string,
  items: EverydayItem[],
  decoding: { beam: number; replaceUnknown: boolean; ensemble?: boolean },
): Promise<DirectionReport> {
  const translator = await loadModelDir(dir);
  const target = translator.manifest.target.lang;
  if (target !== 'en' && target !== 'ja')
    throw new Error(
      `${dir}: the everyday set has English and Japanese targets, this model translates into "${target}"`,
    );
  const started = performance.now();
  const outputs = (
    await translateLines(
      translator,
      items.map((item) => item.source),
      { ...decoding, dictionary: dictionaryDir() },
    )
  ).map((t) => t.translation);
  const seconds = (performance.now() - started) / 1000;
  translator.dispose();
  const scores = items.map((item, i) => scoreItem(item, outputs[i]!, target));
  const blocks: Record<string, Figures> = {};
  for (const block of new Set(items.map((item) => item.block))) {
    const chosen = items.flatMap((item, i) => (item.block === block ? [i] : []));
    blocks[block] = figures(
      chosen.map((i) => items[i]!),
      chosen.map((i) => scores[i]!),
    );
  }
  return {
    model: translator.id,
    seconds,
    all: figures(items, scores),
    blocks,
    outputs: items.map((item, i) => ({
      id: item.id,
      output: outputs[i]!,
      entitiesMissing: item.entities.filter((e) => !scores[i]!.entitiesFound.includes(e)),
      pasted: scores[i]!.pasted,
      spansBroken: item.spans.filter((s) => !scores[i]!.spansIntact.includes(s)),
    })),
  };
}

/** One row a block and one for all: chrF, entities found, outputs with a pasted word, spans whole and apart. */
function table(r: DirectionReport): string {
  const share = (value: number | null, part: number, whole: number) =>
    value === null ? '-' : `${value.toFixed(1)}% (${part}/${whole})`;
  const row = (name: string, f: Figures) =>
    [
      name.padEnd(13),
      String(f.items).padStart(5),
      f.chrf.toFixed(1).padStart(6),
      share(f.entities, f.entitiesFound, f.entitiesListed).padStart(16),
      share(f.pasted, f.pastedOutputs, f.items).padStart(16),
      share(f.spans, f.spansIntact, f.spansListed).padStart(16),
    ].join('  ');
  const header = [
    'block'.padEnd(13),
    'texts'.padStart(5),
    'chrF'.padStart(6),
    'entities'.padStart(16),
    'pasted'.padStart(16),
    'spans'.padStart(16),
  ].join('  ');
  return [header, ...Object.entries(r.blocks).map(([name, f]) => row(name, f)), row('all', r.all)].join('\n');
}

runCli(USAGE, main);
