// Trains the seq2seq translator and exports it for the Worker.
//   npm run train -- --data ../shared/data/small_parallel_enja            (en -> ja, all defaults)
//   npm run train -- --data DIR --resume                                   (continue the checkpoint)
//   npm run train -- --help                                                (every setting, see train/config.ts)
// Recipe: settings, the corpus as the model reads it (train/prepare.ts), model, replicas (one per core), epochs of
// bucketed batches with dev loss and dev BLEU after each, checkpoint, export of the best model.
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { EpochRecord, ModelConfig } from '../src/core/artifact.js';
import { loadTranslator } from '../src/core/load-translator.js';
import { initNodeBackend } from './backend.js';
import { augmentPairs } from './augment.js';
import { bucketBatches, shares } from './batches.js';
import { seededRandom } from './random.js';
import { averageEpochWeights, keepEpochWeights } from './average.js';
import { loadCheckpoint, saveCheckpoint, type Progress } from './checkpoint.js';
import { runCli } from './cli.js';
import { commandLine, parseFlags, regularization, resumeFlags, USAGE, type TrainConfig } from './config.js';
import { trainingCurveSvg } from './curve.js';
import { earlyStop } from './early-stop.js';
import { evaluateBleu } from './evaluate.js';
import { exportArtifacts, writeArtifacts, type Artifacts } from './export.js';
import { unflatten, type FlatTensors } from './flat.js';
import { startingModel, startingWeights } from './init.js';
import { buildSeq2Seq, initialWeights } from './model.js';
import { Replicas } from './replicas.js';
import { prepareData, tokenizerName, type TrainingData } from './prepare.js';

