// Builds the data of src/core/names/ and measures it on held-out entries:
//   npm run build:names          (3-7 min on 2 busy cores; fetches the Debian packages edict, enamdict, mecab-ipadic)
//   npm run build:names -- --help
// Writes src/core/names/data.ts (the joint-sequence model and the kanji name table), the held-out sets under
// train/eval/ (names-en-ja.test.tsv, names-ja-en.test.tsv, japanese-names.test.tsv) that test/unit/names.test.ts
// measures again, and train/records/names.json (settings, sources, sizes, figures). docs/names.md explains them.
//
// Splits: a pair of English spelling and katakana is held out when either side hashes (FNV-1a, mod 20) to 0 (test)
// or 1 (dev), so no test input or reference was seen in training under any pairing; English -> katakana is measured
// on the test spellings (every katakana the test pairs give a spelling counts as a right answer), katakana -> English
// on the test katakana. The kanji table is measured on ENAMDICT's full names (type h), none of which it contains.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { JointSequenceModel, kanaUnits } from '../../src/core/names/joint-sequence.js';
import { NameTable } from '../../src/core/names/japanese.js';
import { katakanaOf, romanise } from '../../src/core/names/romaji.js';
import { flagOptions, runCli, usage, type ToolFlag } from '../cli.js';
import { debianFile, eucJp, DEBIAN_CACHE } from '../debian-package.js';
import { japaneseNames, enamdictReadings } from './japanese-names.js';
import {
  chunkPairs,
  trainAlignment,
  trainNgrams,
  viterbi,
  type AlignOptions,
  type NgramOptions,
} from './joint-training.js';
import { loanwordPairs, namePairs, type Pair } from './pairs.js';
import { groupPairs, score, scoreTransliterations, scoreTableNames, type Scores } from './score.js';

/** Chosen on the dev split (docs/names.md "How it was chosen"). */
export const SETTINGS = {
  align: { maxLetters: 3, maxKana: 2, iterations: 5 } satisfies AlignOptions,
  ngrams: { order: 3, minCount: 2, quantisation: 10 } satisfies NgramOptions,
  minUses: 2, // graphones used fewer times in the final chunking are dropped (their pairs chunked again)
  loanwordPercentile: 0.01, // a loanword is kept when its alignment score per graphone beats this share of the names'
  maxLength: 20, // longer pairs (letters or katakana units) are left out of training
  tableLimits: { s: 12000, g: 16000, p: 2000 }, // kanji names kept per kind, commonest first (all surnames and given names)
  testSample: { names: 1500, japanese: 1500 }, // entries of the committed held-out files (the build measures them all)
};

