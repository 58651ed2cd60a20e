// The everyday set (test/everyday/) is what its README says: enough texts in each block, every entity and span in the
// reference, references that pass their own checks, and no sentence taken from the training corpus.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEverydaySet, pastedWords, spanIntact } from '../../train/everyday-metrics.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = path.resolve(repoRoot, '../shared/data/small_parallel_enja');
const BLOCKS = ['simple', 'names', 'numbers', 'modern', 'verbatim', 'two-sentence'];

const sets = (['en-ja', 'ja-en'] as const).map((direction) => ({
  direction,
  target: direction === 'en-ja' ? ('ja' as const) : ('en' as const),
  items: parseEverydaySet(readFileSync(path.join(repoRoot, 'test/everyday', `${direction}.jsonl`), 'utf8')),
}));

/** Letters and digits only, NFKC, lower case: a corpus line ("don 't", "１０ 時") and a typed text compare alike. */
const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
const sentences = (text: string) => text.split(/(?<=[.!?])\s+|(?<=[。！？])/u).filter((s) => fold(s) !== '');

describe.each(sets)('the everyday set, $direction', ({ items, target }) => {
  it('has at least 100 texts, 15 or more in each block, with unique ids', () => {
    expect(items.length).toBeGreaterThanOrEqual(100);
    for (const block of BLOCKS) expect(items.filter((item) => item.block === block).length, block).toBeGreaterThanOrEqual(15);
    expect(items.every((item) => BLOCKS.includes(item.block))).toBe(true);
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
  });

  it('lists entities its references hold and spans its sources and references hold whole', () => {
    const missing = items.flatMap((item) => [
      ...item.entities.filter((e) => !item.reference.normalize('NFKC').includes(e.normalize('NFKC'))).map((e) => `${item.id} entity ${e}`),
      ...item.spans.filter((s) => !item.source.includes(s) || !spanIntact(item.reference, s)).map((s) => `${item.id} span ${s}`),
    ]);
    expect(missing).toEqual([]);
  });

  it('has references with no pasted source-language word', () => {
    expect(items.filter((item) => pastedWords(item.reference, item, target).length > 0).map((item) => item.id)).toEqual([]);
  });

  it('takes no sentence from the training corpus (train and dev, either side)', ({ skip }) => {
    skip(!existsSync(CORPUS), `corpus not found at ${CORPUS}`);
    const corpus = new Set(['train.en', 'train.ja', 'dev.en', 'dev.ja'].flatMap((file) => readFileSync(path.join(CORPUS, file), 'utf8').split('\n').map(fold)));
    const found = items.flatMap((item) => [item.source, item.reference].flatMap((text) => [text, ...sentences(text)]).filter((s) => corpus.has(fold(s))));
    expect(found).toEqual([]);
  });
});
