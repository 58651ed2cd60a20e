// Where inline tags land, measured against the gold alignments:
//   npm run evaluate:tags -- --model model-artifacts/en-ja        (train/eval/tagged.en-ja.jsonl)
//   npm run evaluate:tags -- --model model-artifacts/ja-en        (train/eval/tagged.ja-en.jsonl)
// Each line is a dev sentence with tags around words or phrases (b, i, a, span; nested; at the edges). The service's
// own projection (src/core/document/projection.ts, src/core/segment/markup) carries the tags onto the sentence's
// reference translation, using the model's attention when it is fed that reference: the translation is held fixed, so
// the gold alignment (train/eval/gold-alignments.en-ja.txt) says which target words each tag must wrap. A tag is
// right when its content
// - holds every target token sure-linked to the tagged source tokens (or, with none, at least one linked token),
// - holds nothing outside the span of the tokens linked to them (sure or possible),
// - starts and ends on word boundaries: between two tokens of the corpus's segmentation that the serving
//   tokenizer also separates, for Japanese (で|す splits です); between tokens, for English.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { DocumentTranslation } from '../src/core/document/translate-documents.js';
import { projectionOf } from '../src/core/document/projection.js';
import { translateMarkup } from '../src/core/document/translate-markup.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import type { Translator } from '../src/core/translator.js';
import { parseGold } from './align/aer.js';
import { initNodeBackend } from './backend.js';
import { flagOptions, runCli, usage, UsageError, type ToolFlag } from './cli.js';
import { loadModelDir } from './model-dir.js';

const FLAGS = {
  model: { value: 'DIR', help: 'an en-ja or ja-en model folder (required)' },
  data: { value: 'DIR', help: 'the corpus folder (dev.en, dev.ja)', default: '../shared/data/small_parallel_enja' },
  gold: {
    value: 'FILE',
    help: 'gold links of dev pairs, English-Japanese',
    default: 'train/eval/gold-alignments.en-ja.txt',
  },
  verbose: { help: 'print every wrong tag' },
} satisfies Record<string, ToolFlag>;
const USAGE = usage('npm run evaluate:tags -- --model DIR [flags]', FLAGS);

