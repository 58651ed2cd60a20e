// The everyday sets (test/everyday/) are what their README says: enough texts in each block, every entity and span in
// the reference, references that pass their own checks, no sentence taken from the training corpus, and a held-out set
// that shares no sentence with the dev set.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEverydaySet, pastedWords, spanIntact, type EverydayItem } from '../../train/everyday-metrics.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = path.resolve(repoRoot, '../shared/data/small_parallel_enja');
const BLOCKS = ['simple', 'names', 'numbers', 'modern', 'verbatim', 'two-sentence'];

const readSet = (set: string, direction: string) =>
  parseEverydaySet(readFileSync(path.join(repoRoot, 'test/everyday', `${set}.${direction}.jsonl`), 'utf8'));
const sets = (['dev', 'heldout'] as const).flatMap((set) =>
  (['en-ja', 'ja-en'] as const).map((direction) => ({
    set,
    direction,
    target: direction === 'en-ja' ? ('ja' as const) : ('en' as const),
    items: readSet(set, direction),
  })),
);

/** Letters and digits only, NFKC, lower case: a corpus line ("don 't", "１０ 時") and a typed text compare alike. */
const fold = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
/** Sentences of a text; "Mr. Kato" is one sentence, not "Mr." and "Kato". */
const sentences = (text: string) =>
  text.split(/(?<=[.!?])(?<!\b(?:Mr|Ms|Mrs|Dr)\.)\s+|(?<=[。！？])/u).filter((s) => fold(s) !== '');

describe.each(sets)('the everyday $set set, $direction', ({ items, target }) => {
  it('has at least 100 texts, 15 or more in each block, with unique ids', () => {
    expect(items.length).toBeGreaterThanOrEqual(100);
    for (const block of BLOCKS)
      expect(items.filter((item) => item.block === block).length, block).toBeGreaterThanOrEqual(15);
    expect(items.every((item) => BLOCKS.includes(item.block))).toBe(true);
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
  });

  it('lists entities its references hold and spans its sources and references hold whole', () => {
    const missing = items.flatMap((item) => [
      ...item.entities
        .filter((e) => !item.reference.normalize('NFKC').includes(e.normalize('NFKC')))
        .map((e) => `${item.id} entity ${e}`),
      ...item.spans
        .filter((s) => !item.source.includes(s) || !spanIntact(item.reference, s))
        .map((s) => `${item.id} span ${s}`),
    ]);
    expect(missing).toEqual([]);
  });

  it('has references with no pasted source-language word', () => {
    expect(items.filter((item) => pastedWords(item.reference, item, target).length > 0).map((item) => item.id)).toEqual(
      [],
    );
  });

  it('takes no sentence from the training corpus (train and dev, either side)', ({ skip }) => {
    skip(!existsSync(CORPUS), `corpus not found at ${CORPUS}`);
    const corpus = new Set(
      ['train.en', 'train.ja', 'dev.en', 'dev.ja'].flatMap((file) =>
        readFileSync(path.join(CORPUS, file), 'utf8').split('\n').map(fold),
      ),
    );
    const found = items.flatMap((item) =>
      [item.source, item.reference].flatMap((text) => [text, ...sentences(text)]).filter((s) => corpus.has(fold(s))),
    );
    expect(found).toEqual([]);
  });
});

describe.each(['en-ja', 'ja-en'])('the held-out set, %s', (direction) => {
  it('shares no source, reference or sentence of one with the dev set', () => {
    const texts = (items: EverydayItem[]) =>
      items
        .flatMap((item) => [item.source, item.reference])
        .flatMap((text) => [text, ...sentences(text)])
        .map(fold);
    const dev = new Set(texts(readSet('dev', direction)));
    expect(texts(readSet('heldout', direction)).filter((s) => dev.has(s))).toEqual([]);
  });

  it('has ids of its own', () => {
    const dev = new Set(readSet('dev', direction).map((item) => item.id));
    expect(
      readSet('heldout', direction)
        .filter((item) => dev.has(item.id))
        .map((item) => item.id),
    ).toEqual([]);
  });
});