async function main(argv: string[]): Promise<void> {
  const cli = parseFlags(argv);
  const checkpoint = cli.resume ? await loadCheckpoint(cli.checkpoints) : undefined;
  const config = checkpoint ? resumeFlags(argv, checkpoint.progress.config) : cli;
  const backend = await initNodeBackend();
  log(`backend ${backend}, ${config.threads} replica thread(s) on ${availableParallelism()} cores`);

  // Data: the corpus as the model reads it (train/prepare.ts), in the vocabularies of the model it starts from, if any.
  const shape = {
    embeddingDim: config.embeddingDim,
    hiddenDim: config.hiddenDim,
    attention: config.attention,
    ...(config.bidirectional && { bidirectional: true }),
    ...(config.inputFeeding && { inputFeeding: true }),
    ...(config.tieEmbeddings && { tiedEmbeddings: true }),
  };
  const start = !checkpoint && config.init ? await startingModel(config.init, shape, config.initMember) : undefined;
  if (start) log(`starting from ${start.id} (${config.init})`);
  const data = await prepareData(config, checkpoint?.progress ?? start?.texts);
  const { pairs, dev, vocabs, subwords } = data;
  log(
    `train ${pairs.length} pairs (${data.dropped} over ${config.maxLength} tokens dropped), dev ${dev.source.length}, vocab ${vocabs.source.size}/${vocabs.target.size}`,
  );

  // Model and replicas.
  const modelConfig: ModelConfig = {
    sourceVocabSize: vocabs.source.size,
    targetVocabSize: vocabs.target.size,
    ...shape,
  };
  const initial =
    checkpoint?.weights ?? (start ? startingWeights(start, initialWeights(modelConfig)) : initialWeights(modelConfig));
  const replicas = await Replicas.start(config.threads, {
    model: modelConfig,
    weights: initial,
    optimizer: checkpoint?.optimizer ?? null,
    regularization: regularization(config),
    clipNorm: config.clipNorm,
  });
  const progress: Progress = checkpoint?.progress ?? {
    config,
    epoch: 0,
    step: 0,
    batchesDone: 0,
    learningRate: config.learningRate,
    elapsedSeconds: 0,
    history: [],
    sessions: 0,
    bestDevBleu: -1,
    bestDevLoss: Infinity,
    sourceVocab: vocabs.source.toText(),
    targetVocab: vocabs.target.toText(),
    ...(start && { startedFrom: start.id }),
    ...(subwords.source && { sourceSubwords: subwords.source.toText() }),
    ...(subwords.target && { targetSubwords: subwords.target.toText() }),
  };
  progress.config = config;
  progress.sessions++;

  // A resumed run that had already stopped early only re-exports (e.g. in another --quantization).
  let stopReason = earlyStop(progress.history, config.patience);
  let interruptedAt = 0;
  process.on('SIGINT', () => {
    // Under `npm run`, one Ctrl-C arrives twice (from the terminal and forwarded by npm): only a later one quits.
    if (interruptedAt && Date.now() - interruptedAt > 2000) process.exit(130);
    if (interruptedAt) return;
    interruptedAt = Date.now();
    stopReason = 'interrupted (Ctrl-C)';
    log('\nCtrl-C: finishing this step, then saving a checkpoint (Ctrl-C again to quit at once)');
  });
  const session = { start: Date.now(), steps: 0 };
  const context: Context = { ...data, config, modelConfig, replicas, progress, best: checkpoint?.best };

  while (progress.epoch < config.epochs && !stopReason) {
    const epochStart = Date.now();
    const trained = await trainEpoch(context, () => {
      session.steps++;
      if (config.maxSteps && session.steps >= config.maxSteps) stopReason ||= `reached --max-steps ${config.maxSteps}`;
      const minutes = (Date.now() - session.start) / 60000;
      if (config.maxMinutes && minutes >= config.maxMinutes)
        stopReason ||= `reached --max-minutes ${config.maxMinutes}`;
      return stopReason !== '';
    });
    progress.elapsedSeconds += (Date.now() - epochStart) / 1000;
    if (!trained.complete) break;
    const { record, weights } = await endOfEpoch(context, trained, epochStart);
    if (record.devBleu > progress.bestDevBleu) {
      progress.bestDevBleu = record.devBleu;
      context.best = { epoch: record.epoch, weights }; // the weights just evaluated, not a second copy
      await writeArtifacts(config.out, await exportModel(context, context.best, { status: 'in progress' }));
      log(`  new best dev BLEU ${record.devBleu.toFixed(2)}: exported to ${config.out}`);
    }
    if (progress.epoch % config.checkpointEvery === 0) await checkpointNow(context);
    if (config.averageLast) await keepEpochWeights(config.checkpoints, record.epoch, weights, config.averageLast);
    stopReason ||= earlyStop(progress.history, config.patience);
  }
  stopReason ||= `finished ${config.epochs} epochs`;
  log(`stopping: ${stopReason}`);
  await checkpointNow(context);
  // Final export: the best epoch's weights (or the current ones if none was kept) with the complete record,
  // and what quantization and beam search do to its dev BLEU.
  // Weights from the middle of an epoch match no epoch's record (epoch -1: no dev BLEU is claimed for them).
  const current = {
    epoch: progress.batchesDone === 0 ? progress.epoch : -1,
    weights: (await replicas.state()).weights,
  };
  const best = context.best ?? current;
  const averaged = config.averageLast ? await averageOfLast(context, best) : undefined;
  const snapshot =
    averaged && averaged.devBleu > (progress.history.find((r) => r.epoch === best.epoch)?.devBleu ?? -1)
      ? averaged
      : best;
  const report = progress.history.length
    ? { ...(await finalReport(context, snapshot)), ...(averaged && { devBleuAveraged: round2(averaged.devBleu) }) }
    : {};
  const final = await exportModel(context, snapshot, { status: stopReason, report });
  await writeArtifacts(config.out, final);
  const { devBleu } = final.manifest.metrics;
  log(
    `exported ${config.out} (version ${final.manifest.version}, ${devBleu === undefined ? `no dev BLEU: weights from the middle of epoch ${progress.epoch + 1}` : `dev BLEU ${devBleu}`})`,
  );
  await replicas.stop();
}

