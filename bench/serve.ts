// Serving benchmark, in workerd under `wrangler dev`, on the default model (model-artifacts/en-ja; ja-en is loaded too):
//
//   npm run bench:serve [-- --sentences 500] [--models DIR] [--ensemble off] [--glossary-only]   (DIR: a folder of
//   <direction>/ artifact folders; --ensemble off: every request asks an ensemble model for its first model alone;
//   --glossary-only: only the glossary figure, ./glossary.ts)
//
// Over the dev sentences (../shared/data/small_parallel_enja/dev.en): the cold first request (R2 read + WASM init
// + model load, then the translation; the median of 5 fresh workerd processes), warm greedy and beam-4 latency per
// sentence, the naive Keras-style decode (decoder.predict per step, of every model the requests decode with,
// bench/worker.ts) on the same backend, batch
// throughput with `texts` batches of 64 (greedy and beam 4), 20 sentences in one request at the default beam, the
// tfjs kernels a decoder step runs (tf.profile), the lexical shortlist on and off (bench/worker.ts's
// /bench/translate, the only way to switch it off) with the output layer's width, workerd memory and the deploy
// bundle size. Latencies are the Worker's own Server-Timing stages and client wall time. The last line is the
// summary: its first fields are the ones it has always had, the ones after "batch" were added with issue 18, the
// memory at its end (tfjs's WASM heap, which loads the weights, and the models' own, src/core/model/gemm.ts) later, and
// the glossary figure (what a stored 1,000-entry glossary adds a sentence: ./glossary.ts) with issue 31.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { validateManifest } from '../src/core/artifact.js';
import { Shortlist } from '../src/core/shortlist.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { Vocab } from '../src/core/vocab.js';
import { artifactRoot } from '../test/e2e/artifact-dir.js';
import { OFFLINE_ENV, startDevServer, type DevServer } from '../test/e2e/dev-server.js';
import { glossaryFigure, glossaryReport } from './glossary.js';

const DEV_SET = '../shared/data/small_parallel_enja/dev.en';
const BATCH = 64;
const COLD_STARTS = 5; // one cold sample per workerd process: the median of a few
const GROUP = 20; // sentences in one request, as a document of a few paragraphs sends them
const SHORTLIST_SENTENCES = 100; // sentences timed with the shortlist on and off

/** What /health says of memory. */
type Memory = { wasmHeapBytes: number; modelMemoryBytes: number; tensors: number; dictionary?: { bytes?: number } };

