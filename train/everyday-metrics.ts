// What the everyday set (test/everyday/README.md) measures of one output, and a block's figures from them:
// - chrF2 as sacreBLEU computes it (chrF, not chrF++): whitespace removed, character n-grams n = 1..6 counted per
//   sentence, a hypothesis's n-grams of order n not counted when the reference has none of that order; counts summed
//   over the corpus; precision and recall averaged over the orders where both sides have n-grams, then
//   F_beta = (1 + b^2) P R / (b^2 P + R) with beta 2 (recall weighs more). 0-100.
// - entities: each entity of the item (its reference's conventions: 午後3時30分, "$25") found in the output, both
//   NFKC-normalised (so the model's full-width "３時" is "3時"), case kept ("Tanaka", not "tanaka"), but a lower-case
//   entity may start a sentence capitalised, as English writes it ("Children are playing" holds "children").
// - pasted: an output holding a word of the source's script: for a Japanese target, a Latin-letter word that is not
//   a word of the item's entities or spans (iPhone, Wi-Fi, a URL's words), in any case; for an English target, any
//   kana or kanji.
// - spans: each verbatim span (URL, e-mail address, phone number, code) found character for character, with no Latin
//   letter or digit right before or after it ("…/resetsupport@…" or "3:3014" is glued). Kana and kanji may touch it:
//   Japanese writes "090-1234-5678に電話".

/** One text of the set: a line of test/everyday/<direction>.jsonl. */
export interface EverydayItem {
  id: string;
  block: string; // simple, names, numbers, modern, verbatim, two-sentence
  source: string;
  reference: string;
  entities: string[]; // what the reference holds that the output must hold too
  spans: string[]; // what must come through verbatim, whole and apart
}

/** The items of a set file (JSONL), each line checked for its fields; the error names the line. */
export function parseEverydaySet(text: string): EverydayItem[] {
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const item = JSON.parse(line) as EverydayItem;
    const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
    const ok =
      [item.id, item.block, item.source, item.reference].every((v) => typeof v === 'string' && v !== '') &&
      strings(item.entities) &&
      strings(item.spans);
    if (!ok)
      throw new Error(
        `line ${i + 1}: an item needs id, block, source, reference (strings) and entities, spans (lists of strings)`,
      );
    return [item];
  });
}

/** The measures of one output. */
export interface ItemScore {
  chrf: number[]; // chrfStatistics(output, reference)
  entitiesFound: string[];
  pasted: string[]; // the source-script words found in the output
  spansIntact: string[];
}

/** A block's (or a direction's) figures; the shares are percentages, null when the items list no entity or span. */
export interface Figures {
  items: number;
  chrf: number; // corpus chrF2, 0-100
  entities: number | null; // share of the listed entities found
  pasted: number; // share of the outputs with a pasted word
  spans: number | null; // share of the listed spans whole and apart
  entitiesFound: number;
  entitiesListed: number;
  pastedOutputs: number;
  spansIntact: number;
  spansListed: number;
}

const CHRF_ORDER = 6;
const CHRF_BETA = 2;

/** [hypothesis n-grams, reference n-grams, matches] for n = 1..6, flattened: one sentence's chrF counts. */
export function chrfStatistics(hypothesis: string, reference: string): number[] {
  const hyp = [...hypothesis.replace(/\s+/gu, '')]; // code points, as Python indexes a str
  const ref = [...reference.replace(/\s+/gu, '')];
  const stats: number[] = [];
  for (let n = 1; n <= CHRF_ORDER; n++) {
    const refCounts = charNgrams(ref, n);
    let matches = 0;
    for (const [gram, count] of charNgrams(hyp, n)) matches += Math.min(count, refCounts.get(gram) ?? 0);
    const refTotal = Math.max(ref.length - n + 1, 0);
    stats.push(refTotal > 0 ? Math.max(hyp.length - n + 1, 0) : 0, refTotal, matches);
  }
  return stats;
}

