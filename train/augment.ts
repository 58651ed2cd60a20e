// What a training pair teaches beyond its words, decided per epoch (a fresh draw each time):
// - Placeholders (--placeholder-rate): in that share of pairs, up to two aligned spans become placeholder tokens
//   (src/core/placeholders.ts), the same on both sides, so the model learns to carry what serving masks (a URL, a
//   number, a name, a glossary term) to where its source was. A span is one source word that is a number or a
//   rare word (vocabulary rank >= RARE_RANK, or <unk>: names, places), aligned to 1-3 consecutive target tokens
//   that align to nothing else. Placeholders are numbered in source order, as serving numbers its spans.
// - Inserted <unk> (--unknown-insert-rate): in that share of pairs, an <unk> is inserted before a source word drawn
//   at random and before the first target token aligned to it, linked, and nothing else changes: what a verbatim span
//   (a URL, a time) is to a model without placeholders, which serving reads as <unk> and puts where its <unk> goes
//   (src/core/align.ts). So the model learns to carry an <unk> it did not expect to its place and leave the rest of
//   the sentence as it was.
// - Register (--formality): in that share of en-ja pairs, the source carries the tag of its target's register
//   (src/core/register.ts; --register-tag: before its words, or around them), so a request can ask for polite or
//   plain Japanese; the rest stay untagged, so a request without a tag gets the corpus's own mix (DeepL's `default`).
// Links move with the tokens (guided alignment trains on them, train/fast/loss.ts).
import type { Link } from './align/fast-align.js';
import type { Pair } from './batches.js';
import { SPECIAL_TOKENS } from '../src/core/artifact.js';
import { withRegisterTag, type TagPlacement } from '../src/core/register.js';

/** Token ids of the reserved tokens (see prepareData); absent when the run does not use them. */
export interface Reserved {
  placeholders?: { source: number[]; target: number[] }; // placeholder i's id on each side
  registers?: { polite: number; plain: number }; // source-side tag ids
}

export interface AugmentOptions {
  placeholderRate: number; // share of pairs (with a candidate span) that get placeholders
  unknownInsertRate?: number; // share of the others that get an <unk> inserted
  formality: number; // share of pairs whose source carries its register tag
  registerTag?: TagPlacement; // where (default first)
}

/** A source word of at least this vocabulary rank is rare enough to stand for a name (4,004 words: the last 3,000). */
export const RARE_RANK = 1000;
const MAX_SPANS = 2;
const MAX_TARGET_SPAN = 3;

export function augmentPairs(
  pairs: Pair[],
  options: AugmentOptions,
  reserved: Reserved,
  random: () => number,
  isNumber: (sourceId: number) => boolean,
): Pair[] {
  return pairs.map((pair) => {
    let out = pair;
    if (reserved.placeholders && options.placeholderRate > 0 && random() < options.placeholderRate) {
      out = withPlaceholders(out, reserved.placeholders, random, isNumber);
    } else if (options.unknownInsertRate && random() < options.unknownInsertRate) {
      out = withInsertedUnknown(out, random);
    }
    if (reserved.registers && pair.register && random() < options.formality)
      out = withTag(out, reserved.registers[pair.register], options.registerTag ?? 'first');
    return out;
  });
}

/** The source word -> target span candidates of a pair: [source index, first target index, end (exclusive)]. */
export function spanCandidates(pair: Pair, isNumber: (sourceId: number) => boolean): [number, number, number][] {
  const links = pair.links ?? [];
  const bySource = new Map<number, number[]>();
  const sourcesOf = new Map<number, number>();
  for (const [s, t] of links) {
    bySource.set(s, [...(bySource.get(s) ?? []), t]);
    sourcesOf.set(t, (sourcesOf.get(t) ?? 0) + 1);
  }
  const candidates: [number, number, number][] = [];
  for (const [s, targets] of bySource) {
    const id = pair.source[s];
    if (!(isNumber(id) || id === 1 || id >= RARE_RANK)) continue;
    const [first, last] = [Math.min(...targets), Math.max(...targets)];
    const contiguous = last - first + 1 === targets.length && targets.length <= MAX_TARGET_SPAN;
    if (contiguous && targets.every((t) => sourcesOf.get(t) === 1)) candidates.push([s, first, last + 1]);
  }
  return candidates.sort((a, b) => a[0] - b[0]);
}

function withPlaceholders(
  pair: Pair,
  ids: NonNullable<Reserved['placeholders']>,
  random: () => number,
  isNumber: (id: number) => boolean,
): Pair {
  const candidates = spanCandidates(pair, isNumber);
  if (candidates.length === 0) return pair;
  const count = Math.min(MAX_SPANS, candidates.length, 1 + Math.floor(random() * MAX_SPANS));
  const chosen = pickSorted(candidates, count, random);
  const source = [...pair.source];
  chosen.forEach(([s], k) => (source[s] = ids.source[k]));
  // Each chosen target span collapses to its placeholder; other target tokens shift left.
  const newIndex = new Int32Array(pair.target.length);
  const target: number[] = [];
  for (let t = 0; t < pair.target.length; t++) {
    const k = chosen.findIndex(([, first, end]) => t >= first && t < end);
    if (k >= 0 && t > chosen[k][1]) {
      newIndex[t] = target.length - 1;
      continue;
    }
    newIndex[t] = target.length;
    target.push(k >= 0 ? ids.target[k] : pair.target[t]);
  }
  const seen = new Set<string>();
  const links = (pair.links ?? [])
    .map(([s, t]): Link => [s, newIndex[t]])
    .filter(([s, t]) => !seen.has(`${s},${t}`) && !!seen.add(`${s},${t}`));
  return { ...pair, source, target, links };
}

/** <unk> inserted before source word s (drawn) and before the first target token linked to it; none unlinked. */
function withInsertedUnknown(pair: Pair, random: () => number): Pair {
  const links = pair.links ?? [];
  const s = Math.floor(random() * pair.source.length);
  const linked = links.filter(([from]) => from === s).map(([, to]) => to);
  if (linked.length === 0) return pair;
  const t = Math.min(...linked);
  const insert = (tokens: number[], at: number) => [...tokens.slice(0, at), SPECIAL_TOKENS.unk, ...tokens.slice(at)];
  return {
    ...pair,
    source: insert(pair.source, s),
    target: insert(pair.target, t),
    links: [...links.map(([a, b]): Link => [a >= s ? a + 1 : a, b >= t ? b + 1 : b]), [s, t]],
  };
}

function withTag(pair: Pair, tag: number, placement: TagPlacement): Pair {
  return {
    ...pair,
    source: withRegisterTag(pair.source, tag, placement),
    links: pair.links?.map(([s, t]): Link => [s + 1, t]),
  };
}

/** `count` items of `items` chosen at random, kept in their order. */
function pickSorted<T>(items: T[], count: number, random: () => number): T[] {
  const indices = items.map((_, i) => i);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}
