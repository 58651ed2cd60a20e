// Artifact folders for the end-to-end tests and the serving bench: the shipped model-artifacts/<direction> when it
// is there, else a small random model written in the same layout (test/helpers/random-model.ts).
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JAPANESE_SAMPLE, randomArtifact } from '../helpers/random-model.js';
import { startDevServer, type DevServer } from './dev-server.js';

export type Direction = 'en-ja' | 'ja-en';
export const DIRECTIONS: Direction[] = ['en-ja', 'ja-en'];
export const SHIPPED = 'model-artifacts';

export interface ArtifactDir {
  dir: string;
  shipped: boolean;
  sample: string; // a source text: a real sentence for a shipped model, in-vocabulary words for a random one
}

export async function artifactDir(scratch: string, direction: Direction = 'en-ja'): Promise<ArtifactDir> {
  const shipped = join(SHIPPED, direction);
  if (existsSync(join(shipped, 'manifest.json')))
    return { dir: shipped, shipped: true, sample: direction === 'en-ja' ? 'I like green tea.' : '私は学生です。' };
  const dir = join(scratch, direction);
  await writeRandomArtifact(dir, 'random-e2e', direction);
  return { dir, shipped: false, sample: direction === 'en-ja' ? 'wa wb wc' : JAPANESE_SAMPLE };
}

/** A folder holding one artifact folder per direction, as `npm start` (MODEL_DIR) and the uploader take it. */
export async function artifactRoot(scratch: string): Promise<{ root: string; models: Record<Direction, ArtifactDir> }> {
  const models = { 'en-ja': await artifactDir(scratch, 'en-ja'), 'ja-en': await artifactDir(scratch, 'ja-en') };
  if (DIRECTIONS.every((d) => models[d].shipped)) return { root: SHIPPED, models };
  const root = join(scratch, 'models');
  for (const d of DIRECTIONS) await cp(models[d].dir, join(root, d), { recursive: true });
  return { root, models };
}

export async function writeRandomArtifact(
  dir: string,
  version = 'random-e2e',
  direction: Direction = 'en-ja',
): Promise<void> {
  const { manifest, files } = await randomArtifact({
    config: { sourceVocabSize: 40, targetVocabSize: 44, embeddingDim: 8, hiddenDim: 16, attention: true },
    seed: 11,
    direction,
  });
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, version }, null, 2));
}

/** `npm start` with an API key on small random models for both directions, in a scratch folder that `stop` removes. */
export async function startKeyedServer(
  name: string,
  key: string,
): Promise<{ server: DevServer; stop(): Promise<void> }> {
  const scratch = await mkdtemp(join(tmpdir(), `e2e-${name}-`));
  for (const direction of DIRECTIONS)
    await writeRandomArtifact(join(scratch, 'models', direction), `${name}-e2e`, direction);
  const server = await startDevServer({
    command: ['npm', 'start', '--', '--log-level', 'warn', '--var', `API_KEY:${key}`],
    env: { MODEL_DIR: join(scratch, 'models'), PERSIST_TO: join(scratch, 'state') },
  });
  return { server, stop: async () => (await server.stop(), await rm(scratch, { recursive: true, force: true })) };
}
