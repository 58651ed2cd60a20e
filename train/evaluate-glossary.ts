// How well glossary terms come through translation, on the dev pairs that have gold word alignments:
//
//   npm run evaluate:glossary [-- --models model-artifacts] [--beam 4] [--limit 120]
//
// Terms: for each pair of train/eval/gold-alignments.en-ja.txt (dev lines 1-120), the first one-to-one sure link
// between an English content word (3+ letters, not a function word) and a Japanese word with a kanji or katakana,
// preferring an English word outside the en-ja model's vocabulary when the sentence has one; that word pair is the
// sentence's glossary (English -> Japanese for en-ja, the reverse for ja-en), so the reference holds the term's
// target. A term the model reads in words of its vocabulary stays in the text and its carrier in the output is
// replaced; any other is masked by a placeholder (src/core/document/verbatim-mask.ts): both kinds are reported.
// Each sentence is translated through the service's path (src/core/document, the service's defaults) without and with
// its glossary, and the tool reports:
// - applied: translations holding the target term (and listing it in glossaryTerms);
// - BLEU of whole sentences, without and with the glossary;
// - BLEU of the rest of each sentence: the term's target token taken out of both outputs and the reference. Where the
//   output without glossary says the term in other words, those stay in it as tokens the reference lacks, which
//   favours the glossary; so the rest is also scored on the sentences whose output without glossary already held the
//   target term, where taking it out is exact on both sides.
// The loss of the rest is baseline minus glossary; the issue asks for at most 0.5 BLEU and the term applied in 98%.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DocumentTranslation } from '../src/core/document/translate-documents.js';
import { GlossaryMatcher } from '../src/core/glossary/match.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { DEFAULT_BEAM, MAX_BEAM } from '../src/core/translation.js';
import type { Translator } from '../src/core/translator.js';
import { initNodeBackend } from './backend.js';
import { corpusBleu } from './bleu.js';
import { flagOptions, intFlag, runCli, usage } from './cli.js';
import { loadModelDir, translateLines } from './model-dir.js';

const FLAGS = {
  models: { value: 'DIR', help: 'a folder of en-ja/ and ja-en/ model folders', default: 'model-artifacts' },
  beam: { value: 'K', help: `beam width, 1 to ${MAX_BEAM}`, default: DEFAULT_BEAM },
  limit: { value: 'N', help: 'use the first N aligned pairs', default: 120 },
  show: {
    value: 'N',
    help: 'also print N sentences whose translation the glossary changed: source, term, without, with',
    default: 0,
  },
  placeholders: {
    help: 'mask every term by a placeholder, known words too (the mechanism before terms stayed in the text)',
  },
};

const DATA = '../shared/data/small_parallel_enja';
const GOLD = 'train/eval/gold-alignments.en-ja.txt';
const FUNCTION_WORDS = new Set(
  'the and but not for are was were has had have with from this that these those you your she her his him they them their there here what who whom when where why how can could will would should shall may might must did does been being into onto than then very just also some any all its our out about'.split(
    ' ',
  ),
);
const JAPANESE_CONTENT = /[\p{Script=Han}\p{Script=Katakana}]/u;

interface Pair {
  en: string[]; // corpus tokens
  ja: string[];
  term: { en: string; ja: string }; // one word each side, aligned one to one
}

runCli(usage('npm run evaluate:glossary --', FLAGS), async () => {
  const { values } = parseArgs({ options: flagOptions(FLAGS) });
  const beam = intFlag('--beam', values.beam, DEFAULT_BEAM, 1, MAX_BEAM);
  const limit = intFlag('--limit', values.limit, FLAGS.limit.default, 1);
  const models = values.models ?? FLAGS.models.default;
  await initNodeBackend('wasm');
  const enJa = await loadModelDir(join(models, 'en-ja'));
  const jaEn = await loadModelDir(join(models, 'ja-en'));
  const pairs = await alignedPairs(limit, enJa);
  const show = intFlag('--show', values.show, FLAGS.show.default, 0);
  for (const [translator, from] of [
    [enJa, 'en'],
    [jaEn, 'ja'],
  ] as const) {
    console.log(await evaluate(values.placeholders ? maskingAll(translator) : translator, pairs, from, beam, show));
  }
});

/** The translator as one that knows no term's words: every term becomes a placeholder (--placeholders). */
const maskingAll = (translator: Translator): Translator =>
  Object.create(translator, { knownTokensAt: { value: () => undefined } }) as Translator;

