// Training settings: one typed object with commented defaults. It is saved in the checkpoint and the manifest,
// and every CLI flag is checked against it (unknown flags and values of the wrong type are rejected).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { QUANTIZATIONS, type Quantization } from '../src/core/artifact.js';
import { UsageError } from './cli.js';
import type { Regularization } from './fast/loss.js';

export interface TrainConfig {
  data: string; // local corpus folder ("" = download small_parallel_enja from its public source and cache it)
  src: string; // source language suffix of the corpus files (train.<src>)
  tgt: string; // target language suffix
  out: string; // where the exported model goes ("" = model-artifacts/<src>-<tgt>)
  checkpoints: string; // checkpoint folder ("" = checkpoints/<src>-<tgt>)
  resume: boolean; // continue from the checkpoint in `checkpoints`
  init: string; // "" = random weights; an exported model folder = start from its weights and vocabularies (its first
  // model if an ensemble): fine-tuning, e.g. on the corpus it distilled (./distill.ts); its model settings must be these
  initMember: number; // with --init of an ensemble: 0 = its first model, N = its N-th member (manifest `ensemble`)
  limit: number; // use only the first N training pairs (0 = all); for tests and quick runs
  vocabSize: number; // per side, including the 4 special tokens; 4004 covers ~97% of corpus tokens
  bpeMerges: number; // 0 = whole words; N = subwords: N byte-pair merges per side learned from the training data
  minCount: number; // drop tokens seen fewer times than this
  maxLength: number; // longest sentence (in tokens) accepted at serving time and kept for training
  embeddingDim: number; // E, 128-512
  hiddenDim: number; // H, LSTM units on both sides, 128-512
  attention: boolean; // Luong "general" attention over encoder outputs
  bidirectional: boolean; // encoder: an LSTM of hiddenDim / 2 units each way, outputs and states concatenated
  tieEmbeddings: boolean; // output projection kernel = target embedding transposed (needs embeddingDim = hiddenDim)
  inputFeeding: boolean; // Luong input feeding: each decoder step also reads the previous step's attentional vector
  dropout: number; // on embeddings and before the output projection, 0-0.5
  labelSmoothing: number; // target distribution (1 - s) onehot + s / V, 0-0.2
  guidedAlignment: number; // weight of the attention's loss against the corpus's word alignment (0 = off; Marian 0.1-0.25)
  placeholderRate: number; // share of training pairs whose aligned names/numbers/rare words become placeholders (0 = off)
  formality: number; // en-ja: share of pairs whose source starts with its target's register tag (0 = off), e.g. 0.8
  learningRate: number; // Adam, 1e-3 to 3e-3 works for this model size
  lrDecay: number; // multiply the learning rate by this when dev loss stops improving
  clipNorm: number; // clip gradients to this global norm
  batchSize: number; // sentence pairs per optimizer step, split evenly across threads
  threads: number; // data-parallel worker threads (one per core)
  epochs: number; // upper bound on passes over the training data
  maxMinutes: number; // stop (checkpoint + export) after this much wall time (0 = no limit)
  maxSteps: number; // stop after this many optimizer steps (0 = no limit); for tests and benchmarks
  patience: number; // early stopping: epochs with neither a better dev BLEU nor a lower dev loss (./early-stop.ts)
  checkpointEvery: number; // save a checkpoint every N epochs (and always at the end / on Ctrl-C)
  evalBeam: number; // beam width for the per-epoch dev BLEU (1 = greedy)
  averageLast: number; // 0 = off, N >= 2: keep the last N epochs' weights and export their mean if it beats the best epoch on dev BLEU
  quantization: Quantization; // how exported weights are stored: float32, float16 or uint8
  seed: number; // shuffling seed
}