/** Weights and the epoch that produced them (-1: none did, as an average of several). */
type Snapshot = { epoch: number; weights: FlatTensors; averaged?: number[] };

/**
 * The mean of the last config.averageLast epochs' weights, with its dev BLEU (evalBeam); undefined when the run has
 * fewer epochs or did not keep them all.
 */
async function averageOfLast(ctx: Context, like: Snapshot): Promise<(Snapshot & { devBleu: number }) | undefined> {
  const { config, progress } = ctx;
  const epochs = Array.from({ length: config.averageLast }, (_, i) => progress.epoch - config.averageLast + 1 + i);
  const weights = epochs[0] >= 1 ? await averageEpochWeights(config.checkpoints, epochs, like.weights) : undefined;
  if (!weights) return void log(`  no average: the weights of epochs ${epochs.join(', ')} were not all kept`);
  const averaged = { epoch: -1, weights, averaged: epochs };
  const { bleu } = await measureBleu(ctx, await exportModel(ctx, averaged, { status: 'evaluation' }), config.evalBeam);
  log(
    `  average of epochs ${epochs[0]}-${epochs.at(-1)}: dev BLEU ${bleu.toFixed(2)} (best epoch ${like.epoch}: ${progress.bestDevBleu.toFixed(2)})`,
  );
  return { ...averaged, devBleu: bleu };
}

/** What every stage of a run reads: the data, the model and the run's progress. */
type Context = TrainingData & {
  config: TrainConfig;
  modelConfig: ModelConfig;
  replicas: Replicas;
  progress: Progress;
  best: Snapshot | undefined; // the best epoch so far (this session)
};

/** One pass over the training data (or the rest of it, when resuming mid-epoch). */
async function trainEpoch(ctx: Context, shouldStop: () => boolean) {
  const { config, progress, replicas } = ctx;
  const random = seededRandom(config.seed * 1000 + progress.epoch);
  const pairs = augmentPairs(ctx.pairs, config, ctx.reserved, random, ctx.isNumber); // placeholders, register tags
  const batches = bucketBatches(pairs, config.batchSize, random);
  const bar = new ProgressBar(progress.epoch + 1, batches.length, progress.batchesDone);
  let lossSum = 0;
  let tokens = 0;
  let sentences = 0;
  const start = Date.now();
  for (let i = progress.batchesDone; i < batches.length; i++) {
    const result = await replicas.step(shares(batches[i], replicas.count), progress.learningRate);
    if (!Number.isFinite(result.loss))
      throw new Error(`loss is ${result.loss} at step ${progress.step}: lower --learning-rate`);
    lossSum += result.loss * result.tokens;
    tokens += result.tokens;
    sentences += batches[i].length;
    progress.step++;
    progress.batchesDone = i + 1;
    bar.update(i + 1, lossSum / tokens, sentences / ((Date.now() - start) / 1000));
    if (shouldStop()) break;
  }
  bar.done();
  const complete = progress.batchesDone === batches.length;
  if (complete) {
    progress.epoch++;
    progress.batchesDone = 0;
  }
  return {
    complete,
    trainLoss: lossSum / Math.max(tokens, 1),
    pairsPerSecond: sentences / ((Date.now() - start) / 1000),
  };
}