const FLAGS = {
  cache: { value: 'DIR', help: 'where the Debian packages are downloaded and unpacked', default: DEBIAN_CACHE },
  data: { value: 'FILE', help: 'the generated module', default: 'src/core/names/data.ts' },
  eval: { value: 'DIR', help: 'where the held-out sets go', default: 'train/eval' },
  record: { value: 'FILE', help: 'settings, sources and figures', default: 'train/records/names.json' },
} satisfies Record<string, ToolFlag>;
const USAGE = usage('npm run build:names -- [flags]', FLAGS);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: flagOptions(FLAGS), strict: true });
  const cache = values.cache ?? DEBIAN_CACHE;
  const started = Date.now();
  const edict = await debianFile('edict', 'usr/share/edict/edict', cache);
  const enamdict = await debianFile('enamdict', 'usr/share/edict/enamdict', cache);
  const ipadic = await Promise.all(
    ['Noun.name.csv', 'Noun.place.csv'].map((file) =>
      debianFile('mecab-ipadic', `usr/share/mecab/dic/ipadic/${file}`, cache),
    ),
  );
  const enamdictText = eucJp(enamdict.bytes);

  // English <-> katakana
  const pairs = [...namePairs(enamdictText), ...loanwordPairs(eucJp(edict.bytes))];
  const split = (pair: Pair): 'test' | 'dev' | 'train' => {
    const buckets = [bucket(pair.en), bucket(pair.ja)];
    return buckets.includes(0) ? 'test' : buckets.includes(1) ? 'dev' : 'train';
  };
  const short = (pair: Pair) => pair.en.length <= SETTINGS.maxLength && kanaUnits(pair.ja).length <= SETTINGS.maxLength;
  const train = pairs.filter((pair) => split(pair) === 'train' && short(pair));
  const model = trainModel(train);
  const heldOut = (which: 'test' | 'dev', side: 'en' | 'ja') =>
    pairs.filter((pair) => bucket(pair[side]) === (which === 'test' ? 0 : 1));
  const jsm = new JointSequenceModel(model.text);
  const figures: Record<string, Scores> = {};
  for (const which of ['dev', 'test'] as const) {
    for (const [side, direction] of [
      ['en', 'en-ja'],
      ['ja', 'ja-en'],
    ] as const) {
      figures[`${which} ${direction}`] = scoreTransliterations(jsm, heldOut(which, side), side);
      for (const source of ['name', 'japanese', 'loanword'] as const) {
        figures[`${which} ${direction} ${source}s`] = scoreTransliterations(
          jsm,
          heldOut(which, side).filter((pair) => pair.source === source),
          side,
        );
      }
    }
  }

  const csv = ipadic.map((file) => eucJp(file.bytes)).join('\n');
  const lexicons = commonNames(pairs, csv, glossFrequency(eucJp(edict.bytes)), jsm);

  // kanji names
  const names = japaneseNames(csv, enamdictReadings(enamdictText), SETTINGS.tableLimits);
  const tableText = (['s', 'g', 'p'] as const)
    .map(
      (kind) =>
        `${kind}:${names
          .filter((n) => n.kind === kind)
          .map((n) => `${n.surface} ${romanise(n.reading, true)}`)
          .join('|')}`,
    )
    .join('\n');
  const table = new NameTable(tableText);
  const fullNames = enamdictFullNames(enamdictText);
  figures['full names'] = scoreTableNames(table, fullNames);
  // Japanese given names in Latin letters: katakana from the table's romaji against the model, where the table has one
  const given = groupPairs(
    heldOut('test', 'en').filter((pair) => pair.source === 'japanese' && table.givenName(pair.en)),
    'en',
  );
  figures['test en-ja japanese given names, model'] = score(given, (input) => jsm.transliterate(input, 'en'));
  figures['test en-ja japanese given names, table romaji'] = score(given, (input) =>
    katakanaOf(table.givenName(input)!),
  );

  const dataText = [
    '// Generated by `npm run build:names` (train/names/build.ts) from EDICT and ENAMDICT (EDRDG, CC BY-SA 3.0: docs/names.md) and IPAdic: do not edit.',
    `// ${model.summary}; the kanji table: ${names.length} names. docs/names.md says what they are and how well they do.`,
    `export const NAMES_MODEL = ${JSON.stringify(model.text)};`,
    `export const NAMES_TABLE = ${JSON.stringify(tableText)};`,
    `export const NAMES_KATAKANA = ${JSON.stringify(lexicons.katakana)};`,
    `export const NAMES_ENGLISH = ${JSON.stringify(lexicons.english)};`,
    '',
  ].join('\n');
  await writeFile(values.data ?? FLAGS.data.default, dataText);
  await writeHeldOut(values.eval ?? FLAGS.eval.default, pairs, fullNames);
  const record = {
    command: 'npm run build:names',
    sources: [edict.deb, enamdict.deb, ipadic[0]!.deb],
    settings: SETTINGS,
    pairs: { total: pairs.length, train: train.length, trainedOn: model.pairs, graphones: model.graphones },
    lexicon: { katakana: lexicons.katakana.split('|').length, english: lexicons.english.split('|').length },
    table: Object.fromEntries(
      (['s', 'g', 'p'] as const).map((kind) => [kind, names.filter((n) => n.kind === kind).length]),
    ),
    bytes: {
      model: Buffer.byteLength(model.text),
      table: Buffer.byteLength(tableText),
      lexicons: Buffer.byteLength(lexicons.katakana + lexicons.english),
      module: Buffer.byteLength(dataText),
    },
    figures,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  await writeFile(values.record ?? FLAGS.record.default, `${JSON.stringify(record, null, 2)}\n`);
  console.log(JSON.stringify(record, null, 2));
}

/** Two rounds of alignment: on names, to find which loanwords' glosses spell them; then on names and those. */
function trainModel(train: Pair[]): { text: string; summary: string; pairs: number; graphones: number } {
  const { align } = SETTINGS;
  const names = train.filter((pair) => pair.source !== 'loanword');
  const first = trainAlignment(names, align);
  const perGraphone = (pair: Pair): number => {
    const best = viterbi(pair, first, align);
    return best ? best.logp / best.graphones.length : -Infinity;
  };
  const scores = names
    .map(perGraphone)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const threshold = scores[Math.floor(scores.length * SETTINGS.loanwordPercentile)]!;
  const kept = [...names, ...train.filter((pair) => pair.source === 'loanword' && perGraphone(pair) >= threshold)];
  const chunked = chunkPairs(kept, trainAlignment(kept, align), align, SETTINGS.minUses);
  const text = trainNgrams(
    chunked.map((c) => c.graphones),
    SETTINGS.ngrams,
  );
  const graphones = text.split('\n')[1]!.split('|').length;
  const summary = `joint-sequence model: ${graphones} graphones, order ${SETTINGS.ngrams.order}, trained on ${chunked.length} pairs`;
  return { text, summary, pairs: chunked.length, graphones };
}

