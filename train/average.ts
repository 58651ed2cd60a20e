// Checkpoint averaging (--average-last N): the weights at the end of each of the last N epochs are kept beside the
// checkpoint, in <checkpoints>.epochs/epoch-<n>.bin (float32, the checkpoint's own layout), and the final export may
// ship their element-wise mean, which sits in a flatter part of the loss than any one epoch's weights.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FlatTensors } from './flat.js';

const folder = (checkpoints: string) => `${checkpoints}.epochs`;
const file = (checkpoints: string, epoch: number) => join(folder(checkpoints), `epoch-${epoch}.bin`);

/** Keeps epoch `epoch`'s weights and drops those of epoch `epoch - last` (older ones went the same way). */
export async function keepEpochWeights(
  checkpoints: string,
  epoch: number,
  weights: FlatTensors,
  last: number,
): Promise<void> {
  await mkdir(folder(checkpoints), { recursive: true });
  await writeFile(
    file(checkpoints, epoch),
    new Uint8Array(weights.data.buffer, weights.data.byteOffset, weights.data.byteLength),
  );
  await rm(file(checkpoints, epoch - last), { force: true });
}

/**
 * The mean of the weights kept for `epochs`, in the layout of `like`; undefined when one of them was not kept
 * (a run started without --average-last) or does not match the layout.
 */
export async function averageEpochWeights(
  checkpoints: string,
  epochs: number[],
  like: FlatTensors,
): Promise<FlatTensors | undefined> {
  const sum = new Float64Array(like.data.length);
  for (const epoch of epochs) {
    const path = file(checkpoints, epoch);
    if (!existsSync(path)) return undefined;
    const bytes = await readFile(path);
    if (bytes.byteLength !== 4 * like.data.length) return undefined;
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    for (let i = 0; i < values.length; i++) sum[i] += values[i];
  }
  return { names: like.names, shapes: like.shapes, data: Float32Array.from(sum, (v) => v / epochs.length) };
}
