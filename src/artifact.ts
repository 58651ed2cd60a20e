// The artifact contract: what `train/` writes into model-artifacts/<direction>/ (and R2), what the Worker reads.
// One type, one validator, shared by both sides so they cannot drift.

export const MANIFEST_FORMAT = 1;

/** Architecture hyper-parameters: enough to rebuild the model (see train/model.ts). */
export interface ModelConfig {
  sourceVocabSize: number; // incl. the 4 special tokens
  targetVocabSize: number;
  embeddingDim: number; // E
  hiddenDim: number; // H, LSTM units on both sides
  attention: boolean; // Luong "general" attention over encoder outputs
}

/** Ids of the special tokens; identical on both sides (they are the first 4 lines of each vocab file). */
export interface SpecialTokens {
  pad: number;
  unk: number;
  start: number;
  end: number;
}

export const SPECIAL_TOKENS: SpecialTokens = { pad: 0, unk: 1, start: 2, end: 3 };
export const SPECIAL_TOKEN_TEXT = ['<pad>', '<unk>', '<s>', '</s>'] as const;

export interface SideConfig {
  lang: string; // "en" | "ja"
  tokenizer: string; // name of the tokenizer in src/tokenize (e.g. "english", "japanese-spaced")
  vocab: string; // file name, one token a line, line number = id
  maxLength: number; // longest token sequence accepted/produced (without start/end)
}

export interface FileEntry {
  sha256: string; // hex
  bytes: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  direction: string; // "en-ja"
  version: string; // unique id of this export, e.g. "20261128T0130Z-3f2a9c1d"
  createdAt: string; // ISO time
  source: SideConfig;
  target: SideConfig;
  specialTokens: SpecialTokens;
  model: ModelConfig & { parameters: number; quantization: 'float32' | 'float16' | 'uint8' };
  /** Free-form record of how the model was trained: command, data hashes, epochs, time, history. */
  training: Record<string, unknown>;
  /** Headline metrics, e.g. { devBleu: 31.2, devBleuDecoding: "beam4" }. */
  metrics: Record<string, number | string>;
  /** Every other file of the artifact (paths relative to the artifact root) with its sha256 and size. */
  files: Record<string, FileEntry>;
}

/** Paths of the two layers models inside an artifact. */
export const ENCODER_JSON = 'encoder/model.json';
export const DECODER_JSON = 'decoder/model.json';

export class ManifestError extends Error {}

/** Checks the shape of a parsed manifest.json; throws ManifestError naming the first bad field. */
export function validateManifest(value: unknown): Manifest {
  const m = value as any; // checked field by field below
  const fail = (field: string, want: string): never => {
    throw new ManifestError(`manifest.json: "${field}" must be ${want}`);
  };
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('(root)', 'an object');
  if (m.format !== MANIFEST_FORMAT) fail('format', String(MANIFEST_FORMAT));
  for (const key of ['direction', 'version', 'createdAt'] as const) {
    if (typeof m[key] !== 'string' || m[key] === '') fail(key, 'a non-empty string');
  }
  for (const side of ['source', 'target'] as const) {
    const s = m[side];
    if (typeof s !== 'object' || s === null) fail(side, 'an object');
    for (const key of ['lang', 'tokenizer', 'vocab'] as const) {
      if (typeof s[key] !== 'string' || s[key] === '') fail(`${side}.${key}`, 'a non-empty string');
    }
    if (!Number.isInteger(s.maxLength) || s.maxLength < 1) fail(`${side}.maxLength`, 'a positive integer');
  }
  const st = m.specialTokens;
  for (const key of ['pad', 'unk', 'start', 'end'] as const) {
    if (!Number.isInteger(st?.[key])) fail(`specialTokens.${key}`, 'an integer');
  }
  const model = m.model;
  for (const key of ['sourceVocabSize', 'targetVocabSize', 'embeddingDim', 'hiddenDim'] as const) {
    if (!Number.isInteger(model?.[key]) || model[key] < 1) fail(`model.${key}`, 'a positive integer');
  }
  if (typeof model.attention !== 'boolean') fail('model.attention', 'a boolean');
  if (typeof m.files !== 'object' || m.files === null) fail('files', 'an object');
  for (const [path, entry] of Object.entries(m.files as Record<string, any>)) {
    if (typeof entry?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) fail(`files["${path}"].sha256`, 'a hex sha256');
    if (!Number.isInteger(entry.bytes) || entry.bytes < 0) fail(`files["${path}"].bytes`, 'a byte count');
  }
  for (const path of [ENCODER_JSON, DECODER_JSON, m.source.vocab, m.target.vocab]) {
    if (!(path in m.files)) fail(`files["${path}"]`, 'listed');
  }
  return m as Manifest;
}
