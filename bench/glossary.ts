// The glossary figure of bench:serve (./serve.ts): what a stored glossary of 1,000 entries adds to a translation.
// The glossary (en-ja, POST /v3/glossaries) holds 1,000 of the training corpus's English words (by frequency from
// rank 100, so many sentences hold some of its terms) with made-up targets; each dev sentence is translated by
// POST /translate at the default beam without it and with it ("glossary": its id), in alternating order so that drift
// hits both. Reported: the server's total (Server-Timing `total`) and wall time p50 of each, the p50 of the per-sentence
// difference, the first request with the glossary (which reads and compiles it), and how many sentences had a term.
// The issue's budget: at most 1 ms more a sentence.
import { readFile } from 'node:fs/promises';
import type { DevServer } from '../test/e2e/dev-server.js';

const TRAIN_EN = '../shared/data/small_parallel_enja/train.en';
export const GLOSSARY_ENTRIES = 1000;

export interface GlossarySample {
  wallMs: number;
  totalMs: number; // Server-Timing total: the whole request in the Worker
  stages: Record<string, number>; // Server-Timing's other stages: glossary, tokenize, encode, decode
  terms: number; // glossary terms the translation applied
}

export interface GlossaryFigure {
  without: GlossarySample[];
  with: GlossarySample[];
  firstUse: GlossarySample; // the first translation with the glossary: its entries read from D1 and compiled
}

export async function glossaryFigure(server: DevServer, sentences: string[]): Promise<GlossaryFigure> {
  const id = await createGlossary(server, await frequentWords(GLOSSARY_ENTRIES, 100));
  const firstUse = await translate(server, sentences[0]!, id);
  const figure: GlossaryFigure = { without: [], with: [], firstUse };
  for (const [i, text] of sentences.entries()) {
    for (const glossary of i % 2 ? [id, undefined] : [undefined, id]) {
      (glossary ? figure.with : figure.without).push(await translate(server, text, glossary));
    }
  }
  await fetch(`${server.url}/v3/glossaries/${id}`, { method: 'DELETE' });
  return figure;
}

/** The `count` most frequent lower-case words of the training corpus from frequency rank `skip` (tokens of letters). */
async function frequentWords(count: number, skip: number): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const token of (await readFile(TRAIN_EN, 'utf8')).split(/\s+/))
    if (/^[a-z]{3,}$/.test(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(skip, skip + count)
    .map(([word]) => word);
}

async function createGlossary(server: DevServer, words: string[]): Promise<string> {
  const entries = words.map((word, i) => `${word}\t用語${i}`).join('\n');
  const res = await fetch(`${server.url}/v3/glossaries`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'bench',
      dictionaries: [{ source_lang: 'en', target_lang: 'ja', entries, entries_format: 'tsv' }],
    }),
  });
  if (res.status !== 201) throw new Error(`POST /v3/glossaries: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { glossary_id: string }).glossary_id;
}

async function translate(server: DevServer, text: string, glossary?: string): Promise<GlossarySample> {
  const started = performance.now();
  const res = await fetch(`${server.url}/translate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, direction: 'en-ja', ...(glossary && { glossary }) }),
  });
  const body = await res.text();
  const wallMs = performance.now() - started;
  if (res.status !== 200) throw new Error(`/translate: ${res.status} ${body}`);
  const stages = Object.fromEntries(
    [...(res.headers.get('Server-Timing') ?? '').matchAll(/(?:^|,)\s*([\w-]+);[^,]*?dur=([\d.]+)/g)].map((m) => [
      m[1]!,
      Number(m[2]),
    ]),
  );
  return {
    wallMs,
    totalMs: stages.total ?? NaN,
    stages,
    terms: ((JSON.parse(body) as { glossaryTerms?: unknown[] }).glossaryTerms ?? []).length,
  };
}

/** The figure's lines: p50s with and without, the p50 of the per-sentence differences, the first use. */
export function glossaryReport(
  figure: GlossaryFigure,
  percentile: (values: number[], p: number) => number,
): { lines: string[]; extraMs: number } {
  const p50 = (values: number[]) => percentile(values, 50);
  const diff = (pick: (s: GlossarySample) => number) =>
    p50(figure.with.map((s, i) => pick(s) - pick(figure.without[i]!)));
  const extraMs = diff((s) => s.totalMs);
  const withTerms = figure.with.filter((s) => s.terms > 0).length;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return {
    extraMs,
    lines: [
      `glossary of ${GLOSSARY_ENTRIES} entries (en-ja, default beam, ${figure.with.length} sentences, ${withTerms} with a term): server total p50 ${ms(p50(figure.with.map((s) => s.totalMs)))} with, ${ms(p50(figure.without.map((s) => s.totalMs)))} without;` +
        ` per sentence +${ms(extraMs)} server (p50 of the differences), +${ms(diff((s) => s.wallMs))} wall; first use (read from D1 and compiled) ${ms(figure.firstUse.totalMs)}`,
      `  p50 of the stages with / without: ${['glossary', 'tokenize', 'encode', 'decode'].map((name) => `${name} ${ms(p50(figure.with.map((s) => s.stages[name] ?? 0)))} / ${ms(p50(figure.without.map((s) => s.stages[name] ?? 0)))}`).join(', ')}; first use: glossary ${ms(figure.firstUse.stages.glossary ?? NaN)}`,
    ],
  };
}