interface Sample {
  wallMs: number;
  serverMs: number; // tokenize + encode + decode (or naive), from Server-Timing
  metrics: Record<string, number>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sentences: { type: 'string', default: '500' },
      models: { type: 'string' },
      ensemble: { type: 'string' },
      'glossary-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.ensemble !== undefined && values.ensemble !== 'off')
    throw new Error(`--ensemble takes off, got "${values.ensemble}"`);
  if (values.ensemble === 'off') Object.assign(REQUEST, { ensemble: false });
  const sentences = (await readFile(DEV_SET, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, Number(values.sentences));
  const scratch = await mkdtemp(join(tmpdir(), 'bench-serve-'));
  const state = join(scratch, 'state');
  // Both directions, so the memory numbers hold both models.
  const { root, label } = values.models ? { root: values.models, label: values.models } : await defaultModels(scratch);
  run('npx', ['tsx', 'train/upload.ts', '--local', '--persist-to', state, '--model', root]);
  run('npx', [
    'wrangler',
    'd1',
    'migrations',
    'apply',
    'DB',
    '--local',
    '--persist-to',
    state,
    '-c',
    'bench/wrangler.toml',
  ]);
  const widths = await shortlistWidths(join(root, 'en-ja'), sentences);

  const start = () =>
    startDevServer({
      command: [
        'npx',
        'wrangler',
        'dev',
        '-c',
        'bench/wrangler.toml',
        '--ip',
        '127.0.0.1',
        '--port',
        '{port}',
        '--persist-to',
        state,
        '--log-level',
        'warn',
      ],
      readyPath: '/ready', // a 404 that does not touch the model, so the first /translate below is cold
    });
  let server = await start();
  if (values['glossary-only']) {
    try {
      for (const text of sentences.slice(0, 20)) await translate(server, { text }); // warm up
      for (const line of glossaryReport(await glossaryFigure(server, sentences), percentile).lines) console.log(line);
    } finally {
      await server.stop();
      await rm(scratch, { recursive: true, force: true });
    }
    return;
  }
  try {
    const colds = [await coldStart(server, sentences[0])];
    while (colds.length < COLD_STARTS) {
      await server.stop();
      server = await start();
      colds.push(await coldStart(server, sentences[0]));
    }
    await bench(server, sentences, label, colds, widths);
  } finally {
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The shipped models, or small random ones (said loudly) when model-artifacts/en-ja is missing. */
async function defaultModels(scratch: string): Promise<{ root: string; label: string }> {
  const { root, models } = await artifactRoot(scratch);
  if (models['en-ja'].shipped) return { root, label: 'shipped' };
  console.log(`!! ${join('model-artifacts', 'en-ja')} is missing: benchmarking a small RANDOM model instead`);
  return { root, label: 'random' };
}

/** The first request of a fresh workerd process: R2 read + WASM init + model load, then the translation. */
async function coldStart(server: DevServer, text = 'hello .'): Promise<Sample> {
  const cold = await translate(server, { text, beam: 1 });
  const stage = (name: string) => ms(cold.metrics[`load-${name}`] ?? NaN);
  console.log(
    `cold first request: ${ms(cold.wallMs)} wall; load ${ms(cold.metrics.load ?? NaN)} (R2 read ${stage('read')}, sha256 ${stage('verify')}, ` +
      `WASM init + model build ${stage('build')}), then translate ${ms(cold.serverMs)}`,
  );
  return cold;
}

async function bench(
  server: DevServer,
  sentences: string[],
  label: string,
  colds: Sample[],
  widths: string,
): Promise<void> {
  const first = sentences[0] ?? 'hello .';
  const cold = (metric: (s: Sample) => number) => ms(percentile(colds.map(metric), 50));
  console.log(
    `cold, median of ${colds.length} fresh workerd processes: ${cold((s) => s.wallMs)} wall; load ${cold((s) => s.metrics.load ?? NaN)}, then translate ${cold((s) => s.serverMs)}`,
  );
  const health = await getJson<{ models: Record<string, string> }>(server, '/health'); // loads ja-en too
  const models = await getJson<{
    models: Array<{ direction: string; hyperParameters: Record<string, unknown>; metrics: unknown }>;
  }>(server, '/models');
  const info = models.models.find((m) => m.direction === 'en-ja');
  console.log(
    `model ${health.models['en-ja']} (${label}): ${info?.hyperParameters?.parameters} parameters, ${info?.hyperParameters?.quantization}, H=${info?.hyperParameters?.hiddenDim}, attention=${info?.hyperParameters?.attention}, metrics ${JSON.stringify(info?.metrics)}`,
  );

  for (const text of sentences.slice(0, 20)) await translate(server, { text, beam: 4 }); // warm up both paths
  const greedy = await each(sentences, (text) => translate(server, { text, beam: 1 }));
  report('greedy (beam 1)', greedy);
  const beam4 = await each(sentences, (text) => translate(server, { text, beam: 4 }));
  report('beam 4', beam4);
  const reranked = await each(sentences, (text) => translate(server, { text, beam: 4, rerank: true }));
  report('beam 4, reranked by ja-en', reranked);
  const served = await getJson<Memory>(server, '/health');
  const dictionary = served.dictionary?.bytes === undefined ? '' : ` + dictionary ${mib(served.dictionary.bytes)}`; // /health loads it
  console.log(
    `memory after serving (en-ja and ja-en loaded): wasm heap ${mib(served.wasmHeapBytes)} + models ${mib(served.modelMemoryBytes)}${dictionary}, tensors ${served.tensors}; workerd RSS ${workerdRss(server.pid)}`,
  );
  await naive(server, first);
  const naiveRuns = await each(sentences, (text) => naive(server, text));
  report('naive predict-per-step greedy', naiveRuns);

  const started = performance.now();
  let batchServer = 0;
  for (let i = 0; i < sentences.length; i += BATCH)
    batchServer += (await translate(server, { texts: sentences.slice(i, i + BATCH), beam: 1 })).serverMs;
  const batchSeconds = (performance.now() - started) / 1000;
  const throughput = sentences.length / batchSeconds;
  console.log(
    `batch of ${BATCH} (greedy): ${throughput.toFixed(0)} sentences/s wall, ${(sentences.length / (batchServer / 1000)).toFixed(0)} sentences/s by Server-Timing`,
  );

  const beamStarted = performance.now();
  for (let i = 0; i < sentences.length; i += BATCH)
    await translate(server, { texts: sentences.slice(i, i + BATCH), beam: 4 });
  const beamThroughput = sentences.length / ((performance.now() - beamStarted) / 1000);
  console.log(`batch of ${BATCH} (beam 4): ${beamThroughput.toFixed(0)} sentences/s wall`);
  const groups = Array.from({ length: Math.floor(sentences.length / GROUP) }, (_, i) =>
    sentences.slice(i * GROUP, (i + 1) * GROUP),
  );
  const grouped = await each(groups, (texts) => translate(server, { texts })); // the default beam
  report(`${GROUP} sentences in one request (default beam)`, grouped);

  const kernels = await Promise.all([1, 4].map(async (beam) => profile(server, first, beam)));
  kernels.forEach(({ kernels: n, steps }, i) =>
    console.log(
      `kernels (tf.profile), beam ${[1, 4][i]}: ${n} for "${first}" in ${steps} decoder steps, encoder included`,
    ),
  );
  const perStep = kernels.map(({ kernels: n, steps }) => (n / steps).toFixed(1));

  const listed = {
    on: { single: [] as Sample[], beam: [] as Sample[], group: [] as Sample[] },
    off: { single: [] as Sample[], beam: [] as Sample[], group: [] as Sample[] },
  };
  for (const [i, text] of sentences.slice(0, SHORTLIST_SENTENCES).entries()) {
    for (const shortlist of i % 2 ? [true, false] : [false, true]) {
      // alternating, so that load drifts hit both
      const side = listed[shortlist ? 'on' : 'off'];
      side.single.push(await benchTranslate(server, [text], 1, shortlist));
      side.beam.push(await benchTranslate(server, [text], 4, shortlist));
      if (i < groups.length) side.group.push(await benchTranslate(server, groups[i], 4, shortlist));
    }
  }
  for (const side of ['on', 'off'] as const) {
    report(`shortlist ${side}, greedy`, listed[side].single);
    report(`shortlist ${side}, beam 4`, listed[side].beam);
    report(`shortlist ${side}, ${GROUP} sentences at beam 4`, listed[side].group);
  }
  console.log(`shortlist output layer: ${widths}`);

  const glossary = glossaryReport(await glossaryFigure(server, sentences), percentile);
  for (const line of glossary.lines) console.log(line);

  const after = await getJson<Memory>(server, '/health');
  console.log(
    `memory after the naive baseline too (its own LayersModels): wasm heap ${mib(after.wasmHeapBytes)} + models ${mib(after.modelMemoryBytes)}, tensors ${after.tensors}; workerd RSS ${workerdRss(server.pid)}`,
  );
  console.log(`deploy bundle: ${await bundleSize()}`);

  const p50 = (samples: Sample[]) =>
    percentile(
      samples.map((s) => s.serverMs),
      50,
    );
  const ratio = p50(naiveRuns) / p50(greedy);
  const onOff = (pick: (side: (typeof listed)['on']) => Sample[]) =>
    `${ms(p50(pick(listed.on)))}/${ms(p50(pick(listed.off)))}`;
  console.log(
    `serve: greedy p50 ${ms(p50(greedy))} (naive ${ms(p50(naiveRuns))}, ratio ${ratio.toFixed(1)}), beam4 p50 ${ms(p50(beam4))}, cold ${cold((s) => s.wallMs)}, batch ${throughput.toFixed(0)} sent/s` +
      `, kernels/step greedy ${perStep[0]} beam4 ${perStep[1]}, beam4 batch ${beamThroughput.toFixed(0)} sent/s, ${GROUP} sentences p50 ${ms(p50(grouped))}` +
      `, shortlist on/off: greedy ${onOff((side) => side.single)} beam4 ${onOff((side) => side.beam)} ${GROUP} sentences ${onOff((side) => side.group)}` +
      `, beam4 reranked p50 ${ms(p50(reranked))}, memory ${mib(served.wasmHeapBytes)} tfjs + ${mib(served.modelMemoryBytes)} models${dictionary}` +
      `, glossary (1,000 entries) +${glossary.extraMs.toFixed(2)} ms a sentence`,
  );
}

// The bench trusts its own Worker's JSON shapes (the tests check them).
const getJson = async <T>(server: DevServer, path: string): Promise<T> =>
  (await fetch(server.url + path)).json() as Promise<T>;

/** Fields every translation request of this run carries (--ensemble off). */
const REQUEST: { ensemble?: false } = {};

async function translate(server: DevServer, body: object): Promise<Sample> {
  return timed(server, '/translate', { ...body, ...REQUEST }, ['tokenize', 'encode', 'decode']);
}

async function benchTranslate(server: DevServer, texts: string[], beam: number, shortlist: boolean): Promise<Sample> {
  return timed(server, '/bench/translate', { texts, beam, shortlist, ...REQUEST }, ['tokenize', 'encode', 'decode']);
}

async function profile(server: DevServer, text: string, beam: number): Promise<{ kernels: number; steps: number }> {
  const res = await fetch(server.url + '/bench/profile', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, beam }),
  });
  return res.json() as Promise<{ kernels: number; steps: number }>;
}

