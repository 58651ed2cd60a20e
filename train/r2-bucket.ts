// The few R2 operations ./upload.ts needs, against wrangler's local state or the real bucket.
// --remote runs `wrangler r2 object put/get --remote` per object. --local writes the same state `wrangler dev` and
// `wrangler r2 object put --local` use, through wrangler's getPlatformProxy: one wrangler start instead of one per
// object (measured here: ~3-5 s per CLI call, ~45 s for a 6-file artifact, vs ~10 s in all).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js');

/** The few R2 operations an upload needs, against the local state or the real bucket. */
export interface Bucket {
  readonly description: string;
  get(key: string): Promise<Uint8Array | undefined>; // undefined: absent (or unreadable)
  put(key: string, file: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** The real bucket, one `wrangler r2 object ... --remote` per operation (wrangler holds the credentials). */
export function remoteBucket(name: string): Bucket {
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
      await wrangler([
        'r2',
        'object',
        'put',
        `${name}/${key}`,
        '--file',
        file,
        '--content-type',
        contentType(file),
        '--remote',
      ]);
    },
    async close() {},
  };
}

/** wrangler's local R2 state in `persistTo` (the folder `wrangler dev --persist-to` takes; default .wrangler/state). */
export async function localBucket(name: string, persistTo: string): Promise<Bucket> {
  const { getPlatformProxy } = await import('wrangler');
  const config = await mkdtemp(join(tmpdir(), 'upload-'));
  const configPath = join(config, 'wrangler.json');
  await writeFile(
    configPath,
    JSON.stringify({
      name: 'upload',
      compatibility_date: '2026-04-01',
      r2_buckets: [{ binding: 'BUCKET', bucket_name: name }],
    }),
  );
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
export function wrangler(args: string[]): Promise<Buffer> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) return done(Buffer.concat(out));
      const message = redact(
        (Buffer.concat(err).toString() || Buffer.concat(out).toString()).trim().split('\n').slice(-5).join('\n'),
      );
      fail(new Error(`wrangler ${args.slice(0, 4).join(' ')} failed (exit ${code}):\n${message}`));
    });
  });
}

/** wrangler's output should never hold a credential; if one from the environment shows up anyway, it is masked. */
function redact(text: string): string {
  const secrets = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'CF_API_TOKEN', 'CF_API_KEY']
    .map((name) => process.env[name])
    .filter((v): v is string => !!v);
  return secrets.reduce((masked, secret) => masked.replaceAll(secret, '[redacted]'), text);
}
