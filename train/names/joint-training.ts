// Training of the joint-sequence model that src/core/names/joint-sequence.ts reads:
// 1. Alignment (m2m-aligner style, Jiampojamarn et al. 2007): each pair's letters and katakana units
//    (src/core/names/joint-sequence.ts kanaUnits) are cut into graphones of 1..maxLetters letters and 1..maxKana units;
//    EM over all pairs estimates P(graphone), forward-backward giving each pair's expected chunk counts; the final
//    model's Viterbi chunking is the pair's graphone sequence. No empty chunk on either side, so both directions
//    search without insertions.
// 2. An n-gram model over graphone sequences with interpolated Kneser-Ney (Chen & Goodman; one discount an order,
//    D = n1 / (n1 + 2 n2)), written in backoff form. N-grams of order 2 and up seen fewer than `minCount` times are
//    dropped; their mass goes to their context's backoff, so every distribution still sums to one.
import { kanaUnits } from '../../src/core/names/joint-sequence.js';

export interface AlignOptions {
  maxLetters: number; // letters a graphone may hold (3: "sch", "tch", "igh")
  maxKana: number; // katakana units a graphone may hold (2: "x" -> クス)
  iterations: number; // EM iterations; the likelihood barely moves after ~5
}

export interface WordPair {
  en: string;
  ja: string;
}

export type Table = Map<string, number>; // "letters kana" -> P(graphone)

const key = (en: string, ja: string): string => `${en} ${ja}`;

/**
 * A pair's lattice: every chunk of it as an edge from cell (i, j) (i letters and j units read) to (i + a, j + b),
 * cells numbered row-major, edges in the order of their first cell, each with its graphone's id.
 */
interface Lattice {
  cells: number;
  from: Uint16Array;
  to: Uint16Array;
  graphone: Int32Array;
}

/** P(graphone) by EM over `pairs`, from a uniform start; graphones under `floor` are dropped after each iteration. */
export function trainAlignment(pairs: WordPair[], options: AlignOptions, floor = 1e-7): Table {
  const ids = new Map<string, number>();
  const lattices = pairs.map((pair) => latticeOf(pair, options, ids));
  let p = new Float64Array(ids.size).fill(1);
  for (let it = 0; it < options.iterations; it++) {
    const counts = new Float64Array(ids.size);
    for (const lattice of lattices) expectedCounts(lattice, p, counts);
    const total = counts.reduce((a, b) => a + b, 0);
    p = counts.map((c) => (c / total >= floor ? c / total : 0));
  }
  const names = [...ids.keys()];
  return new Map(names.flatMap((name, id) => (p[id]! > 0 ? [[name, p[id]!] as [string, number]] : [])));
}

function latticeOf(pair: WordPair, options: AlignOptions, ids: Map<string, number>): Lattice {
  const ja = kanaUnits(pair.ja);
  const width = ja.length + 1;
  const from: number[] = [];
  const to: number[] = [];
  const graphone: number[] = [];
  for (let i = 0; i < pair.en.length; i++) {
    for (let j = 0; j < ja.length; j++) {
      eachChunk(pair.en, ja, i, j, options, (en, kana, i2, j2) => {
        const name = key(en, kana);
        let id = ids.get(name);
        if (id === undefined) ids.set(name, (id = ids.size));
        from.push(i * width + j);
        to.push(i2 * width + j2);
        graphone.push(id);
      });
    }
  }
  return {
    cells: (pair.en.length + 1) * width,
    from: Uint16Array.from(from),
    to: Uint16Array.from(to),
    graphone: Int32Array.from(graphone),
  };
}

/** Adds a pair's expected graphone counts under P(graphone) `p` to `counts` (forward-backward over its lattice). */
function expectedCounts(lattice: Lattice, p: Float64Array, counts: Float64Array): void {
  const { cells, from, to, graphone } = lattice;
  const alpha = new Float64Array(cells);
  const beta = new Float64Array(cells);
  alpha[0] = 1;
  beta[cells - 1] = 1;
  for (let e = 0; e < from.length; e++) alpha[to[e]!] += alpha[from[e]!]! * p[graphone[e]!]!;
  for (let e = from.length - 1; e >= 0; e--) beta[from[e]!] += p[graphone[e]!]! * beta[to[e]!]!;
  const total = alpha[cells - 1]!;
  if (!(total > 0)) return;
  for (let e = 0; e < from.length; e++) {
    const g = graphone[e]!;
    counts[g] += (alpha[from[e]!]! * p[g]! * beta[to[e]!]!) / total;
  }
}

function eachChunk(
  en: string,
  ja: string[],
  i: number,
  j: number,
  options: AlignOptions,
  visit: (en: string, ja: string, i2: number, j2: number) => void,
): void {
  for (let a = 1; a <= options.maxLetters && i + a <= en.length; a++) {
    for (let b = 1; b <= options.maxKana && j + b <= ja.length; b++)
      visit(en.slice(i, i + a), ja.slice(j, j + b).join(''), i + a, j + b);
  }
}

