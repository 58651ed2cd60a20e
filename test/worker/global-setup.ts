// Runs once in Node before the workers project: builds a small seeded random model per direction
// (test/helpers/random-model.ts) and hands their files to the tests inside workerd, which put them into the
// Miniflare R2 bucket (see seed.ts).
import type { TestProject } from 'vitest/node';
import { withMember } from '../../train/ensemble.js';
import { randomArtifact } from '../helpers/random-model.js';

export interface ProvidedArtifact {
  manifest: string; // manifest.json text
  files: Record<string, string>; // path -> base64 bytes
  sourceWords: string[]; // in-vocabulary source tokens of the random model
  sourceText: string; // a text it reads without unknown words
}

declare module 'vitest' {
  export interface ProvidedContext {
    artifacts: Record<'en-ja' | 'ja-en' | 'en-ja-subwords' | 'en-ja-ensemble' | 'en-ja-registers', ProvidedArtifact>;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const build = (
    direction: 'en-ja' | 'ja-en',
    seed: number,
    subwords = false,
    bidirectional = direction === 'ja-en',
    registers = false,
  ) => {
    const vocabSize = subwords ? 70 : undefined; // the subword model's pieces (SUBWORD_PIECES) and a few words
    return randomArtifact({
      // ja-en's reads both ways, so workerd loads and decodes both encoder recipes in every test that uses both models.
      config: {
        sourceVocabSize: vocabSize ?? 40,
        targetVocabSize: vocabSize ?? 44,
        embeddingDim: 8,
        hiddenDim: 16,
        attention: true,
        bidirectional,
      },
      seed,
      sourceMaxLength: 24,
      targetMaxLength: 12,
      direction,
      subwords,
      registers,
    });
  };
  const provided = ({
    manifest,
    files,
    sourceWords,
    sourceText,
  }: Awaited<ReturnType<typeof build>>): ProvidedArtifact => {
    const base64 = Object.fromEntries(
      Object.entries(files).map(([path, bytes]) => [path, Buffer.from(bytes).toString('base64')]),
    );
    return { manifest: JSON.stringify(manifest), files: base64, sourceWords, sourceText };
  };
  const enJa = await build('en-ja', 7);
  const ensemble = { ...enJa, ...(await withMember(enJa, await build('en-ja', 10, false, true))) }; // en-ja's model and another
  project.provide('artifacts', {
    'en-ja': provided(enJa),
    'ja-en': provided(await build('ja-en', 8)),
    'en-ja-subwords': provided(await build('en-ja', 9, true)),
    'en-ja-ensemble': provided(ensemble),
    'en-ja-registers': provided(await build('en-ja', 7, false, false, true)),
  });
}
