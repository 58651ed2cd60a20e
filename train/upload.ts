// Uploads model artifacts to R2 and makes them live:
//
//   npm run upload -- --model model-artifacts/en-ja [--local | --remote] [--bucket NAME] [--persist-to DIR]
//
// --model     an artifact folder (with manifest.json), or a folder of them (npm start passes model-artifacts)
// --local     wrangler's local R2 (default; what `npm start` / `wrangler dev` read), --remote the real bucket
// --bucket    default: bucket_name of the MODELS binding in wrangler.toml
// --persist-to  local state folder (default wrangler's .wrangler/state)
//
// Order of work, so readers never see half an upload: check the manifest and every sha256 locally; put every file
// under models/<direction>/<version>/; read manifest.json back and compare; only then write the pointer
// current/<direction>.json = {"version": ...}. A running Worker serves the new version within POINTER_TTL_SECONDS.
// Uploading the version that is already live (same manifest) is a no-op. Credentials stay with wrangler.
//
// --remote runs `wrangler r2 object put/get --remote` per object. --local writes the same state `wrangler dev` and
// `wrangler r2 object put --local` use, through wrangler's getPlatformProxy: one wrangler start instead of one per
// object (measured here: ~3-5 s per CLI call, ~45 s for a 6-file artifact, vs ~10 s in all).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Manifest } from '../src/core/artifact.js';
import { objectKey, pointerKey, VERSION_PATTERN } from '../src/core/layout.js';
import { openArtifact, type OpenedArtifact } from '../src/core/open-artifact.js';
import { folderReader } from './artifact-folder.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js');

/** The few R2 operations an upload needs, against the local state or the real bucket. */
interface Bucket {
  readonly description: string;
  get(key: string): Promise<Uint8Array | undefined>; // undefined: absent (or unreadable)
  put(key: string, file: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

class UploadError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', multiple: true },
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      bucket: { type: 'string' },
      'persist-to': { type: 'string' },
    },
    strict: true, // unknown flags are errors
  });
  if (!values.model?.length) throw new UploadError('give the artifact folder: --model model-artifacts/en-ja');
  if (values.local && values.remote) throw new UploadError('--local and --remote exclude each other');
  if (values.remote && values['persist-to']) throw new UploadError('--persist-to is for --local only');
  const folders = (await Promise.all(values.model.map(artifactFolders))).flat();
  const name = values.bucket ?? (await bucketFromWranglerToml());
  const bucket = values.remote ? remoteBucket(name) : await localBucket(name, resolve(values['persist-to'] ?? join(ROOT, '.wrangler/state')));
  try {
    for (const folder of folders) await upload(folder, bucket);
  } finally {
    await bucket.close();
  }
}

/** `dir` itself if it holds a manifest.json, else its subfolders that do. */
async function artifactFolders(dir: string): Promise<string[]> {
  const abs = resolve(dir);
  if (existsSync(join(abs, 'manifest.json'))) return [abs];
  const entries = existsSync(abs) ? await readdir(abs, { withFileTypes: true }) : [];
  const found = entries.filter((e) => e.isDirectory() && existsSync(join(abs, e.name, 'manifest.json'))).map((e) => join(abs, e.name));
  if (found.length === 0) throw new UploadError(`${dir}: no manifest.json there or in its subfolders (export a model first: npm run export)`);
  return found.sort();
}

async function upload(folder: string, bucket: Bucket): Promise<void> {
  const where = relative(process.cwd(), folder) || '.';
  const { manifest, manifestBytes, files } = await readArtifact(folder, where);
  const id = `${manifest.direction}@${manifest.version}`;
  const manifestKey = objectKey(manifest.direction, manifest.version, 'manifest.json');

  const live = await bucket.get(pointerKey(manifest.direction));
  const stored = live && liveVersion(live) === manifest.version ? await bucket.get(manifestKey) : undefined;
  if (stored && Buffer.from(stored).equals(manifestBytes)) {
    console.log(`${id} is already live in ${bucket.description}`);
    return;
  }

  console.log(`uploading ${id} from ${where} to ${bucket.description}`);
  for (const [path, bytes] of Object.entries(files)) {
    await bucket.put(objectKey(manifest.direction, manifest.version, path), join(folder, path), bytes);
    console.log(`  ${path} (${bytes.byteLength} bytes)`);
  }
  await bucket.put(manifestKey, join(folder, 'manifest.json'), manifestBytes);
  const readBack = await bucket.get(manifestKey);
  if (!readBack || !Buffer.from(readBack).equals(manifestBytes)) {
    throw new UploadError(`${manifestKey} reads back different from ${where}/manifest.json; the pointer was not changed`);
  }
  const pointer = Buffer.from(JSON.stringify({ version: manifest.version }));
  await withTempFile(pointer, (file) => bucket.put(pointerKey(manifest.direction), file, pointer));
  console.log(`${id} is live: ${pointerKey(manifest.direction)} -> ${manifest.version}`);
}

