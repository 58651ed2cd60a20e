// Training throughput: the fast path (fused ops, kernel fixes, length-bucketed batches, data-parallel replicas)
// against stock tfjs `model.fit` on the same backend, same data, same model size, in one run.
//   npm run bench:train -- --data ../shared/data/small_parallel_enja [--fast-batches 30] [--stock-batches 3]
// Prints last: `train: X pairs/s (stock model.fit: Y pairs/s, ratio R)`.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../src/core/artifact.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { Vocab } from '../src/core/vocab.js';
import { initNodeBackend } from '../train/backend.js';
import { bucketBatches, encodePairs, shares, shuffle, type Pair } from '../train/batches.js';
import { seededRandom } from '../train/random.js';
import { intFlag, runCli } from '../train/cli.js';
import { DEFAULTS, regularization } from '../train/config.js';
import { loadParallelCorpus } from '../train/corpus.js';
import { installTrainingKernels, registerMissingKernels } from '../train/fast/tfjs-overrides.js';
import { initialWeights } from '../train/model.js';
import { orthogonal } from '../train/orthogonal.js';
import { Replicas } from '../train/replicas.js';

const USAGE = `usage: npm run bench:train -- [--data DIR] [--fast-batches N] [--stock-batches N]
  --data DIR           local corpus folder (default: small_parallel_enja, downloaded once and cached)
  --fast-batches N     timed fast-path steps, after 3 warm-up steps (default 30)
  --stock-batches N    timed model.fit batches, after 1 warm-up batch (default 3); each takes seconds`;

interface BenchOptions {
  data?: string;
  fastBatches: number;
  stockBatches: number;
}

async function main(options: BenchOptions): Promise<void> {
  await initNodeBackend('wasm');
  const { pairs, config } = await loadPairs(options.data);
  const random = seededRandom(DEFAULTS.seed);
  const bucketed = bucketBatches(pairs, DEFAULTS.batchSize, random);
  log(
    `model: E=${config.embeddingDim} H=${config.hiddenDim} vocab ${config.sourceVocabSize}/${config.targetVocabSize}, attention; batches of ${DEFAULTS.batchSize}`,
  );

  // Stock first, with the stock kernels (only the missing embedding gradient registered: it cannot run without it).
  // The baseline is model.fit as it is normally called: shuffled pairs, every sentence padded to the corpus's
  // longest. For reference, the same model.fit on the fast path's length-bucketed batches is measured too.
  registerMissingKernels();
  const longest = {
    source: Math.max(...pairs.map((p) => p.source.length)),
    target: Math.max(...pairs.map((p) => p.target.length)),
  };
  const shuffled = chunks(shuffle([...pairs], random), DEFAULTS.batchSize);
  const stock = await benchStock(config, shuffled.slice(0, options.stockBatches + 1), longest);
  log(
    `stock model.fit: ${stock.toFixed(1)} pairs/s (${options.stockBatches} shuffled batches of ${DEFAULTS.batchSize} padded to ${longest.source}/${longest.target + 1} tokens, 1 thread)`,
  );
  const stockBucketed = await benchStock(config, bucketed.slice(0, options.stockBatches + 1));
  log(
    `stock model.fit on length-bucketed batches: ${stockBucketed.toFixed(1)} pairs/s (${options.stockBatches} batches, each padded to its longest)`,
  );

  installTrainingKernels();
  const fast = await benchFast(config, bucketed.slice(0, options.fastBatches + 3));
  log(
    `fast path: ${fast.toFixed(1)} pairs/s (${options.fastBatches} batches of ${DEFAULTS.batchSize}, ${DEFAULTS.threads} threads)`,
  );
  console.log(
    `train: ${fast.toFixed(1)} pairs/s (stock model.fit: ${stock.toFixed(1)} pairs/s, ratio ${(fast / stock).toFixed(1)})`,
  );
}

