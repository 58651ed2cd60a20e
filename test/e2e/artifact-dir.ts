// An artifact folder for the end-to-end test and the serving bench: the shipped model-artifacts/en-ja when it is
// there, else a small random model written in the same layout (test/helpers/random-model.ts).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomArtifact } from '../helpers/random-model.js';

export const SHIPPED = 'model-artifacts/en-ja';

export async function artifactDir(scratch: string): Promise<{ dir: string; shipped: boolean }> {
  if (existsSync(join(SHIPPED, 'manifest.json'))) return { dir: SHIPPED, shipped: true };
  const dir = join(scratch, 'en-ja');
  await writeRandomArtifact(dir);
  return { dir, shipped: false };
}

export async function writeRandomArtifact(dir: string, version = 'random-e2e'): Promise<void> {
  const { manifest, files } = await randomArtifact({
    config: { sourceVocabSize: 40, targetVocabSize: 44, embeddingDim: 8, hiddenDim: 16, attention: true },
    seed: 11,
  });
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, version }, null, 2));
}
