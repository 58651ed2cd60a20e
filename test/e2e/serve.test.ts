// End to end: `npm start` (seeds wrangler's local R2 through train/upload.ts, then `wrangler dev`) on a free port,
// real HTTP requests in both directions, and a second upload going live while the server runs. Uses the shipped
// model-artifacts/<direction> when they exist, else small random models in the same layout.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactRoot, type ArtifactDir, type Direction } from './artifact-dir.js';
import { OFFLINE_ENV, startDevServer, type DevServer } from './dev-server.js';

let scratch: string;
let server: DevServer;
let models: Record<Direction, ArtifactDir>;
let model: ArtifactDir; // en-ja
let version: string;
let jaVersion: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'e2e-'));
  const artifacts = await artifactRoot(scratch);
  models = artifacts.models;
  model = models['en-ja'];
  const versionOf = async (m: ArtifactDir) =>
    JSON.parse(await readFile(join(m.dir, 'manifest.json'), 'utf8')).version as string;
  version = await versionOf(model);
  jaVersion = await versionOf(models['ja-en']);
  server = await startDevServer({
    command: ['npm', 'start', '--', '--log-level', 'warn'],
    env: { MODEL_DIR: artifacts.root, PERSIST_TO: join(scratch, 'state') },
  });
});

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

const post = (path: string, body: unknown) =>
  fetch(server.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

// The shapes are checked by the workers tests; here they are only read.
type Json = { [key: string]: any };
const json = async (res: Response | Promise<Response>): Promise<Json> => (await res).json() as Promise<Json>;

describe('npm start', () => {
  it('says in a few lines what is served where, each model by its version, and keeps the details in its log', async () => {
    await expect.poll(server.output).toContain(`Serving on ${server.url}`);
    const output = server.output();
    for (const shown of [`${server.url}/docs`, `${server.url}/translate`, `en-ja@${version}`, `ja-en@${jaVersion}`])
      expect(output).toContain(shown);
    expect(output).not.toContain('weights.bin'); // every uploaded object: in the log only
    expect(await readFile(join(scratch, 'state', 'start.log'), 'utf8')).toContain('decoder/weights.bin');
  });

  it('serves the seeded model of each direction on /health', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      models: { 'en-ja': `en-ja@${version}`, 'ja-en': `ja-en@${jaVersion}` },
    });
  });

  it('translates a sentence over HTTP, with Server-Timing', async () => {
    const res = await post('/translate', { text: model.sample, beam: 4 });
    expect(res.status).toBe(200);
    expect(res.headers.get('Server-Timing')).toMatch(/decode;dur=/);
    const body = await json(res);
    expect(body).toMatchObject({ model: `en-ja@${version}`, unknownWords: [] });
    if (model.shipped) expect(body.translation).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/); // some Japanese
  });

  it('translates raw Japanese with the ja-en model, picked automatically', async () => {
    const body = await json(post('/translate', { text: models['ja-en'].sample, beam: 4 }));
    expect(body).toMatchObject({ model: `ja-en@${jaVersion}`, unknownWords: [] });
    // English: capitalised, ended with punctuation, no Japanese left in it
    if (models['ja-en'].shipped) expect(body.translation).toMatch(/^[A-Z][a-z ,']*[.?!]$/);
  });

  it('translates a batch, and serves a repeated GET from the cache', async () => {
    const batch = await json(post('/translate', { texts: ['wa', 'wb wc'], beam: 1 }));
    expect(batch.translations).toHaveLength(2);
    const path = `/translate?text=${encodeURIComponent('wa wb')}&beam=1`;
    expect((await fetch(server.url + path)).headers.get('X-Cache')).toBe('MISS');
    expect((await fetch(server.url + path)).headers.get('X-Cache')).toBe('HIT');
  });

  it('answers bad requests with JSON errors', async () => {
    const res = await fetch(`${server.url}/translate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text":',
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('invalid_json');
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });

  it('serves a new upload without a restart', async () => {
    const next = join(scratch, 'next', 'en-ja');
    await cp(model.dir, next, { recursive: true });
    const manifest = JSON.parse(await readFile(join(next, 'manifest.json'), 'utf8'));
    await writeFile(join(next, 'manifest.json'), JSON.stringify({ ...manifest, version: `${version}-next` }));
    const upload = spawnSync(
      'npm',
      ['run', 'upload', '--', '--local', '--persist-to', join(scratch, 'state'), '--model', next],
      {
        env: { ...process.env, ...OFFLINE_ENV },
        encoding: 'utf8',
      },
    );
    expect(upload.status, upload.stderr).toBe(0);
    expect(upload.stdout).toContain(`en-ja@${version}-next is live`);

    const deadline = Date.now() + 15_000; // POINTER_TTL_SECONDS is 5
    let served = '';
    while (Date.now() < deadline && served !== `en-ja@${version}-next`) {
      await new Promise((r) => setTimeout(r, 500));
      served = await fetch(`${server.url}/health`)
        .then(async (res) => (await json(res)).models['en-ja'])
        .catch(() => ''); // an idle keep-alive connection may have been closed meanwhile
    }
    expect(served).toBe(`en-ja@${version}-next`);
  });
});
