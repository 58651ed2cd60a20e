// Training settings: each setting's default and what it means, side by side (SETTINGS), written once: the defaults
// are the recipe of the shipped models (docs/quality.md), and `npm run train -- --help` is made from them. The
// resolved config is saved in the checkpoint and the manifest; every flag is checked against SETTINGS (unknown flags
// and values of the wrong type are rejected).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { QUANTIZATIONS, type Quantization } from '../src/core/artifact.js';
import { usage, UsageError, type ToolFlag } from './cli.js';
import type { Regularization } from './fast/loss.js';
import { TAG_PLACEMENTS, type TagPlacement } from '../src/core/register.js';

/**
 * One setting: its default, what it means (its line of --help), the name of its value there, the values it may take
 * (if only some), and `absent`: the value that runs from before the setting existed had, when that is not its
 * default (a checkpoint without the setting resumes with it).
 */
interface Setting<T> {
  default: T;
  help: string;
  value?: string;
  choices?: readonly string[];
  absent?: T;
}

const setting = <T>(value: T, help: string, more: Omit<Setting<T>, 'default' | 'help'> = {}): Setting<T> => ({
  default: value,
  help,
  ...more,
});

const SETTINGS = {
  data: setting(
    '',
    'corpus folder with train.<src>, train.<tgt>, dev.<src>, dev.<tgt>; none: download small_parallel_enja and cache it',
    { value: 'DIR' },
  ),
  src: setting('en', 'source language: the suffix of the corpus files (train.<src>)', { value: 'LANG' }),
  tgt: setting('ja', 'target language suffix', { value: 'LANG' }),
  out: setting('', 'where the exported model goes; none: model-artifacts/<src>-<tgt>', { value: 'DIR' }),
  checkpoints: setting('', 'checkpoint folder; none: checkpoints/<src>-<tgt>', { value: 'DIR' }),
  resume: setting(false, 'continue the run whose checkpoint is in --checkpoints'),
  init: setting(
    '',
    "start from an exported model's weights and vocabularies (fine-tuning, e.g. on npm run distill's corpus); its model settings must be these; none: random weights",
    { value: 'DIR' },
  ),
  initMember: setting(0, 'with --init of an ensemble: 0 = its first model, N = its N-th member (manifest `ensemble`)'),
  limit: setting(0, 'use only the first N training pairs (0 = all); for tests and quick runs'),
  vocabSize: setting(4004, 'tokens a side, the 4 special ones included; 4004 covers ~97% of the corpus tokens'),
  bpeMerges: setting(0, 'subwords: N byte-pair merges a side, learned from the training data (0 = whole words)'),
  minCount: setting(1, 'drop tokens seen fewer times than this'),
  maxLength: setting(50, 'longest sentence in tokens, kept for training and accepted at serving time'),
  embeddingDim: setting(256, 'E, the embedding size, 128-512'),
  hiddenDim: setting(256, 'H, LSTM units on both sides, 128-512'),
  attention: setting(true, 'Luong "general" attention over the encoder outputs'),
  bidirectional: setting(false, 'encoder: an LSTM of H / 2 units each way, outputs and states concatenated'),
  tieEmbeddings: setting(false, 'output projection kernel = target embedding transposed (needs E = H)'),
  inputFeeding: setting(
    false,
    "Luong input feeding: each decoder step also reads the previous step's attentional vector",
  ),
  dropout: setting(0.3, 'on embeddings and before the output projection, 0-0.5'),
  labelSmoothing: setting(0.1, 'target distribution (1 - s) onehot + s / V, 0-0.2', { absent: 0 }),
  guidedAlignment: setting(
    0,
    "weight of the attention's loss against the corpus's word alignment (0 = off; Marian 0.1-0.25)",
  ),
  placeholderRate: setting(
    0,
    'share of training pairs whose aligned names/numbers/rare words become placeholders (0 = off)',
  ),
  unknownInsertRate: setting(
    0,
    'share of training pairs with an <unk> inserted before a random word and its aligned target token (0 = off)',
    { absent: 0 },
  ),
  formality: setting(0, "en-ja: share of pairs whose source carries its target's register tag (0 = off), e.g. 0.8"),
  registerTag: setting<TagPlacement>('around', 'where a source carries its register tag (around: docs/quality.md)', {
    choices: TAG_PLACEMENTS,
    absent: 'first',
  }),
  learningRate: setting(2e-3, 'Adam; 1e-3 to 3e-3 works for this model size'),
  lrDecay: setting(0.5, 'multiply the learning rate by this when dev loss stops improving'),
  clipNorm: setting(5, 'clip gradients to this global norm'),
  batchSize: setting(128, 'sentence pairs an optimizer step, split evenly across the threads'),
  threads: setting(2, 'data-parallel worker threads, one a core'),
  epochs: setting(30, 'at most this many passes over the training data'),
  maxMinutes: setting(0, 'stop (checkpoint + export) after this much wall time (0 = no limit)'),
  maxSteps: setting(0, 'stop after this many optimizer steps (0 = no limit); for tests and benchmarks'),
  patience: setting(3, 'early stopping: epochs with neither a better dev BLEU nor a lower dev loss'),
  checkpointEvery: setting(1, 'save a checkpoint every N epochs (and always at the end and on Ctrl-C)'),
  evalBeam: setting(1, 'beam width of the dev BLEU after each epoch (1 = greedy)'),
  averageLast: setting(
    3,
    "keep the last N epochs' weights and export their mean if it beats the best epoch on dev BLEU (0 = off)",
    { absent: 0 },
  ),
  quantization: setting<Quantization>('uint8', 'how the exported weights are stored', { choices: QUANTIZATIONS }),
  seed: setting(1, 'shuffling seed'),
};

