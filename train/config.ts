// Training settings: one typed object with commented defaults. It is saved in the checkpoint and the manifest,
// and every CLI flag is checked against it (unknown flags and values of the wrong type are rejected).
import type { Regularization } from './fast/loss.js';

export interface TrainConfig {
  data: string; // local corpus folder ("" = download small_parallel_enja from its public source and cache it)
  src: string; // source language suffix of the corpus files (train.<src>)
  tgt: string; // target language suffix
  out: string; // where the exported model goes ("" = model-artifacts/<src>-<tgt>)
  checkpoints: string; // checkpoint folder ("" = checkpoints/<src>-<tgt>)
  resume: boolean; // continue from the checkpoint in `checkpoints`
  limit: number; // use only the first N training pairs (0 = all); for tests and quick runs
  vocabSize: number; // per side, including the 4 special tokens; 4004 covers ~97% of corpus tokens
  minCount: number; // drop tokens seen fewer times than this
  maxLength: number; // longest sentence (in tokens) accepted at serving time and kept for training
  embeddingDim: number; // E, 128-512
  hiddenDim: number; // H, LSTM units on both sides, 128-512
  attention: boolean; // Luong "general" attention over encoder outputs
  dropout: number; // on embeddings and before the output projection, 0-0.5
  labelSmoothing: number; // target distribution (1 - s) onehot + s / V, 0-0.2
  learningRate: number; // Adam, 1e-3 to 3e-3 works for this model size
  lrDecay: number; // multiply the learning rate by this when dev loss stops improving
  clipNorm: number; // clip gradients to this global norm
  batchSize: number; // sentence pairs per optimizer step, split evenly across threads
  threads: number; // data-parallel worker threads (one per core)
  epochs: number; // upper bound on passes over the training data
  maxMinutes: number; // stop (checkpoint + export) after this much wall time (0 = no limit)
  maxSteps: number; // stop after this many optimizer steps (0 = no limit); for tests and benchmarks
  patience: number; // early stopping: epochs without a better dev BLEU before stopping
  checkpointEvery: number; // save a checkpoint every N epochs (and always at the end / on Ctrl-C)
  evalBeam: number; // beam width for the per-epoch dev BLEU (1 = greedy)
  quantization: 'float32' | 'float16' | 'uint8'; // how exported weights are stored
  seed: number; // shuffling seed
}

export const DEFAULTS: TrainConfig = {
  data: '',
  src: 'en',
  tgt: 'ja',
  out: '',
  checkpoints: '',
  resume: false,
  limit: 0,
  vocabSize: 4004,
  minCount: 1,
  maxLength: 50,
  embeddingDim: 256,
  hiddenDim: 256,
  attention: true,
  dropout: 0.2,
  labelSmoothing: 0,
  learningRate: 2e-3,
  lrDecay: 0.5,
  clipNorm: 5,
  batchSize: 128,
  threads: 2,
  epochs: 30,
  maxMinutes: 0,
  maxSteps: 0,
  patience: 3,
  checkpointEvery: 1,
  evalBeam: 1,
  quantization: 'float16',
  seed: 1,
};

export class UsageError extends Error {}

const ENUMS: Partial<Record<keyof TrainConfig, readonly string[]>> = { quantization: ['float32', 'float16', 'uint8'] };

/** Parses `--name value`, `--flag` and `--no-flag` into a config over `base`. */
export function parseFlags(argv: string[], base: TrainConfig = DEFAULTS): TrainConfig {
  const config: Record<string, unknown> = { ...base };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const negated = arg.startsWith('--no-');
    const key = camel(arg.slice(negated ? 5 : 2)) as keyof TrainConfig;
    if (!(key in DEFAULTS)) throw new UsageError(`unknown flag ${arg}`);
    const kind = typeof DEFAULTS[key];
    if (kind === 'boolean') {
      config[key] = !negated;
      continue;
    }
    const value = argv[++i];
    if (negated || value === undefined) throw new UsageError(`${arg} needs a value`);
    if (kind === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${arg} must be a non-negative number, got "${value}"`);
      config[key] = n;
    } else {
      const allowed = ENUMS[key];
      if (allowed && !allowed.includes(value)) throw new UsageError(`${arg} must be one of ${allowed.join(', ')}, got "${value}"`);
      config[key] = value;
    }
  }
  return resolveDefaults(config as unknown as TrainConfig);
}

function resolveDefaults(c: TrainConfig): TrainConfig {
  const direction = `${c.src}-${c.tgt}`;
  for (const key of ['vocabSize', 'maxLength', 'embeddingDim', 'hiddenDim', 'batchSize', 'threads', 'epochs'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new UsageError(`--${kebab(key)} must be a positive integer`);
  }
  if (c.dropout >= 1) throw new UsageError('--dropout must be below 1');
  if (c.labelSmoothing >= 1) throw new UsageError('--label-smoothing must be below 1');
  if (c.batchSize < c.threads) throw new UsageError('--batch-size must be at least --threads');
  return { ...c, out: c.out || `model-artifacts/${direction}`, checkpoints: c.checkpoints || `checkpoints/${direction}` };
}

/** The loss's regularization settings, as the replicas take them. */
export const regularization = ({ dropout, labelSmoothing }: TrainConfig): Regularization => ({ dropout, labelSmoothing });

/** What a resumed run may change: its limits, the export's quantization and where files go; not the recipe. */
const RESUMABLE: (keyof TrainConfig)[] = ['resume', 'epochs', 'maxMinutes', 'maxSteps', 'patience', 'quantization', 'data', 'out', 'checkpoints'];

/** The settings of a resumed run: the checkpoint's, with the flags given now applied over them. */
export function resumeFlags(argv: string[], saved: TrainConfig): TrainConfig {
  const base = { ...DEFAULTS, ...saved }; // checkpoints from before a setting existed ran with its default
  const config = parseFlags(argv, base);
  const changed = (Object.keys(DEFAULTS) as (keyof TrainConfig)[]).filter((k) => config[k] !== base[k] && !RESUMABLE.includes(k));
  if (changed.length) throw new UsageError(`--resume continues the checkpoint's run: ${changed.map((k) => `--${kebab(k)}`).join(', ')} cannot change (only ${RESUMABLE.map((k) => `--${kebab(k)}`).join(', ')})`);
  return config;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
const kebab = (s: string) => s.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

/** The command that reproduces `config`: every setting that differs from the defaults, as flags. */
export function commandLine(config: TrainConfig): string {
  // out/checkpoints default per direction, so they are compared with the defaults for this direction
  const resolved = { ...DEFAULTS, ...resolveDefaults({ ...DEFAULTS, src: config.src, tgt: config.tgt }), src: DEFAULTS.src, tgt: DEFAULTS.tgt };
  const flags = (Object.keys(DEFAULTS) as (keyof TrainConfig)[])
    .filter((key) => key !== 'resume' && config[key] !== resolved[key])
    .map((key) => (typeof config[key] === 'boolean' ? `--${config[key] ? '' : 'no-'}${kebab(key)}` : `--${kebab(key)} ${config[key]}`));
  return ['npm run train --', ...flags].join(' ');
}
