// An artifact folder on disk (model-artifacts/<direction>/ or a training export) as src/core/open-artifact.ts reads
// it: the Node tools (translate, evaluate, upload) open folders with this reader, the Worker opens R2 objects.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ArtifactError } from '../src/core/artifact.js';
import type { ReadFile } from '../src/core/open-artifact.js';

/** openArtifact's reader for the artifact folder `dir`: paths that would leave it are refused. */
export const folderReader =
  (dir: string): ReadFile =>
  async (path) => {
    if (path.split('/').some((part) => part === '..' || part === ''))
      throw new ArtifactError(`bad file path "${path}" in manifest.json`);
    try {
      return new Uint8Array(await readFile(join(dir, path)));
    } catch (err) {
      throw new ArtifactError(`cannot read ${join(dir, path)}: ${(err as Error).message}`);
    }
  };

/** `dir` itself if it holds a manifest.json, else its subfolders that do (as model-artifacts/ holds one a direction). */
export async function artifactFolders(dir: string): Promise<string[]> {
  const abs = resolve(dir);
  if (existsSync(join(abs, 'manifest.json'))) return [abs];
  const entries = existsSync(abs) ? await readdir(abs, { withFileTypes: true }) : [];
  const found = entries
    .filter((e) => e.isDirectory() && existsSync(join(abs, e.name, 'manifest.json')))
    .map((e) => join(abs, e.name));
  if (found.length === 0)
    throw new Error(`${dir}: no manifest.json there or in its subfolders (train a model first: npm run train)`);
  return found.sort();
}