/** The settings of a run, as the checkpoint and the manifest record them. */
export type TrainConfig = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]['default'] };

const KEYS = Object.keys(SETTINGS) as (keyof TrainConfig)[];
const settingOf = (key: keyof TrainConfig) => SETTINGS[key] as Setting<TrainConfig[keyof TrainConfig]>;
export const DEFAULTS = Object.fromEntries(KEYS.map((key) => [key, settingOf(key).default])) as TrainConfig;
/** What a checkpoint from before a setting existed ran with: its `absent` value, else its default. */
const BEFORE = {
  ...DEFAULTS,
  ...Object.fromEntries(
    KEYS.flatMap((key) => (settingOf(key).absent === undefined ? [] : [[key, settingOf(key).absent]])),
  ),
} as TrainConfig;
const kebab = (key: string) => key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

/** Every flag parseArgs knows: `--hidden-dim N` per setting, plus `--no-attention` per boolean (Node 20 has no allowNegative). */
const FLAGS = new Map(
  KEYS.flatMap((key) => {
    const flags: [string, { key: keyof TrainConfig; negated: boolean }][] = [[kebab(key), { key, negated: false }]];
    if (typeof DEFAULTS[key] === 'boolean') flags.push([`no-${kebab(key)}`, { key, negated: true }]);
    return flags;
  }),
);
const OPTIONS = Object.fromEntries(
  [...FLAGS].map(([flag, { key }]) => [
    flag,
    { type: typeof DEFAULTS[key] === 'boolean' ? 'boolean' : 'string' } as const,
  ]),
);

/** `npm run train -- --help`: every setting as a flag, with what it means and its default. */
export const USAGE = usage('npm run train -- [flags]', Object.fromEntries(KEYS.map((key) => flagHelp(key))), [
  "  The defaults are the shipped models' recipe; docs/training.md says more.",
]);

function flagHelp(key: keyof TrainConfig): [string, ToolFlag] {
  const { default: value, help, value: name, choices } = settingOf(key);
  if (typeof value === 'boolean') return [`[no-]${kebab(key)}`, { help, default: value ? 'on' : 'off' }];
  if (choices)
    return [kebab(key), { value: name ?? 'TYPE', help: `${help}: ${choices.join(', ')}`, default: value as string }];
  return [kebab(key), { value: name ?? 'N', help, default: value === '' ? 'none' : value }];
}

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

