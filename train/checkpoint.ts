// Checkpoints: everything needed to resume a run exactly where it stopped: weights, Adam state, vocabularies,
// config, progress and history. Written to a temporary folder and renamed, so a crash mid-write leaves the
// previous checkpoint intact; checked on load, so a corrupt or foreign one is refused naming the field.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EpochRecordSchema } from '../src/core/artifact.js';
import { StoredConfig } from './config.js';
import type { FlatTensors } from './flat.js';

const count = z.int().min(0);

const Progress = z.object({
  config: StoredConfig,
  sessions: count.default(1), // how many times training ran (1 + resumes); checkpoints from before this field had one
  epoch: count, // epochs completed
  step: count, // optimizer steps completed
  batchesDone: count, // batches of the current (unfinished) epoch already trained
  learningRate: z.number(),
  elapsedSeconds: z.number(), // training wall time so far, over all sessions of this run
  history: z.array(EpochRecordSchema), // the manifest's own EpochRecord, so the two cannot drift
  bestDevBleu: z.number(),
  bestDevLoss: z
    .number()
    .nullable()
    .transform((loss) => loss ?? Infinity), // Infinity (no epoch yet) is null in JSON
  sourceVocab: z.string(), // vocabulary texts, so a resumed run encodes exactly as before
  targetVocab: z.string(),
  startedFrom: z.string().optional(), // --init: the model the run started from, <direction>@<version>
  sourceSubwords: z.string().optional(), // --bpe-merges: the merges texts (absent: whole words)
  targetSubwords: z.string().optional(),
});

/** Names and shapes of the tensors in one .bin file, in order. */
const Layout = z.object({ names: z.array(z.string()), shapes: z.array(z.array(count)) });

/** checkpoint.json; the tensors' values are in weights.bin, optimizer.bin (Adam state) and best.bin. */
const CheckpointMeta = z.object({
  progress: Progress,
  weights: Layout,
  optimizer: Layout,
  best: Layout.extend({ epoch: count }).optional(), // checkpoints written before best.bin existed have none
});

export type Progress = z.infer<typeof Progress>;
type CheckpointMeta = z.infer<typeof CheckpointMeta>;
type Layout = z.infer<typeof Layout>;

export interface Checkpoint {
  progress: Progress;
  weights: FlatTensors;
  optimizer: FlatTensors;
  best?: { epoch: number; weights: FlatTensors }; // the best dev BLEU epoch's weights, which the final export ships
}

export async function saveCheckpoint(dir: string, { progress, weights, optimizer, best }: Checkpoint): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const layout = (t: FlatTensors) => ({ names: t.names, shapes: t.shapes });
  const meta = {
    progress,
    weights: layout(weights),
    optimizer: layout(optimizer),
    best: best && { epoch: best.epoch, ...layout(best.weights) },
  } satisfies z.input<typeof CheckpointMeta>;
  await writeFile(join(tmp, 'checkpoint.json'), JSON.stringify(meta, null, 1));
  await writeFile(join(tmp, 'weights.bin'), bytesOf(weights));
  await writeFile(join(tmp, 'optimizer.bin'), bytesOf(optimizer));
  if (best) await writeFile(join(tmp, 'best.bin'), bytesOf(best.weights));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const file = join(dir, 'checkpoint.json');
  if (!existsSync(file)) throw new Error(`no checkpoint in ${dir} (nothing to --resume)`);
  const meta = parseMeta(file, await readFile(file, 'utf8'));
  const tensors = async ({ names, shapes }: Layout, name: string): Promise<FlatTensors> => {
    const bytes = await readFile(join(dir, name));
    const floats = shapes.reduce((n, shape) => n + shape.reduce((a, b) => a * b, 1), 0);
    if (names.length !== shapes.length || bytes.byteLength !== 4 * floats) {
      throw new Error(
        `${join(dir, name)} does not match checkpoint.json: ${bytes.byteLength} bytes for ${names.length} names, ${shapes.length} shapes, ${floats} floats`,
      );
    }
    return {
      names,
      shapes,
      data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    };
  };
  const { progress, weights, optimizer, best } = meta;
  return {
    progress,
    weights: await tensors(weights, 'weights.bin'),
    optimizer: await tensors(optimizer, 'optimizer.bin'),
    best: best && { epoch: best.epoch, weights: await tensors(best, 'best.bin') },
  };
}

/** checkpoint.json checked; an error naming the first bad field otherwise. */
function parseMeta(file: string, text: string): CheckpointMeta {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = CheckpointMeta.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${file}: "${issue.path.map(String).join('.') || '(root)'}" ${issue.message}`);
}

const bytesOf = (t: FlatTensors) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