/**
 * The lexicons of common names. ENAMDICT gives a spelling one katakana for each language it is read in (Michael:
 * マイケル, ミカエル, ミハエル, ミヒャエル ...) and no frequency; IPAdic lists ~2,300 katakana names with a cost. For a
 * spelling of ENAMDICT with katakana IPAdic lists, the cheapest of them is its katakana; for such a katakana, of its
 * spellings the one EDICT's glosses use most (John, not Jon). Each lexicon keeps the entries the model does not
 * already give ("michael マイケル" joined by "|"). It draws on every pair, held-out ones too: its entries are looked
 * up, not predicted, and the held-out figures are the model's alone.
 */
function commonNames(
  pairs: Pair[],
  csv: string,
  frequency: Map<string, number>,
  model: JointSequenceModel,
): { katakana: string; english: string } {
  const cost = new Map<string, number>();
  for (const row of csv.split('\n')) {
    const cols = row.split(',');
    if (cols[6] === '人名' && /^[\u30a1-\u30fa\u30fc]+$/u.test(cols[0]!))
      cost.set(cols[0]!, Math.min(Number(cols[3]), cost.get(cols[0]!) ?? Infinity));
  }
  const katakana = new Map<string, string>();
  const english = new Map<string, string>();
  for (const pair of pairs) {
    if (pair.source === 'loanword' || !cost.has(pair.ja)) continue;
    const ja = katakana.get(pair.en);
    if (ja === undefined || cost.get(ja)! > cost.get(pair.ja)!) katakana.set(pair.en, pair.ja);
    const en = english.get(pair.ja);
    if (en === undefined || (frequency.get(en) ?? 0) < (frequency.get(pair.en) ?? 0)) english.set(pair.ja, pair.en);
  }
  const text = (lexicon: Map<string, string>, side: 'en' | 'ja') =>
    [...lexicon]
      .filter(([input, output]) => model.transliterate(input, side) !== output)
      .sort()
      .map((entry) => entry.join(' '))
      .join('|');
  return { katakana: text(katakana, 'en'), english: text(english, 'ja') };
}

/** How often each word (folded to a-z) occurs in EDICT's glosses: the spelling frequency the lexicon ranks by. */
function glossFrequency(edict: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of edict.split('\n')) {
    for (const word of line.slice(line.indexOf('/')).split(/[^A-Za-z]+/u)) {
      if (word.length > 1) counts.set(word.toLowerCase(), (counts.get(word.toLowerCase()) ?? 0) + 1);
    }
  }
  return counts;
}

/** FNV-1a of a string, mod 20: the split's bucket. */
function bucket(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h % 20;
}

/** ENAMDICT's full names (h) in kanji with a two-word Latin gloss: the kanji table's held-out set. */
function enamdictFullNames(enamdict: string): { surface: string; latin: string }[] {
  const names: { surface: string; latin: string }[] = [];
  for (const line of enamdict.split('\n')) {
    const entry = /^(\p{Script=Han}[\p{Script=Han}\p{Script=Hiragana}々]+) \[\S+\] \/\(h\) ([^/(]+?)\s*(?:\(|\/)/u.exec(
      line,
    );
    if (entry && /^[\p{Script=Latin}']+ [\p{Script=Latin}']+$/u.test(entry[2]!))
      names.push({ surface: entry[1]!, latin: entry[2]! });
  }
  return names;
}

/** The committed held-out sets: a deterministic sample of each (every k-th entry), small enough for a unit test. */
async function writeHeldOut(
  folder: string,
  pairs: Pair[],
  fullNames: { surface: string; latin: string }[],
): Promise<void> {
  for (const side of ['en', 'ja'] as const) {
    const refs = new Map<string, Set<string>>();
    for (const pair of pairs)
      if (bucket(pair[side]) === 0)
        refs.set(pair[side], (refs.get(pair[side]) ?? new Set()).add(side === 'en' ? pair.ja : pair.en));
    const rows = [...refs]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([input, outputs]) => `${input}\t${[...outputs].join('|')}`);
    const name = side === 'en' ? 'names-en-ja.test.tsv' : 'names-ja-en.test.tsv';
    await writeFile(`${folder}/${name}`, `${everyKth(rows, SETTINGS.testSample.names).join('\n')}\n`);
  }
  const rows = fullNames.map((name) => `${name.surface}\t${name.latin}`);
  await writeFile(`${folder}/japanese-names.test.tsv`, `${everyKth(rows, SETTINGS.testSample.japanese).join('\n')}\n`);
}

const everyKth = <T>(rows: T[], n: number): T[] =>
  rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / n)) === 0).slice(0, n);

runCli(USAGE, main);