/** The dev pairs with gold alignments and their term (see the opening comment). */
async function alignedPairs(limit: number, enJa: Translator): Promise<Pair[]> {
  const read = async (file: string) => (await readFile(join(DATA, file), 'utf8')).split('\n');
  const [en, ja] = [await read('dev.en'), await read('dev.ja')];
  const pairs: Pair[] = [];
  for (const line of (await readFile(GOLD, 'utf8')).split('\n')) {
    const [number, sure] = line.split('\t');
    if (!number || line.startsWith('#') || sure === undefined || pairs.length >= limit) continue;
    const [enTokens, jaTokens] = [en[Number(number) - 1]!.split(' '), ja[Number(number) - 1]!.split(' ')];
    const links = sure
      .split(' ')
      .filter(Boolean)
      .map((link) => link.split('-').map(Number) as [number, number]);
    const once = (side: 0 | 1, index: number) => links.filter((l) => l[side] === index).length === 1;
    const candidates = links
      .filter(([i, j]) => once(0, i) && once(1, j))
      .map(([i, j]) => ({ en: enTokens[i]!, ja: jaTokens[j]! }))
      .filter((t) => /^[a-z]{3,}$/.test(t.en) && !FUNCTION_WORDS.has(t.en) && JAPANESE_CONTENT.test(t.ja));
    const term = candidates.find((t) => !enJa.readsAsKnownToken(t.en)) ?? candidates[0];
    if (term) pairs.push({ en: enTokens, ja: jaTokens, term });
  }
  return pairs;
}

async function evaluate(
  translator: Translator,
  pairs: Pair[],
  from: 'en' | 'ja',
  beam: number,
  show: number,
): Promise<string> {
  const to = from === 'en' ? 'ja' : 'en';
  const detokenize = getTokenizer(translator.manifest.source.tokenizer).detokenize;
  const sources = pairs.map((p) => detokenize(p[from]));
  const references = pairs.map((p) => p[to]);
  const terms = pairs.map((p) => ({ source: p.term[from], target: p.term[to] }));
  // Each sentence's glossary is its own term: a matcher per source text (a cut sentence's pieces are found in it).
  const matchers = new Map(sources.map((text, k) => [text, new GlossaryMatcher([terms[k]!])]));
  const findTerms = (text: string) =>
    (matchers.get(text) ?? [...matchers].find(([whole]) => whole.includes(text))?.[1])?.find(text) ?? [];
  const options = { beam, replaceUnknown: true, alignment: true };
  const plain = await translateLines(translator, sources, options);
  const glossary = await translateLines(translator, sources, { ...options, glossary: () => findTerms });

  // The target term as written, but for an English sentence's first letter (capitalised).
  const applied = glossary.map(
    (doc, k) =>
      doc.translation.toLowerCase().includes(terms[k]!.target.toLowerCase()) &&
      !!doc.glossaryTerms?.some((t) => t.source === terms[k]!.source),
  );
  const without = (tokens: string[], k: number) => tokens.filter((t) => t !== terms[k]!.target);
  const rest = (docs: DocumentTranslation[]) =>
    corpusBleu(
      docs.map((d, k) => without(d.tokens, k)),
      references.map(without),
    ).bleu;
  const full = (docs: DocumentTranslation[]) =>
    corpusBleu(
      docs.map((d) => d.tokens),
      references,
    ).bleu;
  // As the pipeline decides (src/core/document/verbatim-mask.ts): a term the model reads in known tokens stays in the
  // text, another becomes a placeholder.
  const oov = sources.map((text) => {
    const [match] = findTerms(text);
    return !match || translator.knownTokensAt(text, match.start, match.end) === undefined;
  });
  const share = (flags: boolean[], of: boolean[] = flags.map(() => true)) =>
    `${flags.filter((f, k) => f && of[k]).length}/${of.filter(Boolean).length}`;
  const held = plain.map((d, k) => d.tokens.includes(terms[k]!.target));
  const restOf = (keep: boolean[]) => {
    const pick = <T>(items: T[]) => items.filter((_, k) => keep[k]);
    const refs = pick(references.map(without));
    const score = (docs: DocumentTranslation[]) =>
      corpusBleu(pick(docs.map((d, k) => without(d.tokens, k))), refs).bleu.toFixed(2);
    return `${score(plain)} -> ${score(glossary)}`;
  };
  const changed = pairs
    .flatMap((_, k) => (plain[k]!.translation !== glossary[k]!.translation ? [k] : []))
    .slice(0, show);
  const examples = changed.map(
    (k) =>
      `  [${sources[k]}] ${terms[k]!.source} -> ${terms[k]!.target}\n    without: ${plain[k]!.translation}\n    with:    ${glossary[k]!.translation}`,
  );
  return [
    ...examples,
    `${translator.manifest.direction} (${translator.id}), ${pairs.length} dev sentences, one term each (${share(oov)} masked by a placeholder: a word outside the model's vocabulary, or --placeholders), beam ${beam}:`,
    `  applied: ${share(applied)} (${pct(applied)}); terms kept in the text ${share(
      applied,
      oov.map((o) => !o),
    )}, masked ${share(applied, oov)}`,
    `  BLEU, whole sentences: ${full(plain).toFixed(2)} without glossary -> ${full(glossary).toFixed(2)} with`,
    `  BLEU of the rest (term token out of outputs and reference): ${rest(plain).toFixed(2)} -> ${rest(glossary).toFixed(2)} (loss ${(rest(plain) - rest(glossary)).toFixed(2)})`,
    `  the rest on the ${share(held)} sentences whose translation without glossary held the term: ${restOf(held)}`,
    `  the rest by kind of term: kept in the text ${restOf(oov.map((o) => !o))}, masked ${restOf(oov)}`,
  ].join('\n');
}

const pct = (flags: boolean[]) => `${((100 * flags.filter(Boolean).length) / flags.length).toFixed(1)}%`;