function flagValue(
  key: keyof TrainConfig,
  negated: boolean,
  { rawName: flag, value, inlineValue }: OptionToken,
): unknown {
  if (typeof DEFAULTS[key] === 'boolean') {
    if (value !== undefined) throw new UsageError(`${flag} takes no value (--${kebab(key)} or --no-${kebab(key)})`);
    return !negated;
  }
  // parseArgs takes the next argument as the value even when it is a flag, as in `--out --resume`.
  if (value === undefined || (!inlineValue && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
  if (typeof DEFAULTS[key] === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new UsageError(`${flag} must be a non-negative number, got "${value}"`);
    return n;
  }
  const allowed = settingOf(key).choices;
  if (allowed && !allowed.includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value;
}

function resolveDefaults(c: TrainConfig): TrainConfig {
  const direction = `${c.src}-${c.tgt}`;
  for (const key of [
    'vocabSize',
    'maxLength',
    'embeddingDim',
    'hiddenDim',
    'batchSize',
    'threads',
    'epochs',
  ] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new UsageError(`--${kebab(key)} must be a positive integer`);
  }
  if (c.dropout >= 1) throw new UsageError('--dropout must be below 1');
  if (c.labelSmoothing >= 1) throw new UsageError('--label-smoothing must be below 1');
  if (c.placeholderRate > 1 || c.unknownInsertRate > 1 || c.formality > 1)
    throw new UsageError('--placeholder-rate, --unknown-insert-rate and --formality are shares, 0 to 1');
  if (c.formality > 0 && c.tgt !== 'ja')
    throw new UsageError('--formality tags the register of Japanese targets: it needs --tgt ja');
  if (c.guidedAlignment > 0 && !c.attention)
    throw new UsageError('--guided-alignment trains the attention: it needs attention');
  if (!Number.isInteger(c.initMember) || (c.initMember > 0 && !c.init))
    throw new UsageError('--init-member is an integer and needs --init');
  if (!Number.isInteger(c.bpeMerges)) throw new UsageError('--bpe-merges must be an integer (0 = whole words)');
  if (!Number.isInteger(c.averageLast) || c.averageLast === 1)
    throw new UsageError('--average-last must be 0 (off) or an integer from 2 up');
  if (c.bidirectional && c.hiddenDim % 2 !== 0)
    throw new UsageError('--bidirectional needs an even --hidden-dim (half of it each way)');
  if (c.inputFeeding && !c.attention)
    throw new UsageError('--input-feeding needs attention (it feeds the attentional vector)');
  if (c.tieEmbeddings && c.embeddingDim !== c.hiddenDim)
    throw new UsageError('--tie-embeddings needs --embedding-dim equal to --hidden-dim');
  if (c.batchSize < c.threads) throw new UsageError('--batch-size must be at least --threads');
  return {
    ...c,
    out: c.out || `model-artifacts/${direction}`,
    checkpoints: c.checkpoints || `checkpoints/${direction}`,
  };
}

/**
 * A config as a checkpoint stores it: DEFAULTS' keys with their types, nothing else. A setting the checkpoint
 * predates may be missing (resumeFlags gives it the value runs had before it); the ranges are checked again when it
 * is resumed.
 */
export const StoredConfig = z.strictObject(
  Object.fromEntries(KEYS.map((key) => [key, settingSchema(key).optional()])),
) as unknown as z.ZodType<Partial<TrainConfig>>;

function settingSchema(key: keyof TrainConfig) {
  const allowed = settingOf(key).choices;
  if (allowed) return z.enum(allowed as readonly [string, ...string[]]);
  return { number: z.number().min(0), boolean: z.boolean(), string: z.string() }[
    typeof DEFAULTS[key] as 'number' | 'boolean' | 'string'
  ];
}

/** The loss's regularization settings, as the replicas take them. */
export const regularization = ({ dropout, labelSmoothing, guidedAlignment }: TrainConfig): Regularization => ({
  dropout,
  labelSmoothing,
  guidedAlignment,
});

/** What a resumed run may change: its limits, what it exports (quantization, averaging) and where files go; not the recipe. */
const RESUMABLE: (keyof TrainConfig)[] = [
  'resume',
  'epochs',
  'maxMinutes',
  'maxSteps',
  'patience',
  'quantization',
  'averageLast',
  'data',
  'out',
  'checkpoints',
];

/** The settings of a resumed run: the checkpoint's, with the flags given now applied over them. */
export function resumeFlags(argv: string[], saved: Partial<TrainConfig>): TrainConfig {
  const base = { ...BEFORE, ...saved };
  const config = parseFlags(argv, base);
  const changed = KEYS.filter((k) => config[k] !== base[k] && !RESUMABLE.includes(k));
  if (changed.length)
    throw new UsageError(
      `--resume continues the checkpoint's run: ${changed.map((k) => `--${kebab(k)}`).join(', ')} cannot change (only ${RESUMABLE.map((k) => `--${kebab(k)}`).join(', ')})`,
    );
  return config;
}

/** The command that reproduces `config`: every setting that differs from the defaults, as flags. */
export function commandLine(config: TrainConfig): string {
  // out/checkpoints default per direction, so they are compared with the defaults for this direction
  const resolved = {
    ...DEFAULTS,
    ...resolveDefaults({ ...DEFAULTS, src: config.src, tgt: config.tgt }),
    src: DEFAULTS.src,
    tgt: DEFAULTS.tgt,
  };
  const flags = KEYS.filter((key) => key !== 'resume' && config[key] !== resolved[key]).map((key) =>
    typeof config[key] === 'boolean' ? `--${config[key] ? '' : 'no-'}${kebab(key)}` : `--${kebab(key)} ${config[key]}`,
  );
  return ['npm run train --', ...flags].join(' ');
}