export const DEFAULTS: TrainConfig = {
  data: '',
  src: 'en',
  tgt: 'ja',
  out: '',
  checkpoints: '',
  resume: false,
  init: '',
  initMember: 0,
  limit: 0,
  vocabSize: 4004,
  bpeMerges: 0,
  minCount: 1,
  maxLength: 50,
  embeddingDim: 256,
  hiddenDim: 256,
  attention: true,
  bidirectional: false,
  tieEmbeddings: false,
  inputFeeding: false,
  dropout: 0.2,
  labelSmoothing: 0,
  guidedAlignment: 0,
  placeholderRate: 0,
  formality: 0,
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
  averageLast: 0,
  quantization: 'float16',
  seed: 1,
};

const KEYS = Object.keys(DEFAULTS) as (keyof TrainConfig)[];
const kebab = (key: string) => key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
const ENUMS: Partial<Record<keyof TrainConfig, readonly string[]>> = { quantization: QUANTIZATIONS };

/** Every flag parseArgs knows: `--hidden-dim N` per setting, plus `--no-attention` per boolean (Node 20 has no allowNegative). */
const FLAGS = new Map(KEYS.flatMap((key) => {
  const flags: [string, { key: keyof TrainConfig; negated: boolean }][] = [[kebab(key), { key, negated: false }]];
  if (typeof DEFAULTS[key] === 'boolean') flags.push([`no-${kebab(key)}`, { key, negated: true }]);
  return flags;
}));
const OPTIONS = Object.fromEntries([...FLAGS].map(([flag, { key }]) => [flag, { type: typeof DEFAULTS[key] === 'boolean' ? 'boolean' : 'string' } as const]));

/** `npm run train -- --help`: every setting as a flag, with its default. */
export const USAGE = `usage: npm run train -- [flags]\nflags (default in parentheses; see train/config.ts):\n${KEYS.map((key) => `  --${kebab(key)} (${JSON.stringify(DEFAULTS[key])})`).join('\n')}`;

/** Parses `--name value` (or `--name=value`), `--flag` and `--no-flag` into a config over `base`. */
export function parseFlags(argv: string[], base: TrainConfig = DEFAULTS): TrainConfig {
  // Not strict: parseArgs tokenizes, the checks below name the flag in our own words.
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const config: Record<string, unknown> = { ...base };
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`unexpected argument "${token.value}"`);
    if (token.kind === 'option-terminator') continue;
    const flag = FLAGS.get(token.name);
    if (!flag) throw new UsageError(`unknown flag ${token.rawName}`);
    config[flag.key] = flagValue(flag.key, flag.negated, token);
  }
  return resolveDefaults(config as unknown as TrainConfig);
}

type OptionToken = { rawName: string; value?: string; inlineValue?: boolean };

