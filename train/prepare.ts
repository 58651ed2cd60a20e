// The corpus as the model reads it: lines -> the Worker's own tokenizers (so training and serving cannot drift)
// -> subword pieces (--bpe-merges) -> vocabularies -> id pairs, and the lexical shortlist of those pairs.
import { getTokenizer } from '../src/core/tokenize/index.js';
import { Subwords } from '../src/core/tokenize/subwords.js';
import { Vocab } from '../src/core/vocab.js';
import { modelPieces, servedSource } from './as-served.js';
import { placeholderTokens } from '../src/core/placeholders.js';
import { REGISTER_TAGS, registerOf } from '../src/core/register.js';
import { alignCorpus } from './align/corpus.js';
import { augmentPairs, type Reserved } from './augment.js';
import { encodePairs, type Pair } from './batches.js';
import { seededRandom } from './random.js';
import { learnBpe } from './bpe.js';
import type { Progress } from './checkpoint.js';
import { UsageError } from './cli.js';
import type { TrainConfig } from './config.js';
import { loadParallelCorpus, type ParallelCorpus } from './corpus.js';
import { buildShortlist, SHORTLIST_DEFAULTS } from './shortlist.js';

/**
 * The tokenizer of each language as a source (it reads raw user input) and as a target (the model emits the
 * corpus's own tokens, which BLEU is measured on, and the tokenizer joins them into text).
 */
const TOKENIZER: Record<'source' | 'target', Record<string, string>> = {
  source: { en: 'english', ja: 'japanese' },
  target: { en: 'english', ja: 'japanese-spaced' },
};

export type Sides<T> = { source?: T; target?: T };

export interface TrainingData {
  corpus: ParallelCorpus;
  dev: { text: string[]; source: string[][]; target: string[][] }; // text: source lines as a user types them
  pairs: Pair[]; // training pairs within config.maxLength
  dropped: number; // training pairs over it
  devPairs: Pair[];
  vocabs: { source: Vocab; target: Vocab };
  subwords: Sides<Subwords>; // --bpe-merges: each side's merges (none: whole words)
  shortlist: ReturnType<typeof buildShortlist>; // shipped in every export (src/core/shortlist.ts)
  reserved: Reserved; // ids of the placeholder and register tokens the run added (./augment.ts)
  isNumber: (sourceId: number) => boolean;
}

/** Vocabularies (and merges) as a checkpoint keeps them: a resumed run's, or those of the model a run starts from. */
export type VocabularyTexts = Pick<Progress, 'sourceVocab' | 'targetVocab' | 'sourceSubwords' | 'targetSubwords'>;

