// Runs once in Node before the workers project: builds a small seeded random model (test/helpers/random-model.ts)
// and hands its files to the tests inside workerd, which put them into the Miniflare R2 bucket (see seed.ts).
import type { TestProject } from 'vitest/node';
import { randomArtifact } from '../helpers/random-model.js';

export interface ProvidedArtifact {
  manifest: string; // manifest.json text
  files: Record<string, string>; // path -> base64 bytes
  sourceWords: string[]; // in-vocabulary English words of the random model
}

declare module 'vitest' {
  export interface ProvidedContext {
    artifact: ProvidedArtifact;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const { manifest, files, sourceWords } = await randomArtifact({
    config: { sourceVocabSize: 40, targetVocabSize: 44, embeddingDim: 8, hiddenDim: 16, attention: true },
    seed: 7,
    sourceMaxLength: 24,
    targetMaxLength: 12,
  });
  project.provide('artifact', {
    manifest: JSON.stringify(manifest),
    files: Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, Buffer.from(bytes).toString('base64')])),
    sourceWords,
  });
}
