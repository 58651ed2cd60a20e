// A model folder on disk (model-artifacts/<name>/ or a training export) for the Node tools: load it into the
// same Translator the Worker uses, translate many lines with it, and the flag handling the tools share.
import { openArtifact } from '../src/core/open-artifact.js';
import { folderReader } from './artifact-folder.js';
import { loadTranslator, TranslateInputError, type Translation, type Translator } from '../src/core/translator.js';
import { UsageError } from './config.js';

/** Greedy batch size for many lines: big enough to amortise per-step overhead, small enough to pad little. */
const BATCH = 64;

/** Opens the artifact folder `dir` (manifest, files, sha256s) and loads the model (the tfjs backend must be set). */
export async function loadModelDir(dir: string): Promise<Translator> {
  const { manifest, files } = await openArtifact(folderReader(dir));
  return loadTranslator(manifest, files);
}

/**
 * Translates lines in batches, results in input order. Lines are batched by length (characters, a proxy for
 * tokens) so greedy batches carry little padding; every line decodes as it would alone.
 */
export function translateLines(translator: Translator, lines: string[], beam: number): Translation[] {
  const order = lines.map((_, i) => i).sort((a, b) => lines[a].length - lines[b].length);
  const out: Translation[] = new Array(lines.length);
  for (let start = 0; start < order.length; start += BATCH) {
    const batch = order.slice(start, start + BATCH);
    try {
      translator.translate(batch.map((i) => lines[i]), { beam }).translations.forEach((t, k) => (out[batch[k]] = t));
    } catch (err) {
      if (!(err instanceof TranslateInputError) || err.index === undefined) throw err;
      throw new TranslateInputError(`line ${batch[err.index] + 1}: ${err.reason}`);
    }
  }
  return out;
}

/** The integer value of flag `name` (default `fallback`), which must lie in [min, max]. */
export function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got "${raw}"`);
  }
  return value;
}

/** Runs a CLI's main: usage errors (ours and node:util parseArgs') print the usage and exit 2, others exit 1. */
export function runCli(usage: string, main: () => Promise<void>): void {
  main().catch((err: Error & { code?: string }) => {
    const usageError = err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS');
    console.error(`error: ${err.message}`);
    if (usageError) console.error(usage);
    process.exit(usageError ? 2 : 1);
  });
}
