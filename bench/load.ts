// Load test: autocannon against `wrangler dev` on 127.0.0.1, mixed single / batch / beam POSTs, while /health is
// sampled every second for the isolate's tensor count and WASM heap:
//
//   npm run bench:load [-- --connections 32 --seconds 60 --model model-artifacts/en-ja]
//
// Without --model it serves a small random model (fast: the Worker's own overhead dominates); with one, that model.
// It fails (exit 1) on any error, non-2xx answer or growth of tensors or heap from the first to the last 10 s.
// The Worker runs with bench/wrangler.toml: the app without the RATE_LIMITER binding, since every connection
// of one load generator is one client (127.0.0.1) and would be throttled at 100 requests per 10 s.
import autocannon from 'autocannon';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { writeRandomArtifact } from '../test/e2e/artifact-dir.js';
import { startDevServer } from '../test/e2e/dev-server.js';

export interface LoadOptions {
  connections: number;
  seconds: number;
  model?: string; // artifact folder; default a small random model
}

interface Sample {
  at: number; // seconds since the load started
  tensors: number;
  wasmHeapBytes: number;
}

export interface LoadReport {
  requests: number;
  errors: number; // connection errors and timeouts
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  first: { tensors: number; wasmHeapBytes: number }; // maxima over the first 10 s
  last: { tensors: number; wasmHeapBytes: number }; // and over the last 10 s
}

const WINDOW_SECONDS = 10;
const RANDOM_MODEL_TEXTS = ['wa wb wc', 'wd we wf wg', 'wh wa', 'wb wc wd we wf wg wh'];
const ENGLISH_TEXTS = [
  'i like green tea .',
  'he lived a hard life .',
  'it is raining now .',
  'where is the station ?',
  'she can speak three languages .',
];

/** Starts wrangler dev on the model, runs the load, stops the server; the numbers of the run. */
export async function loadTest(options: LoadOptions): Promise<LoadReport> {
  const scratch = await mkdtemp(join(tmpdir(), 'bench-load-'));
  try {
    const dir = options.model ?? join(scratch, 'en-ja');
    if (!options.model) await writeRandomArtifact(dir, 'load-random');
    const version = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).version as string;
    const server = await startDevServer({
      command: ['npm', 'start', '--', '-c', 'bench/wrangler.toml', '--log-level', 'warn'],
      env: { MODEL_DIR: dir, PERSIST_TO: join(scratch, 'state') },
    });
    try {
      const texts = options.model ? ENGLISH_TEXTS : RANDOM_MODEL_TEXTS;
      await warmUp(server.url, texts, version);
      return await run(server.url, texts, options);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One request of each kind, so the model load and first compilations are not in the first window. */
async function warmUp(url: string, texts: string[], version: string): Promise<void> {
  for (const body of mix(texts)) {
    const res = await fetch(`${url}/translate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    const json = (await res.json()) as { model?: string; translations?: Array<{ model: string }> };
    const model = json.model ?? json.translations?.[0]?.model;
    if (res.status !== 200 || model !== `en-ja@${version}`)
      throw new Error(`warm-up failed: ${res.status} ${JSON.stringify(json)}`);
  }
}

/** The request bodies every connection cycles through: single greedy, batch of 4, beam 4, in turn. */
function mix(texts: string[]): string[] {
  return texts.flatMap((text, i) => [
    JSON.stringify({ text, beam: 1 }),
    JSON.stringify({ texts: [...texts.slice(i), ...texts.slice(0, i)].slice(0, 4), beam: 1 }),
    JSON.stringify({ text, beam: 4 }),
  ]);
}

async function run(url: string, texts: string[], { connections, seconds }: LoadOptions): Promise<LoadReport> {
  const samples: Sample[] = [];
  const started = Date.now();
  let sampling: Promise<unknown> = Promise.resolve();
  const sampler = setInterval(() => {
    sampling = fetch(`${url}/health`)
      .then((res) => res.json() as Promise<{ tensors: number; wasmHeapBytes: number }>)
      .then(({ tensors, wasmHeapBytes }) => samples.push({ at: (Date.now() - started) / 1000, tensors, wasmHeapBytes }))
      .catch((err: unknown) => console.warn('health sample failed', err));
  }, 1000);
  let result: autocannon.Result;
  try {
    // autocannon's promise is a bare thenable (no .finally)
    result = await autocannon({
      url: `${url}/translate`,
      connections,
      duration: seconds, // bounded in time; each request also in time (timeout)
      timeout: 30,
      requests: mix(texts).map((body) => ({
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body,
      })),
    });
  } finally {
    clearInterval(sampler);
    await sampling; // before the server stops
  }
  const window = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: result.requests.average,
    first: maxima(window(0, WINDOW_SECONDS)),
    last: maxima(window(seconds - WINDOW_SECONDS, Infinity)),
  };
}

function maxima(samples: Sample[]): { tensors: number; wasmHeapBytes: number } {
  if (samples.length === 0) throw new Error('no /health sample in a window: is the run shorter than 10 s?');
  return {
    tensors: Math.max(...samples.map((s) => s.tensors)),
    wasmHeapBytes: Math.max(...samples.map((s) => s.wasmHeapBytes)),
  };
}

/** What breaks the guarantees of README.md "Limits and guarantees", if anything. */
export function problems(report: LoadReport): string[] {
  return [
    report.errors > 0 && `${report.errors} connection errors or timeouts`,
    report.non2xx > 0 && `${report.non2xx} non-2xx responses`,
    report.last.tensors > report.first.tensors && `tensors grew from ${report.first.tensors} to ${report.last.tensors}`,
    report.last.wasmHeapBytes > report.first.wasmHeapBytes &&
      `WASM heap grew from ${report.first.wasmHeapBytes} to ${report.last.wasmHeapBytes} bytes`,
  ].filter((p): p is string => typeof p === 'string');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '60' },
      model: { type: 'string' },
    },
    strict: true,
  });
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  if (!(connections >= 1 && seconds >= WINDOW_SECONDS))
    throw new Error(`--connections must be >= 1 and --seconds >= ${WINDOW_SECONDS}`);
  const report = await loadTest({ connections, seconds, model: values.model });
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
  console.log(
    `load: ${connections} connections, ${seconds} s, ${report.requests} requests (${report.requestsPerSecond.toFixed(1)}/s), ` +
      `errors ${report.errors}, non-2xx ${report.non2xx}, p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms; ` +
      `tensors ${report.first.tensors} -> ${report.last.tensors}, WASM heap ${mib(report.first.wasmHeapBytes)} -> ${mib(report.last.wasmHeapBytes)} (max over first vs last ${WINDOW_SECONDS} s)`,
  );
  const found = problems(report);
  if (found.length) throw new Error(`load test failed: ${found.join('; ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
