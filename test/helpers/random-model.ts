// Small random seq2seq models for tests and benchmarks: seeded weights, and the in-memory artifact the exporter
// makes of them (manifest + files with their sha256s), as the Worker would read it from R2.
import * as tf from '@tensorflow/tfjs';
import { SPECIAL_TOKEN_TEXT, type Manifest, type ModelConfig, type Quantization } from '../../src/core/artifact.js';
import { tokenizeJapanese } from '../../src/core/tokenize/japanese.js';
import { characters, Subwords } from '../../src/core/tokenize/subwords.js';
import { REGISTER_TAGS } from '../../src/core/register.js';
import { Vocab } from '../../src/core/vocab.js';
import { exportArtifacts } from '../../train/export.js';
import { buildSeq2Seq, type Seq2Seq } from '../../train/model.js';
import { skipCpuAdvert } from '../../train/cpu-advert.js';
import { seededRandom } from '../../train/random.js';

export interface RandomModelOptions {
  config: ModelConfig;
  seed?: number; // same seed, same weights
  scale?: number; // weights uniform in [-scale, scale]; larger gives peakier distributions
  sourceMaxLength?: number;
  targetMaxLength?: number;
  quantization?: Quantization; // float16 / uint8: stored quantized, decoded by tfjs on load
  direction?: 'en-ja' | 'ja-en'; // which tokenizers the manifest names (default en-ja)
  subwords?: boolean; // en-ja only: both sides read as SUBWORD_PIECES (letters, and one merge), not as words
  registers?: boolean; // en-ja only: the source vocabulary's last two tokens are the register tags (src/core/register.ts)
}

/**
 * The pieces of a subword test model, before any filler words: every lowercase letter, whole and continued, and
 * the one merge "a@@ b" (so "cab" is read as "c@@ ab"). Any word of lowercase letters is read without <unk>.
 */
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
export const SUBWORD_PIECES = [...LETTERS, ...LETTERS.map((ch) => characters(ch + ch)[0]), 'ab'];
export const SUBWORD_MERGES = new Subwords([['a@@', 'b']]);

export interface RandomArtifact {
  seq2seq: Seq2Seq;
  manifest: Manifest;
  files: Record<string, Uint8Array>;
  sourceWords: string[]; // the non-special tokens, by id - 4
  targetWords: string[];
  sourceText: string; // a text the model reads without unknown words
}

/** The small model most unit tests build at random: 40 source and 50 target tokens, E = H = 8, with attention. */
export const SMALL_CONFIG: ModelConfig = {
  sourceVocabSize: 40,
  targetVocabSize: 50,
  embeddingDim: 8,
  hiddenDim: 8,
  attention: true,
};

/** Raw Japanese whose TinySegmenter tokens make up the start of a ja-en random model's source vocabulary. */
export const JAPANESE_SAMPLE = '私は学生です。猫が好きです。';

export function randomSeq2Seq(config: ModelConfig, seed = 1, scale = 0.3): Seq2Seq {
  const model = buildSeq2Seq(config);
  const random = seededRandom(seed);
  for (const w of model.weights) {
    const { shape, size } = w.read();
    const values = Float32Array.from({ length: size }, () => (2 * random() - 1) * scale);
    tf.tidy(() => {
      w.write(tf.tensor(values, shape));
    });
  }
  return model;
}

/** Distinct lowercase words ("wa", "wb", ...) that the english and japanese-spaced tokenizers keep whole. */
export function words(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => 'w' + [...i.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join(''),
  );
}

export async function randomArtifact(options: RandomModelOptions): Promise<RandomArtifact> {
  const {
    config,
    seed = 1,
    scale = 0.3,
    sourceMaxLength = 20,
    targetMaxLength = 20,
    quantization = 'float32',
    direction = 'en-ja',
    subwords = false,
    registers = false,
  } = options;
  await tf.ready(); // built on whatever backend is set, often tfjs's default cpu, whose tfjs-node advert is noise
  skipCpuAdvert();
  const seq2seq = randomSeq2Seq(config, seed, scale);
  const specials = SPECIAL_TOKEN_TEXT.length;
  const japanese = [...new Set(tokenizeJapanese(JAPANESE_SAMPLE))];
  const pieces = (n: number) => [...SUBWORD_PIECES, ...words(n - SUBWORD_PIECES.length)];
  const tags = registers ? [REGISTER_TAGS.polite, REGISTER_TAGS.plain] : [];
  const sourceWords = subwords
    ? pieces(config.sourceVocabSize - specials)
    : direction === 'en-ja'
      ? [...words(config.sourceVocabSize - specials - tags.length), ...tags]
      : [...japanese, ...words(config.sourceVocabSize - specials - japanese.length)];
  const targetWords = subwords
    ? pieces(config.targetVocabSize - specials)
    : words(config.targetVocabSize - specials).map((w) => (direction === 'en-ja' ? w.toUpperCase() : w));
  const sourceText = subwords ? 'cab bad' : direction === 'en-ja' ? sourceWords.slice(0, 4).join(' ') : JAPANESE_SAMPLE;
  const vocabulary = (tokens: string[]) => Vocab.parse([...SPECIAL_TOKEN_TEXT, ...tokens].join('\n'));
  const sides = {
    en: { lang: 'en', tokenizer: 'english', vocab: 'vocab.en.txt' },
    ja: { lang: 'ja', tokenizer: direction === 'en-ja' ? 'japanese-spaced' : 'japanese', vocab: 'vocab.ja.txt' },
  };
  const [src, tgt] = direction === 'en-ja' ? [sides.en, sides.ja] : [sides.ja, sides.en];
  const { manifest, files } = await exportArtifacts({
    model: seq2seq,
    source: {
      ...src,
      maxLength: sourceMaxLength,
      vocabulary: vocabulary(sourceWords),
      ...(subwords && { subwords: `subwords.${src.lang}.txt`, merges: SUBWORD_MERGES }),
    },
    target: {
      ...tgt,
      maxLength: targetMaxLength,
      vocabulary: vocabulary(targetWords),
      ...(subwords && { subwords: `subwords.${tgt.lang}.txt`, merges: SUBWORD_MERGES }),
    },
    quantization,
    training: { seed },
    metrics: {},
  });
  return { seq2seq, manifest, files, sourceWords, targetWords, sourceText };
}