/** The most likely chunking of a pair under `table`, and its log probability; undefined when none exists. */
export function viterbi(
  pair: WordPair,
  table: Table,
  options: AlignOptions,
): { graphones: string[]; logp: number } | undefined {
  const ja = kanaUnits(pair.ja);
  const best = Array.from(
    { length: pair.en.length + 1 },
    () => new Array<{ logp: number; from?: [number, number, string] }>(ja.length + 1),
  );
  best[0]![0] = { logp: 0 };
  for (let i = 0; i < pair.en.length; i++) {
    for (let j = 0; j < ja.length; j++) {
      const here = best[i]![j];
      if (!here) continue;
      eachChunk(pair.en, ja, i, j, options, (en, kana, i2, j2) => {
        const p = table.get(key(en, kana));
        if (!p) return;
        const logp = here.logp + Math.log(p);
        if (!best[i2]![j2] || best[i2]![j2]!.logp < logp) best[i2]![j2] = { logp, from: [i, j, key(en, kana)] };
      });
    }
  }
  let cell = best[pair.en.length]![ja.length];
  if (!cell) return undefined;
  const logp = cell.logp;
  const graphones: string[] = [];
  while (cell.from) {
    graphones.unshift(cell.from[2]);
    cell = best[cell.from[0]]![cell.from[1]]!;
  }
  return { graphones, logp };
}

/**
 * Each pair's graphones under `table`, after dropping graphones used fewer than `minUses` times over all pairs (their
 * pairs are chunked again without them; a pair left with no chunking is dropped).
 */
export function chunkPairs(
  pairs: WordPair[],
  table: Table,
  options: AlignOptions,
  minUses: number,
): { pair: WordPair; graphones: string[] }[] {
  let chunked = pairs.map((pair) => ({ pair, graphones: viterbi(pair, table, options)?.graphones }));
  const uses = new Map<string, number>();
  for (const { graphones } of chunked) for (const g of graphones ?? []) uses.set(g, (uses.get(g) ?? 0) + 1);
  const kept: Table = new Map([...table].filter(([g]) => (uses.get(g) ?? 0) >= minUses));
  chunked = chunked.map(({ pair, graphones }) => ({
    pair,
    graphones: graphones?.every((g) => kept.has(g)) ? graphones : viterbi(pair, kept, options)?.graphones,
  }));
  return chunked.filter((c): c is { pair: WordPair; graphones: string[] } => c.graphones !== undefined);
}

export interface NgramOptions {
  order: number; // graphones of context + 1; 5-6 is usual for names
  minCount: number; // n-grams of order >= 2 seen fewer times are dropped (1 keeps all)
  quantisation: number; // log-probabilities are stored as round(-ln p * quantisation)
}

