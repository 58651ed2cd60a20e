// A model folder on disk (model-artifacts/<name>/ or a training export) for the Node tools: load it into the
// same Translator the Worker uses, and translate many lines with it the way the Worker translates texts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDictionary } from '../src/core/dictionary/artifact.js';
import type { Dictionary } from '../src/core/dictionary/dictionary.js';
import { openArtifact } from '../src/core/open-artifact.js';
import { folderReader } from './artifact-folder.js';
import {
  translateDocuments,
  type DocumentTranslateOptions,
  type DocumentTranslation,
} from '../src/core/document/translate-documents.js';
import type { Precision } from '../src/core/model/gemm.js';
import type { Translator } from '../src/core/translator.js';
import { loadTranslator } from '../src/core/load-translator.js';

/** The dictionary the service ships (model-artifacts/dictionary, docs/dictionary.md). */
export const SHIPPED_DICTIONARY = join(fileURLToPath(new URL('..', import.meta.url)), 'model-artifacts', 'dictionary');

/**
 * The dictionary of the folder `dir`, for DocumentTranslateOptions.dictionary: opened (and its sha256s checked) the
 * first time a sentence needs it, as the Worker does; undefined when the folder has none.
 */
export function dictionaryDir(dir = SHIPPED_DICTIONARY): (() => Promise<Dictionary>) | undefined {
  if (!existsSync(join(dir, 'manifest.json'))) return undefined;
  let opened: Promise<Dictionary> | undefined;
  return () => (opened ??= openDictionary(folderReader(dir)).then((d) => d.dictionary));
}

/** Greedy batch size for many lines: big enough to amortise per-step overhead, small enough to pad little. */
const BATCH = 64;

/** Opens the artifact folder `dir` (manifest, files, sha256s) and loads the model (the tfjs backend must be set). */
export async function loadModelDir(dir: string, precision?: Precision): Promise<Translator> {
  const { manifest, files } = await openArtifact(folderReader(dir));
  return loadTranslator(manifest, files, precision);
}

/**
 * Translates lines as the Worker translates texts (../src/core/document: sentences, verbatim spans, layout), results
 * in input order; every line decodes as it would alone. `reverse`, the other direction's model, is served too, for
 * options.reverseWeight.
 */
export async function translateLines(
  translator: Translator,
  lines: string[],
  options: DocumentTranslateOptions,
  reverse?: Translator,
): Promise<DocumentTranslation[]> {
  const { direction } = translator.manifest;
  const served = reverse ? [direction, reverse.manifest.direction] : [direction];
  const translatorFor = async (d: string) => (d === direction ? translator : reverse!);
  return inBatchesByLength(
    lines,
    async (batch) =>
      (
        await translateDocuments(
          batch.map((text) => ({ text, direction })),
          served,
          translatorFor,
          options,
        )
      ).documents,
  );
}

/**
 * `translate` over `lines` in batches of similar length (characters, a proxy for tokens), so a batch carries little
 * padding; the results in input order. `progress` hears how many lines are done after each batch.
 */
export async function inBatchesByLength<T>(
  lines: string[],
  translate: (batch: string[]) => Promise<T[]> | T[],
  progress?: (done: number) => void,
): Promise<T[]> {
  const order = lines.map((_, i) => i).sort((a, b) => lines[a].length - lines[b].length);
  const out: T[] = new Array(lines.length);
  for (let start = 0; start < order.length; start += BATCH) {
    const batch = order.slice(start, start + BATCH);
    (await translate(batch.map((i) => lines[i]))).forEach((t, k) => (out[batch[k]] = t));
    progress?.(Math.min(start + BATCH, order.length));
  }
  return out;
}
