// An artifact folder on disk (model-artifacts/<direction>/ or a training export) as src/core/open-artifact.ts reads
// it: the Node tools (translate, evaluate, upload) open folders with this reader, the Worker opens R2 objects.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactError } from '../src/core/artifact.js';
import type { ReadFile } from '../src/core/open-artifact.js';

/** openArtifact's reader for the artifact folder `dir`: paths that would leave it are refused. */
export const folderReader =
  (dir: string): ReadFile =>
  async (path) => {
    if (path.split('/').some((part) => part === '..' || part === '')) throw new ArtifactError(`bad file path "${path}" in manifest.json`);
    try {
      return new Uint8Array(await readFile(join(dir, path)));
    } catch (err) {
      throw new ArtifactError(`cannot read ${join(dir, path)}: ${(err as Error).message}`);
    }
  };