/** The training and dev data of `config`, in the subwords and vocabularies of `fixed` when given, else learned from it. */
export async function prepareData(config: TrainConfig, fixed?: VocabularyTexts): Promise<TrainingData> {
  // Source lines are turned back into the text a user would type and read by the serving tokenizer.
  const sourceTokenizer = getTokenizer(tokenizerName('source', config.src));
  tokenizerName('target', config.tgt); // both named before the corpus is read
  const corpus = await loadParallelCorpus({
    data: config.data || undefined,
    src: config.src,
    tgt: config.tgt,
    splits: ['train', 'dev'],
  });
  const tokenized = (split: string) => {
    const s = corpus.splits[split];
    const n = split === 'train' && config.limit ? Math.min(config.limit, s.lines) : s.lines;
    const { text, words } = servedSource(s.source.slice(0, n), sourceTokenizer);
    return { text, source: words, target: s.target.slice(0, n) };
  };
  const train = tokenized('train');
  const dev = tokenized('dev');
  // With --bpe-merges the model reads and writes subword pieces of those words, merges learned on the training side.
  const subwords = fixed ? storedSubwords(fixed) : learnSubwords(train, config.bpeMerges);
  const [trainSource, trainTarget] = [
    modelPieces(train.source, subwords.source),
    modelPieces(train.target, subwords.target),
  ];
  const built = (sentences: string[][]) =>
    Vocab.build(sentences, { maxSize: config.vocabSize, minCount: config.minCount });
  const learned = fixed
    ? { source: Vocab.parse(fixed.sourceVocab), target: Vocab.parse(fixed.targetVocab) }
    : { source: built(trainSource), target: built(trainTarget) };
  const { vocabs, reserved } = withReservedTokens(learned, config);
  // The word alignment (guided alignment, placeholders: ./augment.ts), on the tokens the model reads and writes.
  const links =
    config.guidedAlignment > 0 || config.placeholderRate > 0 || config.unknownInsertRate > 0
      ? timed('word alignment', () => alignCorpus(trainSource, trainTarget))
      : undefined;
  const registers = reserved.registers ? train.target.map((words) => registerOf(words.join(''))) : undefined;
  const more = (i: number): Partial<Pair> => ({
    ...(links && { links: links[i] }),
    ...(registers && { register: registers[i] }),
  });
  const { pairs, dropped } = encodePairs(trainSource, trainTarget, vocabs, config.maxLength, more);
  const devPairs = encodePairs(
    modelPieces(dev.source, subwords.source),
    modelPieces(dev.target, subwords.target),
    vocabs,
    config.maxLength,
  ).pairs;
  // The shortlist learns from the pairs as training sees them: a placeholder's candidates include itself.
  const augmented = reserved.placeholders
    ? augmentPairs(pairs, { placeholderRate: 1, formality: 0 }, reserved, seededRandom(0), isNumber(vocabs.source))
    : [];
  const shortlist = buildShortlist(
    [...pairs, ...augmented],
    { source: vocabs.source.size, target: vocabs.target.size },
    SHORTLIST_DEFAULTS,
  );
  return {
    corpus,
    dev,
    pairs,
    dropped,
    devPairs,
    vocabs,
    subwords,
    shortlist,
    reserved,
    isNumber: isNumber(vocabs.source),
  };
}

/** The vocabularies with the tokens the run's augmentation needs (./augment.ts), appended, and their ids. */
function withReservedTokens(
  vocabs: { source: Vocab; target: Vocab },
  config: TrainConfig,
): { vocabs: { source: Vocab; target: Vocab }; reserved: Reserved } {
  const placeholders = config.placeholderRate > 0 ? placeholderTokens() : [];
  const tags = config.formality > 0 ? [REGISTER_TAGS.polite, REGISTER_TAGS.plain] : [];
  const source = vocabs.source.withTokens([...placeholders, ...tags]);
  const target = vocabs.target.withTokens(placeholders);
  return {
    vocabs: { source, target },
    reserved: {
      ...(placeholders.length && {
        placeholders: { source: source.encode(placeholders), target: target.encode(placeholders) },
      }),
      ...(tags.length && {
        registers: { polite: source.id(REGISTER_TAGS.polite), plain: source.id(REGISTER_TAGS.plain) },
      }),
    },
  };
}

/** Whether a source id is a number the corpus writes in digits ("10", "１０時"). */
const isNumber = (vocab: Vocab) => (id: number) => id > 3 && /[0-9０-９]/u.test(vocab.token(id));

function timed<T>(what: string, run: () => T): T {
  const started = Date.now();
  const result = run();
  console.error(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

export function tokenizerName(side: 'source' | 'target', lang: string): string {
  const name = TOKENIZER[side][lang];
  if (!name)
    throw new UsageError(
      `no ${side} tokenizer for language "${lang}" (known: ${Object.keys(TOKENIZER[side]).join(', ')})`,
    );
  return name;
}

/** Byte-pair merges learned from each side of the training data; none when `merges` is 0. */
function learnSubwords(train: { source: string[][]; target: string[][] }, merges: number): Sides<Subwords> {
  if (merges === 0) return {};
  const started = Date.now();
  const subwords = { source: learnBpe(train.source, merges), target: learnBpe(train.target, merges) };
  console.error(
    `subwords: ${subwords.source.merges.length}/${subwords.target.merges.length} merges learned in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return subwords;
}

function storedSubwords({ sourceSubwords, targetSubwords }: VocabularyTexts): Sides<Subwords> {
  return {
    ...(sourceSubwords !== undefined && { source: Subwords.parse(sourceSubwords) }),
    ...(targetSubwords !== undefined && { target: Subwords.parse(targetSubwords) }),
  };
}