/**
 * The output layer's width (columns = target tokens scored a step) with the artifact's shortlist: p50 over the dev
 * sentences (each sentence scores its own, alone or in a batch) and of the union of their batches of 64 (what a
 * batch's rows scored before they had their own), and the weight bytes that is a step (H x width float32).
 */
async function shortlistWidths(dir: string, sentences: string[]): Promise<string> {
  const manifest = validateManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  if (!manifest.shortlist) return 'no shortlist in the artifact';
  const read = async (path: string) => new Uint8Array(await readFile(join(dir, path)));
  const vocab = Vocab.parse(new TextDecoder().decode(await read(manifest.source.vocab)));
  const sizes = { source: manifest.model.sourceVocabSize, target: manifest.model.targetVocabSize };
  const shortlist = Shortlist.parse(
    await read(manifest.shortlist.file),
    manifest.shortlist,
    sizes,
    manifest.specialTokens,
  );
  const tokenizer = getTokenizer(manifest.source.tokenizer);
  const ids = sentences.map((text) => vocab.encode(tokenizer.tokenize(text)));
  const width = (batches: number[][][]) =>
    percentile(
      batches.map((batch) => new Set(shortlist.candidates(batch).flatMap((c) => Array.from(c.ids))).size),
      50,
    );
  const [alone, union] = [
    width(ids.map((s) => [s])),
    width(Array.from({ length: Math.ceil(ids.length / BATCH) }, (_, i) => ids.slice(i * BATCH, (i + 1) * BATCH))),
  ];
  const mb = (columns: number) => `${((columns * manifest.model.hiddenDim * 4) / 1e6).toFixed(2)} MB`;
  return `${alone} columns a sentence (${mb(alone)} of weights a step), the union of ${BATCH} would be ${union} (${mb(union)}); all ${sizes.target}: ${mb(sizes.target)}`;
}

