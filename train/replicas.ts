// The main thread's handle on the data-parallel replicas (train/replica.ts): one worker thread per core, each
// taking an equal share of every batch. One optimizer step = every replica computes gradients, then every
// replica applies their token-weighted average.
import { Worker } from 'node:worker_threads';
import type { ModelConfig } from '../src/core/artifact.js';
import type { Batch } from './batches.js';
import type { Regularization } from './fast/loss.js';
import type { FlatTensors } from './flat.js';
import type { FromReplica, ToReplica } from './replica.js';

export interface ReplicaSettings {
  model: ModelConfig;
  weights: FlatTensors;
  optimizer: FlatTensors | null;
  regularization: Regularization;
  clipNorm: number;
}

export class Replicas {
  private constructor(private readonly workers: Worker[]) {}

  static async start(count: number, settings: ReplicaSettings): Promise<Replicas> {
    const shared = new SharedArrayBuffer(count * settings.weights.data.length * 4);
    // We run from TypeScript sources: the worker loads its entry through tsx's loader API.
    const entry = JSON.stringify(new URL('./replica.ts', import.meta.url).href);
    const boot = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${entry}, ${entry}))`;
    const workers = Array.from({ length: count }, () => new Worker(boot, { eval: true }));
    const replicas = new Replicas(workers);
    await Promise.all(
      workers.map((_, rank) => replicas.call(rank, { type: 'init', ...settings, shared, rank, replicas: count })),
    );
    return replicas;
  }

  get count(): number {
    return this.workers.length;
  }

  /** One optimizer step over `shares` (one per replica). Returns the mean loss per target token. */
  async step(shares: Batch[], learningRate: number): Promise<{ loss: number; tokens: number }> {
    const losses = await this.all(shares.map((batch) => ({ type: 'step', batch })));
    // A replica without a share this step (a tiny last batch) contributes zero weight but still applies.
    const tokens = this.workers.map(
      (_, r) => (losses[r] as Extract<FromReplica, { type: 'loss' }> | undefined)?.tokens ?? 0,
    );
    await this.all(this.workers.map(() => ({ type: 'apply', tokens, learningRate })));
    return meanLoss(losses);
  }

  /** Loss without dropout or updates, over shares spread across the replicas. */
  async evaluate(batches: Batch[]): Promise<{ loss: number; tokens: number }> {
    const losses: FromReplica[] = [];
    for (let i = 0; i < batches.length; i += this.count) {
      const round = batches.slice(i, i + this.count);
      losses.push(...(await Promise.all(round.map((batch, rank) => this.call(rank, { type: 'eval', batch })))));
    }
    return meanLoss(losses);
  }

  async state(): Promise<{ weights: FlatTensors; optimizer: FlatTensors }> {
    return (await this.call(0, { type: 'state' })) as Extract<FromReplica, { type: 'state' }>;
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private all(messages: ToReplica[]): Promise<FromReplica[]> {
    return Promise.all(messages.map((msg, rank) => this.call(rank, msg)));
  }

  private call(rank: number, msg: ToReplica): Promise<FromReplica> {
    const worker = this.workers[rank];
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      worker.once('error', onError);
      worker.once('message', (reply: FromReplica) => {
        worker.off('error', onError);
        if (reply.type === 'error') reject(new Error(`replica ${rank}: ${reply.message}`));
        else resolve(reply);
      });
      worker.postMessage(msg);
    });
  }
}

function meanLoss(replies: FromReplica[]): { loss: number; tokens: number } {
  let sum = 0;
  let tokens = 0;
  for (const r of replies as Extract<FromReplica, { type: 'loss' }>[]) {
    sum += r.loss * r.tokens;
    tokens += r.tokens;
  }
  return { loss: sum / tokens, tokens };
}