interface TaggedLine {
  line: number;
  source: string;
  tags: { tag: string; tokens: [number, number]; expected: number[] }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: flagOptions(FLAGS), strict: true });
  if (!values.model) throw new UsageError('--model is required');
  await initNodeBackend();
  const translator = await loadModelDir(values.model);
  const direction = translator.manifest.direction;
  if (direction !== 'en-ja' && direction !== 'ja-en') throw new UsageError(`--model: ${direction}, not en-ja or ja-en`);
  const [src, tgt] = direction.split('-') as ['en' | 'ja', 'en' | 'ja'];
  const lines = (await readFile(`train/eval/tagged.${direction}.jsonl`, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TaggedLine);
  const gold = new Map(parseGold(await readFile(values.gold ?? FLAGS.gold.default, 'utf8')).map((g) => [g.line, g]));
  const data = values.data ?? FLAGS.data.default;
  const references = (await readFile(`${data}/dev.${tgt}`, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => l.split(' '));
  let [right, total] = [0, 0];
  for (const tagged of lines) {
    const reference = references[tagged.line - 1]!;
    const output = await projectOntoReference(translator, tagged.source, reference);
    const sureLinks = gold.get(tagged.line)!.sure.map(([e, j]) => (src === 'en' ? [e, j] : [j, e]) as [number, number]);
    const placed = tagContents(output, reference, tgt);
    tagged.tags.forEach((tag, k) => {
      if (tag.expected.length === 0) return; // a tag around words the reference does not translate
      total++;
      const sure = sureLinks.filter(([s]) => s >= tag.tokens[0] && s < tag.tokens[1]).map(([, t]) => t);
      const verdict = judge(placed[k], sure, tag.expected);
      if (verdict === 'right') right++;
      else if (values.verbose) console.log(`line ${tagged.line} <${tag.tag}> ${verdict}: ${output}`);
    });
  }
  console.log(
    `${values.model} (${direction}): ${right} of ${total} tags right (${((100 * right) / total).toFixed(1)}%) on ${lines.length} sentences`,
  );
  translator.dispose();
}

/** The tagged source's markup carried onto `reference` through the model's attention when fed the reference. */
async function projectOntoReference(translator: Translator, source: string, reference: string[]): Promise<string> {
  const target = getTokenizer(translator.manifest.target.tokenizer);
  const sourceTokenizer = getTokenizer(translator.manifest.source.tokenizer);
  return translateMarkup(source, { mode: 'html' }, async (blocks) =>
    blocks.map((block) => {
      const [rows] = translator.forcedAlignment([block], [reference]);
      const translation = target.detokenize(reference);
      const alignment = {
        source: sourceTokenizer.tokenize(block),
        target: reference,
        weights: rows!.map((r) => Array.from(r)),
      };
      const sentence = {
        translation,
        tokens: reference,
        score: 0,
        unknownWords: [],
        annotations: [],
        alignment,
        model: translator.id,
        source: { start: 0, end: block.length },
        target: { start: 0, end: translation.length },
      };
      const doc: DocumentTranslation = {
        translation,
        tokens: reference,
        score: 0,
        unknownWords: [],
        annotations: [],
        model: translator.id,
        sentences: [sentence],
      };
      return projectionOf(block, doc);
    }),
  );
}

/** Per opening tag of `output`, in order, the reference tokens its content covers and whether its edges are word boundaries. */
function tagContents(
  output: string,
  reference: string[],
  lang: 'en' | 'ja',
): { tokens: Set<number>; onBoundaries: boolean }[] {
  let text = '';
  const opened: { at: number; index: number }[] = [];
  const ranges: [number, number][] = [];
  for (const part of output.split(/(<[^>]+>)/)) {
    if (!part.startsWith('<')) text += part.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    else if (part.startsWith('</')) {
      const open = opened.pop()!;
      ranges[open.index] = [open.at, text.length];
    } else {
      opened.push({ at: text.length, index: ranges.length });
      ranges.push([text.length, text.length]);
    }
  }
  const spans = locate(reference, text);
  const boundaries = wordBoundaries(text, spans, lang);
  return ranges.map(([start, end]) => ({
    tokens: new Set(spans.flatMap((s, t) => (s.start >= start && s.end <= end && s.end > s.start ? [t] : []))),
    onBoundaries: boundaries.has(trimmed(text, start, end)[0]) && boundaries.has(trimmed(text, start, end)[1]),
  }));
}

/** A range without the spaces at its edges. */
function trimmed(text: string, start: number, end: number): [number, number] {
  while (start < end && text[start] === ' ') start++;
  while (end > start && text[end - 1] === ' ') end--;
  return [start, end];
}

/** Each token's character span in `text` (case-folded search, in order). */
function locate(tokens: string[], text: string): { start: number; end: number }[] {
  const lower = text.toLowerCase();
  let at = 0;
  return tokens.map((token) => {
    const found = lower.indexOf(token.toLowerCase(), at);
    if (found < 0) return { start: at, end: at };
    at = found + token.length;
    return { start: found, end: at };
  });
}

/** Offsets where a word may start or end: token edges (for Japanese, those the serving tokenizer also has). */
function wordBoundaries(text: string, spans: { start: number; end: number }[], lang: 'en' | 'ja'): Set<number> {
  const edges = new Set(spans.flatMap((s) => [s.start, s.end]));
  edges.add(0).add(text.length);
  if (lang === 'en') return edges;
  const served = new Set<number>([0, text.length]);
  let at = 0;
  for (const token of getTokenizer('japanese').tokenize(text)) {
    const found = text.indexOf(token, at);
    if (found < 0) continue;
    served.add(found).add(found + token.length);
    at = found + token.length;
  }
  return new Set([...edges].filter((e) => served.has(e)));
}

function judge(
  placed: { tokens: Set<number>; onBoundaries: boolean } | undefined,
  sure: number[],
  expected: number[],
): string {
  if (!placed || placed.tokens.size === 0) return 'empty';
  const [lo, hi] = [Math.min(...expected, ...sure), Math.max(...expected, ...sure)];
  if ([...placed.tokens].some((t) => t < lo || t > hi)) return 'too wide';
  if (sure.length ? !sure.every((t) => placed.tokens.has(t)) : !expected.some((t) => placed.tokens.has(t)))
    return 'misses words';
  return placed.onBoundaries ? 'right' : 'splits a word';
}

runCli(USAGE, main);