async function naive(server: DevServer, text: string): Promise<Sample> {
  return timed(server, '/bench/naive', { text, ...REQUEST }, ['naive']);
}

async function timed(server: DevServer, path: string, body: object, stages: string[]): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const wallMs = performance.now() - started;
  if (res.status !== 200) throw new Error(`${path} ${JSON.stringify(body).slice(0, 80)}: ${res.status} ${text}`);
  const metrics = serverTiming(res.headers.get('Server-Timing') ?? '');
  return { wallMs, metrics, serverMs: stages.reduce((sum, s) => sum + (metrics[s] ?? 0), 0) };
}

function serverTiming(header: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    if (name && dur) metrics[name] = Number(dur.slice(4));
  }
  return metrics;
}

async function each<I, T>(items: I[], f: (item: I) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const item of items) out.push(await f(item)); // one at a time: latency, not concurrency
  return out;
}

function report(what: string, samples: Sample[]): void {
  const server = samples.map((s) => s.serverMs);
  const wall = samples.map((s) => s.wallMs);
  const stage = (name: string) =>
    percentile(
      samples.map((s) => s.metrics[name] ?? 0),
      50,
    );
  console.log(
    `${what}: server p50 ${ms(percentile(server, 50))} p95 ${ms(percentile(server, 95))}; wall p50 ${ms(percentile(wall, 50))} p95 ${ms(percentile(wall, 95))}` +
      (samples[0]?.metrics.decode !== undefined
        ? ` (p50 tokenize ${ms(stage('tokenize'))}, encode ${ms(stage('encode'))}, decode ${ms(stage('decode'))})`
        : ''),
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** Resident memory of the workerd processes under the dev server (the isolate's runtime, not the isolate alone). */
function workerdRss(groupLeader: number): string {
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(groupLeader)], { encoding: 'utf8' }).stdout;
  const rows = ps.split('\n').filter((l) => l.includes('workerd serve'));
  const rss = rows.map((row) => {
    const pid = row.trim().split(/\s+/)[0];
    const status = existsSync(`/proc/${pid}/status`)
      ? spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout
      : '';
    return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0) * 1024;
  });
  return rss.length ? rss.map(mib).join(' + ') : 'unknown';
}

/** gzip -9 of what `wrangler deploy` would upload (script + WASM), and wrangler's own count. */
async function bundleSize(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'bench-bundle-'));
  try {
    const build = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
      env: { ...process.env, ...OFFLINE_ENV },
      encoding: 'utf8',
    });
    if (build.status !== 0) return `build failed: ${build.stderr.slice(-300)}`;
    const files = (await readdir(outdir)).filter((f) => f.endsWith('.js') || f.endsWith('.wasm'));
    const gz = (
      await Promise.all(files.map(async (f) => gzipSync(await readFile(join(outdir, f)), { level: 9 }).byteLength))
    ).reduce((a, b) => a + b, 0);
    return `${(gz / 1024).toFixed(1)} KiB gzipped (wrangler: ${build.stdout.match(/Total Upload: (.*)/)?.[1] ?? '?'})`;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { env: { ...process.env, ...OFFLINE_ENV }, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
