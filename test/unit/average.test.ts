// Checkpoint averaging (train/average.ts): the weights kept per epoch, pruned to the last N, and their mean.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageEpochWeights, keepEpochWeights } from '../../train/average.js';
import type { FlatTensors } from '../../train/flat.js';

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'average-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

const weights = (...values: number[]): FlatTensors => ({
  names: ['a', 'b'],
  shapes: [[2], [1]],
  data: Float32Array.from(values),
});

describe('checkpoint averaging', () => {
  it('keeps the last N epochs and averages them element by element', async () => {
    const checkpoints = join(dir, 'ckpt');
    await keepEpochWeights(checkpoints, 1, weights(9, 9, 9), 2);
    await keepEpochWeights(checkpoints, 2, weights(1, 2, 3), 2);
    await keepEpochWeights(checkpoints, 3, weights(3, 4, -3), 2);
    expect(await readdir(`${checkpoints}.epochs`)).toEqual(['epoch-2.bin', 'epoch-3.bin']);
    const mean = await averageEpochWeights(checkpoints, [2, 3], weights(0, 0, 0));
    expect(mean).toEqual(weights(2, 3, 0));
  });

  it('gives nothing when an epoch was not kept or has another layout', async () => {
    const checkpoints = join(dir, 'other');
    await keepEpochWeights(checkpoints, 1, weights(1, 2, 3), 3);
    expect(await averageEpochWeights(checkpoints, [1, 2], weights(0, 0, 0))).toBeUndefined();
    expect(
      await averageEpochWeights(checkpoints, [1], { names: ['a'], shapes: [[2]], data: new Float32Array(2) }),
    ).toBeUndefined();
  });
});
