// A model's two sides as text meets them (./translator.ts runs the model between them): each side's vocabulary,
// tokenizer and subword pieces (readSide); a text prepared as the model's source (prepareSource: its words, ids, the
// words it cannot read, its output budget); and an output's ids back as target words (outputWords: <unk> replaced,
// subword pieces joined, the attention rows made rows of words).
import { ArtifactError, type Manifest } from './artifact.js';
import { replaceUnknown, rowsByWord } from './align.js';
import { maxOutputLength, type Hypothesis } from './decode.js';
import { file } from './model/load.js';
import { PLACEHOLDER } from './placeholders.js';
import { REGISTER_TAGS, withoutTagColumns, withRegisterTag, type Register, type TagPlacement } from './register.js';
import { getTokenizer, type Tokenizer } from './tokenize/index.js';
import { asPieces, joinPieces, Subwords } from './tokenize/subwords.js';
import { TranslateInputError } from './translation.js';
import { Vocab } from './vocab.js';

export interface Side {
  vocab: Vocab;
  tokenizer: Tokenizer;
  subwords?: Subwords; // the model reads and writes these pieces of the tokenizer's words (manifest side.subwords)
}

export interface Source {
  tokens: string[]; // words, as the tokenizer gives them
  wordOf: number[]; // the word of each model token (ids), see asPieces
  ids: number[];
  unknownWords: string[];
  replaceable: boolean[]; // by word: one the model cannot read, or a placeholder (what an <unk> may be replaced by)
  tagged?: TagPlacement; // ids carry a register tag (options.register), which has no word: rows drop its columns
  maxLength: number; // output budget
  text: string; // as given (the reverse model's target when reranking)
}

/** The side `side` (manifest.source or .target) of the artifact in `files`; its vocabulary must have the model's `size`. */
export function readSide(files: Record<string, Uint8Array>, side: Manifest['source'], size: number): Side {
  const vocab = Vocab.parse(new TextDecoder().decode(file(files, side.vocab)));
  if (vocab.size !== size) throw new ArtifactError(`${side.vocab} has ${vocab.size} tokens, the model ${size}`);
  const subwords =
    side.subwords === undefined ? undefined : Subwords.parse(new TextDecoder().decode(file(files, side.subwords)));
  return { vocab, tokenizer: getTokenizer(side.tokenizer), ...(subwords && { subwords }) };
}

/** `text`, text `index` of `count`, as the source of the model of `manifest`; TranslateInputError when it is too long. */
export function prepareSource(
  side: Side,
  manifest: Manifest,
  text: string,
  index: number,
  count: number,
  register?: Register,
): Source {
  const tokens = side.tokenizer.tokenize(text);
  const { pieces, wordOf } = asPieces(tokens, side.subwords);
  const max = manifest.source.maxLength;
  if (pieces.length > max) {
    const what = side.subwords ? 'subword tokens' : 'tokens';
    const reason = `the text has ${pieces.length} ${what}, more than the ${max} this model translates; split it into shorter sentences`;
    throw new TranslateInputError(reason, index, count);
  }
  const { vocab } = side;
  const ids = vocab.encode(pieces);
  const tagged = register && ids.length ? (manifest.source.registerTag ?? 'first') : undefined;
  return {
    tokens,
    wordOf,
    ids: register && tagged ? withRegisterTag(ids, vocab.id(REGISTER_TAGS[register]), tagged) : ids,
    tagged,
    unknownWords: [...new Set(pieces.flatMap((piece, i) => (vocab.has(piece) ? [] : [tokens[wordOf[i]]])))],
    replaceable: tokens.map(
      (token, w) => PLACEHOLDER.test(token) || pieces.some((piece, i) => wordOf[i] === w && !vocab.has(piece)),
    ),
    maxLength: maxOutputLength(pieces.length, manifest.target.maxLength),
    text,
  };
}

/**
 * An output as target words, each <unk> replaced by the source word it attends to most when `unk` (its id) is given,
 * and its attention rows as rows of those words over the source words (subword pieces joined; the same tokens and
 * rows for a model of whole words).
 */
export function outputWords(
  hyp: Hypothesis,
  source: Source,
  sides: { source: Side; target: Side },
  unk?: number,
): { tokens: string[]; rows: Float32Array[] } {
  const raw = hyp.ids.map((id) => sides.target.vocab.token(id));
  const each = (items: unknown[]) => items.map((_, i) => i); // a side of whole words: token i is word i
  const rows = (hyp.rows ?? []).map((row) => (source.tagged ? withoutTagColumns(row, source.tagged) : row));
  const byPiece = sides.source.subwords ? rowsByWord(rows, source.wordOf, each(raw)) : rows; // target pieces over source words
  const pieces =
    unk !== undefined ? replaceUnknown(hyp.ids, raw, byPiece, source.tokens, unk, source.replaceable) : raw;
  if (!sides.target.subwords) return { tokens: pieces, rows: byPiece };
  const { words, wordOf } = joinPieces(pieces);
  return { tokens: words, rows: rowsByWord(byPiece, each(source.tokens), wordOf) };
}
