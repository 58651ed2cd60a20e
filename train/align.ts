// How well alignments match a gold set (train/eval/gold-alignments.en-ja.txt, dev pairs in the corpus's tokens):
//   npm run align -- --data ../shared/data/small_parallel_enja                          (fast_align, symmetrised)
//   npm run align -- --data ../shared/data/small_parallel_enja --model model-artifacts/en-ja --model model-artifacts/ja-en
// Prints the alignment error rate (./align/aer.ts) of the corpus aligner that guided alignment trains on, and of each
// model's attention: the model is fed the gold pair's reference (teacher forcing) and each target word is linked to
// the source word it attends to most, as the service's alignment, unknown-word replacement and tags read it.
// A ja-en model reads Japanese with the serving tokenizer, not the corpus's: its links are carried over to the
// corpus's tokens through the characters they cover.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mostAttended } from '../src/core/align.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { alignCorpus } from './align/corpus.js';
import { alignmentErrorRate, parseGold, type GoldPair } from './align/aer.js';
import type { Link } from './align/fast-align.js';
import { initNodeBackend } from './backend.js';
import { flagOptions, runCli, usage, UsageError, type ToolFlag } from './cli.js';
import { loadModelDir } from './model-dir.js';

const FLAGS = {
  data: {
    value: 'DIR',
    help: 'the corpus folder (train.en, train.ja, dev.en, dev.ja)',
    default: '../shared/data/small_parallel_enja',
  },
  gold: {
    value: 'FILE',
    help: 'gold links of dev pairs, English-Japanese',
    default: 'train/eval/gold-alignments.en-ja.txt',
  },
  model: { value: 'DIR', help: 'a model folder whose attention to measure (en-ja or ja-en); repeatable' },
  'no-corpus': { help: 'skip the corpus aligner (it takes ~45 s)' },
} satisfies Record<string, ToolFlag>;
const USAGE = usage('npm run align -- [flags]', FLAGS);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ...flagOptions(FLAGS), model: { type: 'string', multiple: true } },
    strict: true,
  });
  const data = values.data ?? FLAGS.data.default;
  const gold = parseGold(await readFile(values.gold ?? FLAGS.gold.default, 'utf8'));
  const read = async (split: string, lang: string) =>
    (await readFile(join(data, `${split}.${lang}`), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' '));
  const dev = { en: await read('dev', 'en'), ja: await read('dev', 'ja') };
  const pairs = gold.map((g) => ({ en: dev.en[g.line - 1], ja: dev.ja[g.line - 1] }));
  if (!values['no-corpus']) {
    // The dev pairs aligned together with the training corpus, as a training run aligns its pairs.
    const [trainEn, trainJa] = [await read('train', 'en'), await read('train', 'ja')];
    const links = alignCorpus([...pairs.map((p) => p.en), ...trainEn], [...pairs.map((p) => p.ja), ...trainJa]).slice(
      0,
      pairs.length,
    );
    report('fast_align, grow-diag-final-and', gold, links);
  }
  if (values.model?.length) await initNodeBackend();
  for (const dir of values.model ?? []) {
    const translator = await loadModelDir(dir);
    const direction = translator.manifest.direction;
    if (direction !== 'en-ja' && direction !== 'ja-en')
      throw new UsageError(`--model ${dir}: ${direction}, not en-ja or ja-en`);
    const links = direction === 'en-ja' ? attentionLinksEnJa(translator, pairs) : attentionLinksJaEn(translator, pairs);
    report(`${dir} (${direction}) attention`, gold, links);
    translator.dispose();
  }
}

type Pairs = { en: string[]; ja: string[] }[];
type Aligner = { forcedAlignment(sources: string[], targets: string[][]): Float32Array[][] };

/** en-ja: the source is the corpus's English (the serving tokenizer gives back the same tokens), the target its Japanese. */
function attentionLinksEnJa(translator: Aligner, pairs: Pairs): Link[][] {
  const english = getTokenizer('english');
  const rows = translator.forcedAlignment(
    pairs.map((p) => english.detokenize(p.en)),
    pairs.map((p) => p.ja),
  );
  return rows.map((sentence) => sentence.map((row, j): Link => [mostAttended(row), j]));
}

/** ja-en: source words are the serving tokenizer's; each is linked through the corpus tokens that share its characters. */
function attentionLinksJaEn(translator: Aligner, pairs: Pairs): Link[][] {
  const japanese = getTokenizer('japanese');
  const texts = pairs.map((p) => p.ja.join(''));
  const rows = translator.forcedAlignment(
    texts,
    pairs.map((p) => p.en),
  );
  return rows.map((sentence, k) => {
    const served = japanese.tokenize(texts[k]);
    const corpusOf = overlapping(served, pairs[k].ja);
    return sentence.flatMap((row, e) => (corpusOf[mostAttended(row)] ?? []).map((j): Link => [e, j]));
  });
}

/** For each token of `a`, the indices of the tokens of `b` whose characters overlap it (both spell the same text). */
function overlapping(a: string[], b: string[]): number[][] {
  const spans = (tokens: string[]) => {
    let at = 0;
    return tokens.map((t) => [at, (at += t.length)]);
  };
  const [sa, sb] = [spans(a), spans(b)];
  return sa.map(([s, e]) => sb.flatMap(([s2, e2], j) => (s2 < e && s < e2 ? [j] : [])));
}

/** The aligner's settings were chosen on the first CHOSEN_ON pairs: the rest are reported apart, as held out. */
const CHOSEN_ON = 60;

function report(what: string, gold: GoldPair[], links: Link[][]): void {
  const aer = (from: number, to: number) =>
    `${(100 * alignmentErrorRate(gold.slice(from, to), links.slice(from, to))).toFixed(1)}%`;
  const halves =
    gold.length > CHOSEN_ON
      ? ` (pairs 1-${CHOSEN_ON}: ${aer(0, CHOSEN_ON)}, held out ${CHOSEN_ON + 1}-${gold.length}: ${aer(CHOSEN_ON, gold.length)})`
      : '';
  console.log(
    `${what}: AER ${aer(0, gold.length)} on ${gold.length} pairs${halves}, ${links.reduce((n, l) => n + l.length, 0)} links`,
  );
}

runCli(USAGE, main);
