// One data-parallel training replica, run in a worker thread (train/replicas.ts starts them). Each replica holds
// the full model and its own Adam state, computes gradients on its share of every batch, writes them into shared
// memory, then applies the token-weighted average of all replicas' gradients. Every replica applies the same
// update to the same weights, so they stay identical without ever sending weights around.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../src/core/artifact.js';
import { seq2seqWeights } from '../src/core/model/weights.js';
import { initNodeBackend } from './backend.js';
import { installTrainingKernels } from './fast/tfjs-overrides.js';
import type { Batch } from './batches.js';
import { NO_REGULARIZATION, seq2seqLoss, type Regularization } from './fast/loss.js';
import { buildSeq2Seq } from './model.js';
import { flatten, unflatten, type FlatTensors } from './flat.js';

export type ToReplica =
  | {
      type: 'init';
      model: ModelConfig;
      weights: FlatTensors;
      optimizer: FlatTensors | null;
      shared: SharedArrayBuffer;
      rank: number;
      replicas: number;
      regularization: Regularization;
      clipNorm: number;
    }
  | { type: 'step'; batch: Batch }
  | { type: 'apply'; tokens: number[]; learningRate: number }
  | { type: 'eval'; batch: Batch }
  | { type: 'state' };

export type FromReplica =
  | { type: 'ready' }
  | { type: 'loss'; loss: number; tokens: number }
  | { type: 'applied' }
  | { type: 'state'; weights: FlatTensors; optimizer: FlatTensors }
  | { type: 'error'; message: string };

interface Replica {
  variables: tf.Variable[];
  weights: ReturnType<typeof seq2seqWeights>;
  tied: boolean; // output kernel = target embedding^T (ModelConfig.tiedEmbeddings)
  optimizer: tf.AdamOptimizer;
  grads: Float32Array[]; // one view per replica into the shared gradient buffer
  rank: number;
  regularization: Regularization;
  clipNorm: number;
}

let replica: Replica | undefined;

async function init(msg: Extract<ToReplica, { type: 'init' }>): Promise<FromReplica> {
  const backend = await initNodeBackend();
  if (backend === 'wasm') installTrainingKernels();
  const model = buildSeq2Seq(msg.model);
  const variables = model.weights.map((w) => w.read() as tf.Variable);
  unflatten(msg.weights).forEach((t, i) => {
    variables[i].assign(t);
    t.dispose();
  });
  const optimizer = tf.train.adam();
  if (msg.optimizer)
    await optimizer.setWeights(
      unflatten(msg.optimizer).map((tensor, i) => ({ name: msg.optimizer!.names[i], tensor })),
    );
  const size = msg.weights.data.length;
  const grads = Array.from({ length: msg.replicas }, (_, r) => new Float32Array(msg.shared, r * size * 4, size));
  replica = {
    variables,
    weights: seq2seqWeights(model.encoder, model.decoder, msg.model.attention),
    tied: msg.model.tiedEmbeddings === true,
    optimizer,
    grads,
    rank: msg.rank,
    regularization: msg.regularization,
    clipNorm: msg.clipNorm,
  };
  syncTied(replica);
  return { type: 'ready' };
}

/**
 * Tied embeddings: the loss reads the output kernel as the target embedding transposed, so its gradient reaches the
 * embedding; the output kernel's own variable (what is exported) is set to that after every update.
 */
const lossWeights = (r: Replica) =>
  r.tied ? { ...r.weights, outputKernel: tf.transpose(r.weights.targetEmbedding) as tf.Tensor2D } : r.weights;

function syncTied(r: Replica): void {
  if (r.tied) tf.tidy(() => (r.weights.outputKernel as tf.Variable).assign(tf.transpose(r.weights.targetEmbedding)));
}

/** Forward + backward on this replica's share; gradients go to its slot of the shared buffer. */
function step(r: Replica, batch: Batch): FromReplica {
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => seq2seqLoss(lossWeights(r), batch, r.regularization), r.variables);
    let offset = 0;
    for (const v of r.variables) {
      const g = grads[v.name] ? (grads[v.name].dataSync() as Float32Array) : new Float32Array(v.size); // tied: the kernel has none
      r.grads[r.rank].set(g, offset);
      offset += g.length;
    }
    return value.dataSync()[0];
  });
  return { type: 'loss', loss, tokens: batch.labels.length };
}

/** Averages all replicas' gradients (weighted by tokens), clips by global norm, takes one Adam step. */
function apply(r: Replica, tokens: number[], learningRate: number): FromReplica {
  const total = tokens.reduce((a, b) => a + b, 0);
  const avg = new Float32Array(r.grads[0].length);
  r.grads.forEach((g, i) => {
    const w = tokens[i] / total;
    for (let k = 0; k < avg.length; k++) avg[k] += w * g[k];
  });
  let sq = 0;
  for (let k = 0; k < avg.length; k++) sq += avg[k] * avg[k];
  const scale = Math.min(1, r.clipNorm / (Math.sqrt(sq) + 1e-6));
  if (scale < 1) for (let k = 0; k < avg.length; k++) avg[k] *= scale;
  (r.optimizer as unknown as { learningRate: number }).learningRate = learningRate; // read on every step
  tf.tidy(() => {
    let offset = 0;
    const named = r.variables.map((v) => {
      const tensor = tf.tensor(avg.subarray(offset, offset + v.size), v.shape);
      offset += v.size;
      return { name: v.name, tensor };
    });
    r.optimizer.applyGradients(named);
  });
  syncTied(r);
  return { type: 'applied' };
}

function evaluate(r: Replica, batch: Batch): FromReplica {
  const loss = tf.tidy(() => seq2seqLoss(r.weights, batch, NO_REGULARIZATION).dataSync()[0]);
  return { type: 'loss', loss, tokens: batch.labels.length };
}

async function state(r: Replica): Promise<FromReplica> {
  const optimizer = await r.optimizer.getWeights();
  return {
    type: 'state',
    weights: flatten(r.variables.map((v) => ({ name: v.name, tensor: v }))),
    optimizer: flatten(optimizer),
  };
}

async function handle(msg: ToReplica): Promise<FromReplica> {
  if (msg.type === 'init') return init(msg);
  if (!replica) throw new Error('replica used before init');
  switch (msg.type) {
    case 'step':
      return step(replica, msg.batch);
    case 'apply':
      return apply(replica, msg.tokens, msg.learningRate);
    case 'eval':
      return evaluate(replica, msg.batch);
    case 'state':
      return state(replica);
  }
}

parentPort?.on('message', (msg: ToReplica) => {
  handle(msg).then(
    (reply) => parentPort!.postMessage(reply),
    (err: Error) => parentPort!.postMessage({ type: 'error', message: err.stack ?? String(err) } satisfies FromReplica),
  );
});