/** Dev loss and dev BLEU (decoded by the Worker's own code from the exported bytes), learning-rate decay. */
async function endOfEpoch(
  ctx: Context,
  trained: { trainLoss: number; pairsPerSecond: number },
  epochStart: number,
): Promise<{ record: EpochRecord; weights: FlatTensors }> {
  const { progress, config, replicas } = ctx;
  const devBatches = bucketBatches(ctx.devPairs, config.batchSize, seededRandom(0)).flatMap((b) => shares(b, 1));
  const devLoss = (await replicas.evaluate(devBatches)).loss;
  const { weights } = await replicas.state();
  const artifacts = await exportModel(ctx, { epoch: progress.epoch, weights }, { status: 'evaluation' });
  const devBleu = await measureBleu(ctx, artifacts, config.evalBeam);
  const record: EpochRecord = {
    epoch: progress.epoch,
    trainLoss: trained.trainLoss,
    devLoss,
    devBleu: devBleu.bleu,
    learningRate: progress.learningRate,
    pairsPerSecond: trained.pairsPerSecond,
    seconds: (Date.now() - epochStart) / 1000,
  };
  progress.history.push(record);
  log(
    `epoch ${record.epoch}: train loss ${record.trainLoss.toFixed(3)}, dev loss ${devLoss.toFixed(3)}, dev BLEU ${record.devBleu.toFixed(2)} ` +
      `(${config.evalBeam === 1 ? 'greedy' : `beam ${config.evalBeam}`}, ${devBleu.seconds.toFixed(1)} s), ${record.pairsPerSecond.toFixed(0)} pairs/s, lr ${progress.learningRate}`,
  );
  if (devLoss >= progress.bestDevLoss) {
    progress.learningRate *= config.lrDecay;
    log(`  dev loss did not improve: learning rate -> ${progress.learningRate}`);
  }
  progress.bestDevLoss = Math.min(progress.bestDevLoss, devLoss);
  return { record, weights };
}

async function measureBleu(ctx: Context, { manifest, files }: Artifacts, beam: number) {
  const translator = await loadTranslator(manifest, files);
  try {
    return await evaluateBleu(translator, ctx.dev.text, ctx.dev.target, beam);
  } finally {
    translator.dispose();
  }
}

interface ExportOptions {
  status: string; // why this export exists ("in progress", or why training stopped)
  report?: Record<string, number>; // final measurements of these weights (see finalReport)
  quantization?: TrainConfig['quantization']; // default: the configured one
}

/** Builds the inference graphs on the main thread, loads the weights and exports them with the training record. */
async function exportModel(
  ctx: Context,
  { epoch, weights, averaged }: Snapshot,
  options: ExportOptions,
): Promise<Artifacts> {
  const { config, progress, corpus, vocabs, subwords } = ctx;
  const model = buildSeq2Seq(ctx.modelConfig);
  const tensors = unflatten(weights);
  model.weights.forEach((w, i) => w.write(tensors[i]));
  tf.dispose(tensors);
  const history = progress.history;
  const record = history.find((r) => r.epoch === epoch);
  const decoding = config.evalBeam === 1 ? 'greedy' : `beam${config.evalBeam}`;
  const quantization = options.quantization ?? config.quantization;
  const side = (kind: 'source' | 'target', lang: string) => ({
    lang,
    tokenizer: tokenizerName(kind, lang),
    vocab: `vocab.${lang}.txt`,
    maxLength: config.maxLength,
    vocabulary: vocabs[kind],
    ...(subwords[kind] && { subwords: `subwords.${lang}.txt`, merges: subwords[kind] }),
    ...(kind === 'source' && config.formality > 0 && { registerTag: config.registerTag }),
  });
  const artifacts = await exportArtifacts({
    model,
    source: side('source', config.src),
    target: side('target', config.tgt),
    quantization,
    training: {
      command: commandLine(config),
      ...(progress.startedFrom && { startedFrom: progress.startedFrom }),
      sessions: progress.sessions,
      status: options.status,
      config,
      data: Object.fromEntries(
        Object.entries(corpus.files).map(([name, f]) => [name, { sha256: f.sha256, lines: f.lines }]),
      ),
      epochs: progress.epoch,
      weightsFromEpoch: record ? epoch : null,
      ...(averaged && { weightsAveragedOverEpochs: averaged }),
      steps: progress.step,
      wallTimeSeconds: Math.round(progress.elapsedSeconds),
      pairsPerSecond: history.length
        ? Math.round(history.reduce((a, r) => a + r.pairsPerSecond, 0) / history.length)
        : null,
      machine: `${availableParallelism()} cores, Node ${process.version}, tfjs ${tf.version.tfjs} (${tf.getBackend()})`,
      history,
    },
    metrics: record
      ? {
          devBleu: shippedBleu(record, decoding, quantization, options.report),
          devBleuDecoding: decoding,
          devLoss: round2(record.devLoss),
          ...options.report,
        }
      : {
          ...(averaged &&
            options.report?.devBleuAveraged !== undefined && {
              devBleu: options.report.devBleuAveraged,
              devBleuDecoding: decoding,
            }),
          ...options.report,
        },
    extraFiles: history.length
      ? { 'training-curve.svg': new TextEncoder().encode(trainingCurveSvg(history, `${config.src} -> ${config.tgt}`)) }
      : {},
    shortlist: ctx.shortlist,
  });
  model.encoder.dispose();
  model.decoder.dispose();
  return artifacts;
}

