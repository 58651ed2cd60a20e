// Checkpoints: everything needed to resume a run exactly where it stopped: weights, Adam state, vocabularies,
// config, progress and history. Written to a temporary folder and renamed, so a crash mid-write leaves the
// previous checkpoint intact.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from './config.js';
import type { FlatTensors } from './flat.js';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  devLoss: number;
  devBleu: number;
  learningRate: number;
  pairsPerSecond: number;
  seconds: number; // wall time of this epoch, training + evaluation
}

export interface Progress {
  config: TrainConfig;
  sessions: number; // how many times training ran (1 + resumes)
  epoch: number; // epochs completed
  step: number; // optimizer steps completed
  batchesDone: number; // batches of the current (unfinished) epoch already trained
  learningRate: number;
  elapsedSeconds: number; // training wall time so far, over all sessions of this run
  history: EpochRecord[];
  bestDevBleu: number;
  bestDevLoss: number;
  sourceVocab: string; // vocabulary texts, so a resumed run encodes exactly as before
  targetVocab: string;
}

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
  const meta = { progress, weights: layout(weights), optimizer: layout(optimizer), best: best && { epoch: best.epoch, ...layout(best.weights) } };
  await writeFile(join(tmp, 'checkpoint.json'), JSON.stringify(meta, null, 1));
  await writeFile(join(tmp, 'weights.bin'), bytesOf(weights));
  await writeFile(join(tmp, 'optimizer.bin'), bytesOf(optimizer));
  if (best) await writeFile(join(tmp, 'best.bin'), bytesOf(best.weights));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  if (!existsSync(join(dir, 'checkpoint.json'))) throw new Error(`no checkpoint in ${dir} (nothing to --resume)`);
  const meta = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
  const floats = async (name: string) => {
    const bytes = await readFile(join(dir, name));
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };
  return {
    progress: meta.progress,
    weights: { ...meta.weights, data: await floats('weights.bin') },
    optimizer: { ...meta.optimizer, data: await floats('optimizer.bin') },
    // checkpoints written before best.bin existed have no best weights
    best: meta.best && { epoch: meta.best.epoch, weights: { names: meta.best.names, shapes: meta.best.shapes, data: await floats('best.bin') } },
  };
}

const bytesOf = (t: FlatTensors) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