function charNgrams(chars: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const gram = chars.slice(i, i + n).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** chrF2 (0-100) of statistics summed over sentences (see the opening comment). */
export function chrfScore(stats: number[]): number {
  let precision = 0;
  let recall = 0;
  let orders = 0;
  for (let i = 0; i < CHRF_ORDER; i++) {
    const [hyp, ref, matches] = stats.slice(3 * i, 3 * i + 3) as [number, number, number];
    if (hyp === 0 || ref === 0) continue;
    precision += matches / hyp;
    recall += matches / ref;
    orders++;
  }
  if (orders === 0 || precision + recall === 0) return 0;
  [precision, recall] = [precision / orders, recall / orders];
  const b2 = CHRF_BETA ** 2;
  return (100 * (1 + b2) * precision * recall) / (b2 * precision + recall);
}

/** Corpus chrF2 of hypotheses against one reference each. */
export function corpusChrf(hypotheses: string[], references: string[]): number {
  return chrfScore(sumStatistics(hypotheses.map((h, i) => chrfStatistics(h, references[i]!))));
}

const sumStatistics = (rows: number[][]): number[] =>
  rows.reduce((sum, row) => sum.map((s, k) => s + row[k]!), new Array<number>(3 * CHRF_ORDER).fill(0));

/** The item's entities that the output holds, both NFKC-normalised; a lower-case one capitalised where a sentence starts. */
export function entitiesFound(output: string, entities: string[]): string[] {
  const text = output.normalize('NFKC');
  const starts = text.split(/(?<=[.!?])\s+/u);
  return entities.filter((entity) => {
    const e = entity.normalize('NFKC');
    const capitalised = e.charAt(0).toUpperCase() + e.slice(1);
    return text.includes(e) || (capitalised !== e && starts.some((sentence) => sentence.startsWith(capitalised)));
  });
}

const LATIN_WORD = /\p{Script=Latin}+/gu;
const JAPANESE_WORD =
  /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}][\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー]*/gu;

/** The words of the source's script in an output of target language `target` (see the opening comment). */
export function pastedWords(
  output: string,
  item: Pick<EverydayItem, 'entities' | 'spans'>,
  target: 'en' | 'ja',
): string[] {
  const text = output.normalize('NFKC');
  if (target === 'en') return text.match(JAPANESE_WORD) ?? [];
  const latinWords = (s: string) => (s.normalize('NFKC').match(LATIN_WORD) ?? []).map((w) => w.toLowerCase());
  const allowed = new Set([...item.entities, ...item.spans].flatMap(latinWords));
  return (text.match(LATIN_WORD) ?? []).filter((word) => !allowed.has(word.toLowerCase()));
}

const GLUE = /[\p{Script=Latin}\p{N}]/u;

/** Whether `span` occurs in the output character for character with no Latin letter or digit touching it. */
export function spanIntact(output: string, span: string): boolean {
  for (let at = output.indexOf(span); at >= 0; at = output.indexOf(span, at + 1)) {
    const before = output[at - 1] ?? '';
    const after = output[at + span.length] ?? '';
    if (!GLUE.test(before) && !GLUE.test(after)) return true;
  }
  return false;
}

/** The measures of `output`, the translation of `item` into `target`. */
export function scoreItem(item: EverydayItem, output: string, target: 'en' | 'ja'): ItemScore {
  return {
    chrf: chrfStatistics(output, item.reference),
    entitiesFound: entitiesFound(output, item.entities),
    pasted: pastedWords(output, item, target),
    spansIntact: item.spans.filter((span) => spanIntact(output, span)),
  };
}

/** The figures of scored items (a block, or a whole direction). */
export function figures(items: EverydayItem[], scores: ItemScore[]): Figures {
  const count = (f: (i: number) => number) => items.reduce((sum, _, i) => sum + f(i), 0);
  const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
  const entitiesFound = count((i) => scores[i]!.entitiesFound.length);
  const entitiesListed = count((i) => items[i]!.entities.length);
  const pastedOutputs = count((i) => (scores[i]!.pasted.length > 0 ? 1 : 0));
  const spansIntact = count((i) => scores[i]!.spansIntact.length);
  const spansListed = count((i) => items[i]!.spans.length);
  return {
    items: items.length,
    chrf: chrfScore(sumStatistics(scores.map((s) => s.chrf))),
    entities: percent(entitiesFound, entitiesListed),
    pasted: percent(pastedOutputs, items.length) ?? 0,
    spans: percent(spansIntact, spansListed),
    entitiesFound,
    entitiesListed,
    pastedOutputs,
    spansIntact,
    spansListed,
  };
}