function flagValue(key: keyof TrainConfig, negated: boolean, { rawName: flag, value, inlineValue }: OptionToken): unknown {
  if (typeof DEFAULTS[key] === 'boolean') {
    if (value !== undefined) throw new UsageError(`${flag} takes no value (--${kebab(key)} or --no-${kebab(key)})`);
    return !negated;
  }
  // parseArgs takes the next argument as the value even when it is a flag, as in `--out --resume`.
  if (value === undefined || (!inlineValue && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
  if (typeof DEFAULTS[key] === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a non-negative number, got "${value}"`);
    return n;
  }
  const allowed = ENUMS[key];
  if (allowed && !allowed.includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value;
}

function resolveDefaults(c: TrainConfig): TrainConfig {
  const direction = `${c.src}-${c.tgt}`;
  for (const key of ['vocabSize', 'maxLength', 'embeddingDim', 'hiddenDim', 'batchSize', 'threads', 'epochs'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new UsageError(`--${kebab(key)} must be a positive integer`);
  }
  if (c.dropout >= 1) throw new UsageError('--dropout must be below 1');
  if (c.labelSmoothing >= 1) throw new UsageError('--label-smoothing must be below 1');
  if (c.placeholderRate > 1 || c.formality > 1) throw new UsageError('--placeholder-rate and --formality are shares, 0 to 1');
  if (c.formality > 0 && c.tgt !== 'ja') throw new UsageError('--formality tags the register of Japanese targets: it needs --tgt ja');
  if (c.guidedAlignment > 0 && !c.attention) throw new UsageError('--guided-alignment trains the attention: it needs attention');
  if (!Number.isInteger(c.initMember) || (c.initMember > 0 && !c.init)) throw new UsageError('--init-member is an integer and needs --init');
  if (!Number.isInteger(c.bpeMerges)) throw new UsageError('--bpe-merges must be an integer (0 = whole words)');
  if (!Number.isInteger(c.averageLast) || c.averageLast === 1) throw new UsageError('--average-last must be 0 (off) or an integer from 2 up');
  if (c.bidirectional && c.hiddenDim % 2 !== 0) throw new UsageError('--bidirectional needs an even --hidden-dim (half of it each way)');
  if (c.inputFeeding && !c.attention) throw new UsageError('--input-feeding needs attention (it feeds the attentional vector)');
  if (c.tieEmbeddings && c.embeddingDim !== c.hiddenDim) throw new UsageError('--tie-embeddings needs --embedding-dim equal to --hidden-dim');
  if (c.batchSize < c.threads) throw new UsageError('--batch-size must be at least --threads');
  return { ...c, out: c.out || `model-artifacts/${direction}`, checkpoints: c.checkpoints || `checkpoints/${direction}` };
}

/**
 * A config as a checkpoint stores it: DEFAULTS' keys with their types, nothing else. A setting the checkpoint
 * predates may be missing (resumeFlags gives it its default); the ranges are checked again when it is resumed.
 */
export const StoredConfig = z.strictObject(Object.fromEntries(KEYS.map((key) => [key, settingSchema(key).optional()]))) as unknown as z.ZodType<Partial<TrainConfig>>;

function settingSchema(key: keyof TrainConfig) {
  const allowed = ENUMS[key];
  if (allowed) return z.enum(allowed as readonly [string, ...string[]]);
  return { number: z.number().min(0), boolean: z.boolean(), string: z.string() }[typeof DEFAULTS[key] as 'number' | 'boolean' | 'string'];
}

/** The loss's regularization settings, as the replicas take them. */
export const regularization = ({ dropout, labelSmoothing, guidedAlignment }: TrainConfig): Regularization => ({ dropout, labelSmoothing, guidedAlignment });

/** What a resumed run may change: its limits, what it exports (quantization, averaging) and where files go; not the recipe. */
const RESUMABLE: (keyof TrainConfig)[] = ['resume', 'epochs', 'maxMinutes', 'maxSteps', 'patience', 'quantization', 'averageLast', 'data', 'out', 'checkpoints'];

/** The settings of a resumed run: the checkpoint's, with the flags given now applied over them. */
export function resumeFlags(argv: string[], saved: Partial<TrainConfig>): TrainConfig {
  const base = { ...DEFAULTS, ...saved }; // checkpoints from before a setting existed ran with its default
  const config = parseFlags(argv, base);
  const changed = KEYS.filter((k) => config[k] !== base[k] && !RESUMABLE.includes(k));
  if (changed.length) throw new UsageError(`--resume continues the checkpoint's run: ${changed.map((k) => `--${kebab(k)}`).join(', ')} cannot change (only ${RESUMABLE.map((k) => `--${kebab(k)}`).join(', ')})`);
  return config;
}

/** The command that reproduces `config`: every setting that differs from the defaults, as flags. */
export function commandLine(config: TrainConfig): string {
  // out/checkpoints default per direction, so they are compared with the defaults for this direction
  const resolved = { ...DEFAULTS, ...resolveDefaults({ ...DEFAULTS, src: config.src, tgt: config.tgt }), src: DEFAULTS.src, tgt: DEFAULTS.tgt };
  const flags = KEYS
    .filter((key) => key !== 'resume' && config[key] !== resolved[key])
    .map((key) => (typeof config[key] === 'boolean' ? `--${config[key] ? '' : 'no-'}${kebab(key)}` : `--${kebab(key)} ${config[key]}`));
  return ['npm run train --', ...flags].join(' ');
}