/** The text of src/core/names/joint-sequence.ts's format for graphone sequences `words`. */
export function trainNgrams(words: string[][], options: NgramOptions): string {
  const inventory = [...new Set(words.flat())].sort();
  const BASE = 0xc0;
  const charOf = new Map(inventory.map((g, i) => [g, String.fromCharCode(BASE + 2 + i)]));
  const END = String.fromCharCode(BASE);
  const START = String.fromCharCode(BASE + 1);
  const N = options.order;
  // raw[n]: counts of n-grams (as strings of graphone characters) of order n
  const raw: Map<string, number>[] = Array.from({ length: N + 1 }, () => new Map());
  for (const word of words) {
    const seq = START + word.map((g) => charOf.get(g)!).join('') + END;
    for (let end = 1; end < seq.length; end++) {
      for (let n = 1; n <= N && end - n + 1 >= 0; n++) {
        const gram = seq.slice(end - n + 1, end + 1);
        raw[n]!.set(gram, (raw[n]!.get(gram) ?? 0) + 1);
      }
    }
  }
  // KN counts: the top order keeps raw counts, lower orders count distinct left extensions (except after <s>)
  const kn: Map<string, number>[] = raw.map((m) => new Map(m));
  for (let n = 1; n < N; n++) {
    const cont = new Map<string, number>();
    for (const gram of raw[n + 1]!.keys()) cont.set(gram.slice(1), (cont.get(gram.slice(1)) ?? 0) + 1);
    for (const gram of raw[n]!.keys())
      kn[n]!.set(gram, gram.startsWith(START) ? raw[n]!.get(gram)! : (cont.get(gram) ?? raw[n]!.get(gram)!));
  }
  // keep: order 1 all; higher orders by count, then every prefix of a kept n-gram (it is a context)
  const kept: Set<string>[] = kn.map(
    (m, n) => new Set([...m].filter(([, c]) => n <= 1 || c >= options.minCount).map(([g]) => g)),
  );
  for (let n = N; n >= 2; n--) for (const gram of kept[n]!) kept[n - 1]!.add(gram.slice(0, -1));
  const logp = new Map<string, number>();
  const backoff = new Map<string, number>();
  const lower = (gram: string): number => {
    // ln P of gram's last graphone given the rest, from the orders already estimated
    let penalty = 0;
    for (let h = gram.slice(0, -1); ; h = h.slice(1)) {
      const p = logp.get(h + gram.slice(-1));
      if (p !== undefined) return penalty + p;
      if (h === '') throw new Error('an n-gram whose graphone has no unigram');
      penalty += backoff.get(h) ?? 0;
    }
  };
  const V = inventory.length + 1; // graphones and the end; the start is never predicted
  for (let n = 1; n <= N; n++) {
    const countsOfCounts = [0, 0, 0];
    for (const c of kn[n]!.values()) if (c <= 2) countsOfCounts[c]!++;
    const D = countsOfCounts[1]! / (countsOfCounts[1]! + 2 * countsOfCounts[2]!) || 0.5;
    const total = new Map<string, number>(); // c(h)
    const discounted = new Map<string, number>(); // the mass context h leaves to the lower order: gamma(h) c(h)
    for (const [gram, c] of kn[n]!) {
      if (gram === START) continue;
      const h = gram.slice(0, -1);
      total.set(h, (total.get(h) ?? 0) + c);
      discounted.set(h, (discounted.get(h) ?? 0) + (kept[n]!.has(gram) ? Math.min(D, c) : c));
    }
    // contexts of this order first: P(w | h') of the next order backs off through them
    for (const gram of kept[n]!) {
      if (gram === START) continue;
      const h = gram.slice(0, -1);
      const gamma = discounted.get(h)! / total.get(h)!;
      const below = n === 1 ? -Math.log(V) : lower(gram.slice(1));
      logp.set(gram, Math.log(Math.max(kn[n]!.get(gram)! - D, 0) / total.get(h)! + gamma * Math.exp(below)));
    }
    if (n >= 2)
      for (const h of total.keys())
        if (kept[n - 1]!.has(h)) backoff.set(h, Math.log(discounted.get(h)! / total.get(h)!));
  }
  return serialise(inventory, logp, backoff, options);
}

/**
 * The model as src/core/names/joint-sequence.ts reads it: each context a state (its backoff, the state of the context
 * without its first graphone, its n-grams as transitions to the state of the longest context ending the n-gram),
 * packed into bytes (the layout is the reader's) and written as base64 after a header line and the graphones.
 */
function serialise(
  inventory: string[],
  logp: Map<string, number>,
  backoff: Map<string, number>,
  options: NgramOptions,
): string {
  const BASE = 0xc0;
  const contexts = ['', ...[...backoff.keys()].filter((h) => h !== '').sort()];
  const ids = new Map(contexts.map((h, i) => [h, i]));
  if (contexts.length > 0xffff || inventory.length + 2 > 0xffff)
    throw new Error('too many states or graphones for 16-bit ids');
  const stateOf = (history: string): number => {
    let h = history.slice(-(options.order - 1));
    while (!ids.has(h)) h = h.slice(1);
    return ids.get(h)!;
  };
  const transitions: [number, number, number][][] = contexts.map(() => []); // [graphone, logp, to] by state
  for (const [gram, p] of logp) {
    const from = ids.get(gram.slice(0, -1));
    if (from !== undefined) transitions[from]!.push([gram.charCodeAt(gram.length - 1) - BASE, p, stateOf(gram)]);
  }
  for (const list of transitions) list.sort((a, b) => a[0] - b[0]);
  const q = options.quantisation;
  const byte = (x: number): number => Math.min(255, Math.max(0, Math.round(-x * q)));
  const S = contexts.length;
  const T = transitions.reduce((n, list) => n + list.length, 0);
  const bytes = new Uint8Array(8 + S * 5 + T * 5);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, S, true);
  view.setUint32(4, T, true);
  let at = 8;
  const u16 = (x: number) => void (view.setUint16(at, x, true), (at += 2));
  const u8 = (x: number) => void (bytes[at++] = x);
  for (const list of transitions) u16(list.length);
  contexts.forEach((h) => u16(h === '' ? 0xffff : stateOf(h.slice(1))));
  for (const list of transitions) for (const [g] of list) u16(g);
  for (const list of transitions) for (const [, , to] of list) u16(to);
  contexts.forEach((h) => u8(byte(backoff.get(h) ?? 0)));
  for (const list of transitions) for (const [, p] of list) u8(byte(p));
  return [
    `jsm2 ${options.order} ${q} ${ids.get(String.fromCharCode(BASE + 1))}`,
    inventory.join('|'),
    Buffer.from(bytes).toString('base64'),
  ].join('\n');
}
