// Builds the bilingual dictionary artifact and the truecasing table from the EDRDG's files in Debian's packages:
//
//   npm run build:dictionary [-- --out model-artifacts/dictionary] [--corpus DIR] [--models DIR]
//
// 1. `edict` and `enamdict` fetched with `apt-get download` and unpacked with `dpkg-deb -x` (../debian-package.ts),
//    read as EUC-JP (./edict.ts);
// 2. EDICT compiled into ja-en.tsv and en-ja.tsv (./compile.ts: what is kept, how senses are ranked), gzipped, with
//    the package's licence statement as LICENCE.txt and manifest.json (src/core/dictionary/artifact.ts);
// 3. the English truecasing table from EDICT, ENAMDICT and the corpus (./truecase.ts) written as
//    src/core/dictionary/truecase-table.ts;
// 4. coverage measured and recorded in the manifest: of the source words the shipped models cannot read, on the
//    corpus's dev split and on ./dev.en.txt, ./dev.ja.txt (everyday sentences written for developing this), the share
//    the service's rules (src/core/dictionary/unknown-words.ts) translate by the dictionary or keep as written.
// The version is the EDICT package's and a hash of the files, so the same inputs give the same artifact.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  DICTIONARY,
  DICTIONARY_FILES,
  DICTIONARY_FORMAT,
  validateDictionaryManifest,
  type DictionaryManifest,
} from '../../src/core/dictionary/artifact.js';
import { Dictionary, type Language } from '../../src/core/dictionary/dictionary.js';
import { handleUnknownWords } from '../../src/core/dictionary/unknown-words.js';
import { modelId } from '../../src/core/layout.js';
import { sha256Hex } from '../../src/core/open-artifact.js';
import { getTokenizer } from '../../src/core/tokenize/index.js';
import { tokenSpans } from '../../src/core/tokenize/spans.js';
import { flagOptions, runCli, usage, type ToolFlag } from '../cli.js';
import { debianFile, eucJp } from '../debian-package.js';
import { compileDictionary } from './compile.js';
import { parseEdict, parseEnamdict } from './edict.js';
import { truecaseTable } from './truecase.js';

const FLAGS = {
  out: { value: 'DIR', help: 'the artifact folder', default: 'model-artifacts/dictionary' },
  corpus: {
    value: 'DIR',
    help: 'small_parallel_enja: frequencies, truecasing, coverage',
    default: '../shared/data/small_parallel_enja',
  },
  models: {
    value: 'DIR',
    help: 'the shipped models, whose vocabularies coverage is measured against',
    default: 'model-artifacts',
  },
} satisfies Record<string, ToolFlag>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TRUECASE_TABLE = join(ROOT, 'src/core/dictionary/truecase-table.ts');
const LICENCE_FILE = 'LICENCE.txt';
const LICENCE = {
  name: 'CC BY-SA 3.0',
  holder: 'Electronic Dictionary Research and Development Group (EDRDG)',
  url: 'https://www.edrdg.org/edrdg/licence.html',
  file: LICENCE_FILE,
  credit:
    "Dictionary: EDICT and ENAMDICT, the property of the Electronic Dictionary Research and Development Group, used in conformance with the Group's licence (CC BY-SA 3.0, https://www.edrdg.org/edrdg/licence.html).",
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: flagOptions(FLAGS), strict: true });
  const [out, corpusDir, models] = (['out', 'corpus', 'models'] as const).map((flag) =>
    resolve(ROOT, values[flag] ?? FLAGS[flag].default),
  );

  const edict = await debianFile('edict', 'usr/share/edict/edict');
  const enamdict = await debianFile('enamdict', 'usr/share/edict/enamdict');
  const licence = await debianFile('edict', 'usr/share/doc/edict/copyright');
  const entries = parseEdict(eucJp(edict.bytes));
  const names = parseEnamdict(eucJp(enamdict.bytes));
  console.log(
    `read ${entries.length} EDICT entries (${edict.deb}) and ${names.length} ENAMDICT names (${enamdict.deb})`,
  );

  const corpus = await readCorpus(corpusDir);
  const compiled = compileDictionary(entries, corpus.counts);
  const dictionary = Dictionary.parse(compiled.files);
  console.log(`kept ${compiled.kept.entries} entries: ${JSON.stringify(compiled.kept)}`);

  const table = truecaseTable(entries, names, { en: corpus.en, ja: corpus.ja });
  await writeFile(TRUECASE_TABLE, truecaseModule(table.words, table.phrases, [edict.deb, enamdict.deb]));
  console.log(`truecasing: ${table.words.length} words, ${table.phrases.length} phrases -> ${TRUECASE_TABLE}`);

  const coverage = await measureCoverage(dictionary, corpusDir, models);
  const files: Record<string, Uint8Array> = {
    [DICTIONARY_FILES['ja-en']]: gzipSync(compiled.files['ja-en'], { level: 9 }),
    [DICTIONARY_FILES['en-ja']]: gzipSync(compiled.files['en-ja'], { level: 9 }),
    [LICENCE_FILE]: licence.bytes,
  };
  const listed = Object.fromEntries(
    await Promise.all(
      Object.entries(files).map(
        async ([path, bytes]) => [path, { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }] as const,
      ),
    ),
  );
  const hash = (await sha256Hex(new TextEncoder().encode(JSON.stringify(listed)))).slice(0, 8);
  const manifest: DictionaryManifest = validateDictionaryManifest({
    format: DICTIONARY_FORMAT,
    name: DICTIONARY,
    version: `edict-${edict.deb.split('_')[1]}-${hash}`,
    licence: LICENCE,
    source: { edict: edict.deb, enamdict: enamdict.deb },
    entries: dictionary.entryCount,
    build: {
      command: 'npm run build:dictionary',
      kept: compiled.kept,
      coverage,
      truecasing: { words: table.words.length, phrases: table.phrases.length },
    },
    files: listed,
  });
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const [path, bytes] of Object.entries(files)) await writeFile(join(out, path), bytes);
  await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const total = Object.values(listed).reduce((sum, f) => sum + f.bytes, 0);
  console.log(`${modelId(DICTIONARY, manifest.version)}: ${(total / 1e6).toFixed(2)} MB in ${out}`);
  console.log(`coverage: ${JSON.stringify(coverage)}`);
}

