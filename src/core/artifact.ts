// The artifact contract: what `train/` writes into model-artifacts/<direction>/ (and R2), what the Worker and the
// page read. One zod schema, the TypeScript types inferred from it, shared by every side so they cannot drift.
import { z } from 'zod';
import { TAG_PLACEMENTS } from './register.js';

export const MANIFEST_FORMAT = 1;

/** Ids of the special tokens; identical on both sides (they are the first 4 lines of each vocab file). */
export const SPECIAL_TOKENS: SpecialTokens = { pad: 0, unk: 1, start: 2, end: 3 };
export const SPECIAL_TOKEN_TEXT = ['<pad>', '<unk>', '<s>', '</s>'] as const;

/** Paths of the two layers models inside an artifact. */
export const ENCODER_JSON = 'encoder/model.json';
export const DECODER_JSON = 'decoder/model.json';

export const QUANTIZATIONS = ['float32', 'float16', 'uint8'] as const;

const positive = z.int().min(1);
const name = z.string().min(1);

const SideConfig = z.object({
  lang: name, // "en" | "ja"
  tokenizer: name, // name of the tokenizer in ./tokenize (e.g. "english", "japanese-spaced")
  vocab: name, // file name, one token a line, line number = id
  maxLength: positive, // longest token sequence accepted/produced (without start/end)
  subwords: name.optional(), // file name of byte-pair merges (./tokenize/subwords.ts): the tokenizer's words are
  // read and written as the pieces they make, and vocab and maxLength count pieces (absent: whole words)
  registerTag: z.enum(TAG_PLACEMENTS).optional(), // a source side with register tags: where they go (./register.ts; absent: first)
});

/** Architecture hyper-parameters: enough to rebuild the model (see train/model.ts). */
const ModelConfig = z.object({
  sourceVocabSize: positive, // incl. the 4 special tokens
  targetVocabSize: positive,
  embeddingDim: positive, // E
  hiddenDim: positive, // H, LSTM units on both sides
  attention: z.boolean(), // Luong "general" attention over encoder outputs
  bidirectional: z.boolean().optional(), // the encoder reads both ways: two LSTMs of H / 2 units, outputs and states
  // concatenated [forward; backward] (absent: one left-to-right LSTM of H units)
  inputFeeding: z.boolean().optional(), // Luong input feeding (needs attention): the decoder LSTM reads
  // [embedding; previous step's attentional vector], its kernel [E + H, 4H] (absent: the embedding alone)
  tiedEmbeddings: z.boolean().optional(), // trained with the output projection tied to the target embedding
  // (kernel = embedding^T, E = H); the artifact stores the kernel as usual, so inference needs nothing of it
});

/** One epoch of a training run, as train/train.ts records it. */
export const EpochRecordSchema = z.object({
  epoch: positive,
  trainLoss: z.number(),
  devLoss: z.number(),
  devBleu: z.number(),
  learningRate: z.number(),
  pairsPerSecond: z.number(),
  seconds: z.number(), // wall time of this epoch, training + evaluation
});

/** How the model was trained: enough to reproduce the run (train/train.ts writes it; tests' models may omit it). */
const Training = z.looseObject({
  command: z.string().optional(), // the npm run train command that reproduces the run
  sessions: z.int().optional(), // 1 + resumes
  status: z.string().optional(), // why training stopped
  config: z.record(z.string(), z.unknown()).optional(), // train/config.ts's TrainConfig
  data: z.record(z.string(), z.object({ sha256: z.string(), lines: z.int() })).optional(),
  epochs: z.int().optional(),
  weightsFromEpoch: z.int().nullable().optional(),
  weightsAveragedOverEpochs: z.array(positive).optional(), // --average-last: the epochs whose mean was exported
  steps: z.int().optional(),
  wallTimeSeconds: z.number().optional(),
  pairsPerSecond: z.number().nullable().optional(),
  machine: z.string().optional(),
  history: z.array(EpochRecordSchema).optional(),
});

/** Headline metrics of the shipped weights on dev (train/train.ts's final report). */
const Metrics = z.object({
  devBleu: z.number().optional(), // of the weights as stored, with devBleuDecoding
  devBleuDecoding: z.string().optional(), // "greedy" or "beam<k>"
  devLoss: z.number().optional(),
  devBleuGreedy_float32: z.number().optional(), // the same weights stored three ways
  devBleuGreedy_float16: z.number().optional(),
  devBleuGreedy_uint8: z.number().optional(),
  devBleuBeam4: z.number().optional(),
  devBleuAveraged: z.number().optional(), // --average-last: the mean of the last epochs' weights (devBleuDecoding)
  ensembleDevBleuGreedy: z.number().optional(), // with `ensemble` members: the artifact's models decoding together
  ensembleDevBleuBeam4: z.number().optional(),
});

