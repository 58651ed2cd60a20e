// `npm start`: serves the models of MODEL_DIR locally, as the deployed Worker serves them, and says where:
//   npm start                                   model-artifacts/ on http://127.0.0.1:8787
//   PORT=9000 MODEL_DIR=/tmp/export PERSIST_TO=/tmp/state npm start
//   npm start -- --verbose                      the page build, every uploaded object, wrangler's banner, here too
//   npm start -- --var API_KEY:secret           any other flag goes to `wrangler dev`
// Steps: build the page (src/page/build.ts), seed wrangler's local R2 from MODEL_DIR (./upload.ts --local: every
// object verified, the pointer moved last), apply the D1 migrations when wrangler.toml declares a database, then
// `wrangler dev` with the rate limit off (one local user doing bulk work). Until the server answers, what the steps
// print goes to <PERSIST_TO>/start.log only (unless --verbose); then a few lines say what is served where, and
// wrangler's output (requests, the Worker's log) follows here as well as in the log.
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { validateManifest, type Manifest } from '../src/core/artifact.js';
import { DICTIONARY, validateDictionaryManifest } from '../src/core/dictionary/artifact.js';
import { modelId } from '../src/core/layout.js';
import { artifactFolders } from './artifact-folder.js';
import { runCli } from './cli.js';

const USAGE = `usage: npm start [-- --verbose] [-- wrangler dev flags]
  --verbose  print every step's output here (it always goes to <PERSIST_TO>/start.log)
  environment: PORT (default 8787), MODEL_DIR (default model-artifacts), PERSIST_TO (default .wrangler/state)`;

const BIN = resolve('node_modules/.bin');

runCli(USAGE, async () => {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const port = process.env.PORT || '8787';
  const modelDir = process.env.MODEL_DIR || 'model-artifacts';
  const state = process.env.PERSIST_TO || '.wrangler/state';
  const logPath = join(state, 'start.log');
  const log = await Log.open(logPath);
  const steps: string[][] = [
    [join(BIN, 'tsx'), 'src/page/build.ts'],
    [join(BIN, 'tsx'), 'train/upload.ts', '--local', '--model', modelDir, '--persist-to', state],
    ...((await declaresDatabase())
      ? [[join(BIN, 'wrangler'), 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state]]
      : []),
  ];
  for (const step of steps) {
    const code = await run(step, log, verbose);
    if (code !== 0) return fail(`${relative('.', step[1]!)} failed (exit ${code})`, log, code);
  }
  const url = `http://127.0.0.1:${port}`;
  const wrangler = [
    join(BIN, 'wrangler'),
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    port,
    '--persist-to',
    state,
    '--var',
    'RATE_LIMIT:off',
    ...args.filter((a) => a !== '--verbose'),
  ];
  const output = { echo: verbose };
  const server = start(wrangler, log, output);
  const exited = new Promise<number>((done) => server.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1))));
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => ((stopping = true), server.kill(signal)));
  if (await answers(url, exited)) {
    console.log(await summary(url, await artifactFolders(modelDir), logPath));
    output.echo = true;
  }
  const code = await exited;
  if (code !== 0 && !stopping) fail(`wrangler dev exited (${code})`, log, code);
});

/** <PERSIST_TO>/start.log, truncated (this start's output only), and its last lines, shown when a step fails. */
class Log {
  private tail = '';
  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {}

  static async open(path: string): Promise<Log> {
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(path);
    await new Promise((done, failed) => stream.once('open', done).once('error', failed));
    return new Log(path, stream);
  }

  write(chunk: Buffer): void {
    this.stream.write(chunk);
    this.tail = (this.tail + chunk.toString()).slice(-4000);
  }

  lastLines(n: number): string {
    return this.tail.trimEnd().split('\n').slice(-n).join('\n');
  }
}

function start([command, ...args]: string[], log: Log, output: { echo: boolean }) {
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (log.write(chunk), output.echo && process.stdout.write(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (log.write(chunk), output.echo && process.stderr.write(chunk)));
  return child;
}

function run(command: string[], log: Log, verbose: boolean): Promise<number> {
  const child = start(command, log, { echo: verbose });
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

/** Whether wrangler.toml has a D1 database (then its migrations are applied before serving). */
async function declaresDatabase(): Promise<boolean> {
  return /^\s*\[\[d1_databases\]\]/m.test(await readFile('wrangler.toml', 'utf8'));
}

/** Polls `url` until it answers (true) or the server exits first (false). */
async function answers(url: string, exited: Promise<number>): Promise<boolean> {
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    try {
      await fetch(url, { method: 'HEAD' });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return false;
}

/** What is served where, the models uploaded and how to try it: the lines a user reads. */
async function summary(url: string, folders: string[], logPath: string): Promise<string> {
  const models = await Promise.all(folders.map(describeModel));
  const width = Math.max(...models.map(([id]) => id.length));
  return [
    `Serving on ${url}`,
    `  page    ${url}/`,
    `  API     POST ${url}/translate  (DeepL: /v2/translate, LibreTranslate: /libretranslate/translate)`,
    `  docs    ${url}/docs  (OpenAPI: /openapi.json)`,
    ...models.map(([id, what], i) => `  ${i === 0 ? 'models' : '      '}  ${id.padEnd(width)}  ${what}`),
    `Try:  curl -s ${url}/translate -H 'content-type: application/json' -d '{"text": "I like green tea."}'`,
    `Log:  ${logPath} (npm start -- --verbose prints it here too). Ctrl-C stops.`,
  ].join('\n');
}

/** `direction@version` (or `dictionary@version`) and a few words on it: its models or entries, and bytes. */
async function describeModel(folder: string): Promise<[string, string]> {
  const json: unknown = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
  const size = async (files: Record<string, { bytes: number }>) =>
    Object.values(files).reduce((sum, { bytes }) => sum + bytes, 0) + (await stat(join(folder, 'manifest.json'))).size;
  if ((json as { name?: unknown }).name === DICTIONARY) {
    const dictionary = validateDictionaryManifest(json);
    const entries = dictionary.entries['ja-en'] + dictionary.entries['en-ja'];
    return [
      modelId(DICTIONARY, dictionary.version),
      `${entries} entries (EDICT, EDRDG, CC BY-SA), ${((await size(dictionary.files)) / 1e6).toFixed(1)} MB`,
    ];
  }
  const manifest: Manifest = validateManifest(json);
  const count = 1 + (manifest.ensemble?.length ?? 0);
  return [
    modelId(manifest.direction, manifest.version),
    `${count === 1 ? 'one model' : `an ensemble of ${count}`}, ${((await size(manifest.files)) / 1e6).toFixed(1)} MB`,
  ];
}

function fail(what: string, log: Log, code: number): void {
  console.error(`${log.lastLines(20)}\nnpm start: ${what} (the whole output: ${log.path})`);
  process.exitCode = code;
}