/**
 * The epoch's dev BLEU was measured on weights stored as the run's --quantization; an export stored otherwise
 * (a resumed run re-exporting as uint8) reports what the final report measured for its own storage.
 */
function shippedBleu(
  record: EpochRecord,
  decoding: string,
  quantization: TrainConfig['quantization'],
  report: Record<string, number> = {},
): number {
  return (decoding === 'greedy' ? report[`devBleuGreedy_${quantization}`] : undefined) ?? round2(record.devBleu);
}

/** Dev BLEU of the final weights stored as float32, float16 and uint8 (greedy), and with beam 4 as shipped. */
async function finalReport(ctx: Context, snapshot: Snapshot): Promise<Record<string, number>> {
  const report: Record<string, number> = {};
  const bleu = async (beam: number, quantization?: TrainConfig['quantization']) =>
    round2(
      (await measureBleu(ctx, await exportModel(ctx, snapshot, { status: 'evaluation', quantization }), beam)).bleu,
    );
  for (const q of ['float32', 'float16', 'uint8'] as const) report[`devBleuGreedy_${q}`] = await bleu(1, q);
  report.devBleuBeam4 = await bleu(4);
  log(`  final dev BLEU of epoch ${snapshot.epoch}: ${JSON.stringify(report)}`);
  return report;
}

async function checkpointNow(ctx: Context): Promise<void> {
  const state = await ctx.replicas.state();
  await saveCheckpoint(ctx.config.checkpoints, { progress: ctx.progress, ...state, best: ctx.best });
  log(`  checkpoint: ${ctx.config.checkpoints} (epoch ${ctx.progress.epoch}, step ${ctx.progress.step})`);
}

/** One line per epoch, redrawn in place on a terminal; a line every ~10% when logging to a file. */
class ProgressBar {
  private lastLogged = 0;
  private readonly start = Date.now();
  constructor(
    private readonly epoch: number,
    private readonly total: number,
    private readonly first: number,
  ) {}
  update(done: number, loss: number, pairsPerSecond: number): void {
    const frac = done / this.total;
    const eta = ((Date.now() - this.start) / 1000 / (done - this.first)) * (this.total - done);
    const line =
      `epoch ${this.epoch} [${'#'.repeat(Math.round(frac * 30)).padEnd(30, '.')}] ${(100 * frac).toFixed(0).padStart(3)}% ` +
      `loss ${loss.toFixed(3)} ${pairsPerSecond.toFixed(0)} pairs/s ETA ${formatSeconds(eta)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else if (done - this.lastLogged >= this.total / 10 || done === this.total) {
      this.lastLogged = done;
      log(line);
    }
  }
  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const formatSeconds = (s: number) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
const log = (msg: string) => console.error(msg);

runCli(USAGE, () => main(process.argv.slice(2)));