const StoredModelConfig = ModelConfig.extend({ parameters: z.int().min(0), quantization: z.enum(QUANTIZATIONS) });

/**
 * A further model an artifact decodes with (train/ensemble.ts): trained on its own (its record here), with the
 * artifact's vocabularies, its weights beside the artifact's own. Each decoder step takes the mean of every
 * model's log-probabilities.
 */
const EnsembleMember = z.object({
  version: name, // its version as an artifact of its own
  encoder: name, // the paths of its two layers models (model.json), listed in `files` with their weights
  decoder: name,
  model: StoredModelConfig,
  training: Training,
  metrics: Metrics, // its own, decoding alone
});

/**
 * A lexical shortlist (./shortlist.ts): per source token, its likely target tokens, so that a decoder step scores a
 * few hundred candidates instead of the whole target vocabulary. Optional: without one, every step scores all.
 */
const ShortlistConfig = z.object({
  file: name, // uint16 [sourceVocabSize, perSource] target ids, listed in `files` like every file
  perSource: positive, // candidates kept per source token, best first by IBM Model 1 p(target | source)
  frequent: z.int().min(0), // the most frequent target tokens, candidates of every sentence
  normalizing: z.int().min(0), // the most frequent target tokens every sentence's softmax includes (>= frequent)
  method: z.string().optional(), // how it was computed, e.g. "IBM Model 1, 5 EM iterations"
  data: z.record(z.string(), z.object({ sha256: z.string(), lines: z.int() })).optional(), // the corpus files read
});

const FileEntry = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex sha256'),
  bytes: z.int().min(0),
});

export const ManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    direction: name, // "en-ja"
    version: name, // unique id of this export, e.g. "20261128T0130Z-3f2a9c1d"
    createdAt: name, // ISO time
    source: SideConfig,
    target: SideConfig,
    specialTokens: z.object({ pad: z.int(), unk: z.int(), start: z.int(), end: z.int() }),
    model: StoredModelConfig,
    training: Training,
    metrics: Metrics,
    shortlist: ShortlistConfig.optional(),
    ensemble: z.array(EnsembleMember).optional(),
    ensembleLengthPenalty: z.number().min(0).max(2).optional(), // the beam's length exponent chosen on dev for the
    // ensemble (train/ensemble.ts); absent, or decoding with the first model alone: the service's LENGTH_ALPHA
    /** Every other file of the artifact (paths relative to the artifact root) with its sha256 and size. */
    files: z.record(z.string(), FileEntry),
  })
  .superRefine((m, ctx) => {
    const sides = [m.source, m.target].flatMap((s) => [s.vocab, ...(s.subwords ? [s.subwords] : [])]);
    const members = (m.ensemble ?? []).flatMap((member) => [member.encoder, member.decoder]);
    for (const path of [ENCODER_JSON, DECODER_JSON, ...sides, ...(m.shortlist ? [m.shortlist.file] : []), ...members]) {
      if (!Object.hasOwn(m.files, path))
        ctx.addIssue({ code: 'custom', path: ['files', path], message: 'must be listed' });
    }
    m.ensemble?.forEach((member, i) => {
      const sizes = (c: ModelConfig) => [c.sourceVocabSize, c.targetVocabSize].join();
      if (sizes(member.model) !== sizes(m.model))
        ctx.addIssue({
          code: 'custom',
          path: ['ensemble', i, 'model'],
          message: "must have the artifact's vocabulary sizes",
        });
    });
  });

export type Manifest = z.infer<typeof ManifestSchema>;
export type SideConfig = z.infer<typeof SideConfig>;
export type ModelConfig = z.infer<typeof ModelConfig>;
export type ShortlistConfig = z.infer<typeof ShortlistConfig>;
export type EnsembleMember = z.infer<typeof EnsembleMember>;
export type EpochRecord = z.infer<typeof EpochRecordSchema>;
export type Quantization = (typeof QUANTIZATIONS)[number];
export type SpecialTokens = Manifest['specialTokens'];

/** An artifact that cannot be used: a bad manifest, a missing or altered file, weights that do not fit the model. */
export class ArtifactError extends Error {}

/** A parsed manifest.json, checked; ArtifactError naming the first bad field otherwise. */
export function validateManifest(value: unknown): Manifest {
  const parsed = ManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
  throw new ArtifactError(`manifest.json: "${field}" ${issue?.message ?? 'is invalid'}`);
}