/** The manifest, validated, and every file it lists, checked against its size and sha256. */
async function readArtifact(folder: string, where: string): Promise<{ manifest: Manifest; manifestBytes: Buffer; files: Record<string, Uint8Array> }> {
  let opened: OpenedArtifact;
  try {
    opened = await openArtifact(folderReader(folder));
  } catch (err) {
    throw new UploadError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { manifest, files } = opened;
  if (!VERSION_PATTERN.test(manifest.version)) throw new UploadError(`${where}: version "${manifest.version}" may only use letters, digits, . _ -`);
  if ('manifest.json' in files) throw new UploadError(`${where}: manifest.json lists itself`);
  return { manifest, manifestBytes: await readFile(join(folder, 'manifest.json')), files };
}

function liveVersion(pointer: Uint8Array): string | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(pointer).toString('utf8'));
    return typeof value === 'object' && value !== null && 'version' in value && typeof value.version === 'string' ? value.version : undefined;
  } catch {
    return undefined;
  }
}

/** The real bucket, one `wrangler r2 object ... --remote` per operation (wrangler holds the credentials). */
function remoteBucket(name: string): Bucket {
  return {
    description: `R2 bucket "${name}"`,
    async get(key) {
      try {
        return await wrangler(['r2', 'object', 'get', `${name}/${key}`, '--pipe', '--remote']);
      } catch {
        return undefined;
      }
    },
    async put(key, file) {
      await wrangler(['r2', 'object', 'put', `${name}/${key}`, '--file', file, '--content-type', contentType(file), '--remote']);
    },
    async close() {},
  };
}

/** wrangler's local R2 state in `persistTo` (the folder `wrangler dev --persist-to` takes; default .wrangler/state). */
async function localBucket(name: string, persistTo: string): Promise<Bucket> {
  const { getPlatformProxy } = await import('wrangler');
  const config = await mkdtemp(join(tmpdir(), 'upload-'));
  const configPath = join(config, 'wrangler.json');
  await writeFile(configPath, JSON.stringify({ name: 'upload', compatibility_date: '2026-04-01', r2_buckets: [{ binding: 'BUCKET', bucket_name: name }] }));
  const proxy = await getPlatformProxy<{ BUCKET: R2Bucket }>({ configPath, persist: { path: join(persistTo, 'v3') } });
  const bucket = proxy.env.BUCKET;
  return {
    description: `local R2 bucket "${name}" (${relative(process.cwd(), persistTo) || '.'})`,
    async get(key) {
      const object = await bucket.get(key);
      return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
    },
    async put(key, file, bytes) {
      // Miniflare wants a plain Uint8Array, not a Node Buffer.
      await bucket.put(key, new Uint8Array(bytes), { httpMetadata: { contentType: contentType(file) } });
    },
    async close() {
      await proxy.dispose();
      await rm(config, { recursive: true, force: true });
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
};

const contentType = (file: string): string => CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';

/** Runs wrangler from the repository root; resolves with its stdout, rejects with its own error output. */
function wrangler(args: string[]): Promise<Buffer> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) return done(Buffer.concat(out));
      const message = redact((Buffer.concat(err).toString() || Buffer.concat(out).toString()).trim().split('\n').slice(-5).join('\n'));
      fail(new UploadError(`wrangler ${args.slice(0, 4).join(' ')} failed (exit ${code}):\n${message}`));
    });
  });
}

/** wrangler's output should never hold a credential; if one from the environment shows up anyway, it is masked. */
function redact(text: string): string {
  const secrets = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'CF_API_TOKEN', 'CF_API_KEY'].map((name) => process.env[name]).filter((v): v is string => !!v);
  return secrets.reduce((masked, secret) => masked.replaceAll(secret, '[redacted]'), text);
}

async function bucketFromWranglerToml(): Promise<string> {
  const toml = await readFile(join(ROOT, 'wrangler.toml'), 'utf8');
  const block = toml.split('[[r2_buckets]]').find((b) => /^\s*binding\s*=\s*"MODELS"/m.test(b));
  const name = block?.match(/^\s*bucket_name\s*=\s*"([^"]+)"/m)?.[1];
  if (!name) throw new UploadError('wrangler.toml has no [[r2_buckets]] binding "MODELS" with a bucket_name; pass --bucket');
  return name;
}

async function withTempFile<T>(content: Uint8Array, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'upload-'));
  try {
    const file = join(dir, 'pointer.json');
    await writeFile(file, content);
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof UploadError || (err instanceof Error && 'code' in err && err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') ? `upload: ${err.message}` : err);
  process.exit(1);
});