/** The real corpus as token ids at the default vocabulary size, and the default model's configuration. */
async function loadPairs(data: string | undefined): Promise<{ pairs: Pair[]; config: ModelConfig }> {
  const corpus = await loadParallelCorpus({ data, src: 'en', tgt: 'ja', splits: ['train'] });
  const en = getTokenizer('english');
  const source = corpus.splits.train.source.map((t) => en.tokenize(en.detokenize(t))); // as training reads it
  const target = corpus.splits.train.target;
  const vocabs = {
    source: Vocab.build(source, { maxSize: DEFAULTS.vocabSize }),
    target: Vocab.build(target, { maxSize: DEFAULTS.vocabSize }),
  };
  const { pairs } = encodePairs(source, target, vocabs, DEFAULTS.maxLength);
  const config = {
    sourceVocabSize: vocabs.source.size,
    targetVocabSize: vocabs.target.size,
    embeddingDim: DEFAULTS.embeddingDim,
    hiddenDim: DEFAULTS.hiddenDim,
    attention: true,
  };
  return { pairs, config };
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function benchFast(config: ModelConfig, batches: Pair[][]): Promise<number> {
  const weights = initialWeights(config);
  const replicas = await Replicas.start(DEFAULTS.threads, {
    model: config,
    weights,
    optimizer: null,
    regularization: regularization(DEFAULTS),
    clipNorm: DEFAULTS.clipNorm,
  });
  try {
    return await timed(batches, 3, (batch) => replicas.step(shares(batch, replicas.count), DEFAULTS.learningRate));
  } finally {
    await replicas.stop();
  }
}

/**
 * The same architecture as one Keras functional graph trained by `model.fit`, the classic way. One departure: no
 * encoder padding mask (tfjs-layers' executor leaks one layer's mask into the next), which changes no timing.
 */
async function benchStock(
  config: ModelConfig,
  batches: Pair[][],
  padTo?: { source: number; target: number },
): Promise<number> {
  const model = stockModel(config);
  model.compile({ optimizer: tf.train.adam(DEFAULTS.learningRate), loss: 'sparseCategoricalCrossentropy' });
  return timed(batches, 1, async (batch) => {
    const S = padTo?.source ?? Math.max(...batch.map((p) => p.source.length));
    const T = (padTo?.target ?? Math.max(...batch.map((p) => p.target.length))) + 1;
    const pad = (ids: number[], n: number) => [...ids, ...new Array(n - ids.length).fill(0)];
    const xs = [
      tf.tensor2d(
        batch.map((p) => pad(p.source, S)),
        undefined,
        'int32',
      ),
      tf.tensor2d(
        batch.map((p) => pad([2, ...p.target], T)),
        undefined,
        'int32',
      ),
    ];
    const ys = tf.tensor3d(
      batch.map((p) => pad([...p.target, 3], T).map((y) => [y])),
      undefined,
      'float32',
    );
    await model.fit(xs, ys, { batchSize: batch.length, epochs: 1, verbose: 0 });
    tf.dispose([...xs, ys]);
  });
}

function stockModel(cfg: ModelConfig): tf.LayersModel {
  const { embeddingDim: E, hiddenDim: H } = cfg;
  // Keras's orthogonal recurrent init, computed fast (train/orthogonal.ts): initialization is not what is timed.
  const lstm = () =>
    tf.layers.lstm({
      units: H,
      returnSequences: true,
      returnState: true,
      recurrentActivation: 'sigmoid',
      recurrentInitializer: orthogonal(),
    });
  const source = tf.input({ shape: [null], dtype: 'int32' });
  const target = tf.input({ shape: [null], dtype: 'int32' });
  const [encoded, h, c] = lstm().apply(
    tf.layers.embedding({ inputDim: cfg.sourceVocabSize, outputDim: E }).apply(source),
  ) as tf.SymbolicTensor[];
  const decoderLstm = lstm();
  // tfjs-layers' executor shares one kwargs object between all layers and calls, and RNN.apply writes its initial
  // state into it; the next call then rejects its own inputs. Give the decoder LSTM a private copy each call.
  const apply = decoderLstm.apply.bind(decoderLstm);
  decoderLstm.apply = (inputs, kwargs) =>
    apply(inputs, Array.isArray(inputs) && kwargs ? { ...kwargs, initialState: undefined } : kwargs);
  const [decoded] = decoderLstm.apply(
    tf.layers.embedding({ inputDim: cfg.targetVocabSize, outputDim: E }).apply(target),
    { initialState: [h, c] },
  ) as tf.SymbolicTensor[];
  const keys = tf.layers.dense({ units: H, useBias: false }).apply(encoded) as tf.SymbolicTensor;
  const weights = tf.layers
    .activation({ activation: 'softmax' })
    .apply(tf.layers.dot({ axes: [2, 2] }).apply([decoded, keys])) as tf.SymbolicTensor;
  const context = tf.layers.dot({ axes: [2, 1] }).apply([weights, encoded]) as tf.SymbolicTensor;
  const hidden = tf.layers
    .dense({ units: H, activation: 'tanh' })
    .apply(tf.layers.concatenate().apply([context, decoded])) as tf.SymbolicTensor;
  const probs = tf.layers
    .dense({ units: cfg.targetVocabSize, activation: 'softmax' })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: [source, target], outputs: probs });
}

/** Pairs per second over `batches`, not counting the first `warmup` of them. */
async function timed(batches: Pair[][], warmup: number, run: (batch: Pair[]) => Promise<unknown>): Promise<number> {
  let pairs = 0;
  let start = 0;
  for (let i = 0; i < batches.length; i++) {
    if (i === warmup) start = performance.now();
    await run(batches[i]);
    if (i >= warmup) pairs += batches[i].length;
  }
  return pairs / ((performance.now() - start) / 1000);
}

function parseOptions(): BenchOptions {
  const options = {
    data: { type: 'string' },
    'fast-batches': { type: 'string' },
    'stock-batches': { type: 'string' },
  } as const;
  const { values } = parseArgs({ options });
  return {
    data: values.data,
    fastBatches: intFlag('--fast-batches', values['fast-batches'], 30, 1),
    stockBatches: intFlag('--stock-batches', values['stock-batches'], 3, 1),
  };
}

const log = (msg: string) => console.error(msg);

runCli(USAGE, () => main(parseOptions()));