interface Corpus {
  en: string[][]; // tokens of each English line
  ja: string[]; // each Japanese line without spaces
  counts: { en: (word: string) => number; ja: (word: string) => number };
}

/** The corpus's train split: its lines, and counts of English words and of Japanese runs of 1-4 tokens. */
async function readCorpus(dir: string): Promise<Corpus> {
  const lines = async (file: string) =>
    (await readFile(join(dir, file), 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const en = (await lines('train.en')).map((line) => line.split(' ').filter(Boolean));
  const jaTokens = (await lines('train.ja')).map((line) => line.split(' ').filter(Boolean));
  const enCounts = new Map<string, number>();
  for (const tokens of en) for (const token of tokens) enCounts.set(token, (enCounts.get(token) ?? 0) + 1);
  const jaCounts = new Map<string, number>(); // a word KyTea cut into pieces (話し 合い) is counted as its run
  for (const tokens of jaTokens) {
    for (let i = 0; i < tokens.length; i++) {
      let run = '';
      for (let k = i; k < Math.min(tokens.length, i + 4); k++)
        jaCounts.set((run += tokens[k]), (jaCounts.get(run) ?? 0) + 1);
    }
  }
  return {
    en,
    ja: jaTokens.map((tokens) => tokens.join('')),
    counts: { en: (w) => enCounts.get(w) ?? 0, ja: (w) => jaCounts.get(w) ?? 0 },
  };
}

type Coverage = Record<string, { unknown: number; dictionary: number; kept: number }>;

/**
 * Of the tokens each shipped model cannot read (its vocabulary, whole words), on each set: how many there are, and the
 * percentage the rules translate by the dictionary or keep as written.
 */
async function measureCoverage(dictionary: Dictionary, corpusDir: string, models: string): Promise<Coverage> {
  const sets: [string, Language, string][] = [
    ['dev.en (corpus)', 'en', join(corpusDir, 'dev.en')],
    ['dev.ja (corpus)', 'ja', join(corpusDir, 'dev.ja')],
    ['train/dictionary/dev.en.txt', 'en', join(ROOT, 'train/dictionary/dev.en.txt')],
    ['train/dictionary/dev.ja.txt', 'ja', join(ROOT, 'train/dictionary/dev.ja.txt')],
  ];
  const coverage: Coverage = {};
  for (const [name, from, path] of sets) {
    const direction = from === 'en' ? 'en-ja' : 'ja-en';
    const manifest = JSON.parse(await readFile(join(models, direction, 'manifest.json'), 'utf8')) as {
      source: { tokenizer: string; vocab: string };
    };
    const vocab = new Set((await readFile(join(models, direction, manifest.source.vocab), 'utf8')).split('\n'));
    const tokenizer = getTokenizer(manifest.source.tokenizer);
    const raw = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const texts = path.endsWith('.txt')
      ? raw
      : raw.map((line) =>
          from === 'ja' ? line.replace(/ /gu, '') : getTokenizer('english').detokenize(line.split(' ')),
        );
    let unknown = 0;
    let translated = 0;
    let kept = 0;
    for (const text of texts) {
      const tokens = tokenizer.tokenize(text);
      const spans = tokenSpans(text, tokens).flatMap((span, k) =>
        span ? [{ start: span[0], end: span[1], known: vocab.has(tokens[k]!) }] : [],
      );
      const found = handleUnknownWords(text, spans, {
        from,
        translate: (word, want) => dictionary.translate(word, from, want),
      });
      for (const span of spans.filter((s) => !s.known)) {
        unknown++;
        const hit = found.find((f) => f.start <= span.start && f.end >= span.end);
        if (hit?.kind === 'dictionary') translated++;
        else if (hit) kept++;
      }
    }
    const percent = (n: number) => Math.round((1000 * n) / Math.max(1, unknown)) / 10;
    coverage[name] = { unknown, dictionary: percent(translated), kept: percent(kept) };
  }
  return coverage;
}

function truecaseModule(words: string[], phrases: string[], sources: string[]): string {
  const list = (items: string[]) => `[\n${items.map((item) => `  ${JSON.stringify(item)},`).join('\n')}\n]`;
  return [
    `// Generated by \`npm run build:dictionary\` (train/dictionary/truecase.ts has the rules) from ${sources.join(' and ')} and the`,
    "// corpus's English: do not edit. Data of the EDRDG (CC BY-SA 3.0, https://www.edrdg.org/edrdg/licence.html).",
    `export const TRUECASE_WORDS: readonly string[] = ${list(words)};`,
    '',
    `export const TRUECASE_PHRASES: readonly string[] = ${list(phrases)};`,
    '',
  ].join('\n');
}

runCli(usage('npm run build:dictionary -- [flags]', FLAGS), main);
