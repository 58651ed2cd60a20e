// What a training pair teaches beyond its words, decided per epoch (a fresh draw each time):
// - Placeholders (--placeholder-rate): in that share of pairs, placeholder tokens (src/core/placeholders.ts) stand
//   for spans, the same on both sides, so the model learns to carry what serving masks (a URL, a number, a name, a
//   glossary term) to where its source was and to leave the rest of the sentence as it would be without it. Half of
//   those pairs (and any without a candidate) get one placeholder appended before their final punctuation on both
//   sides, as a text's "…: <URL>." or "…だ 3:30。" reaches the model; the other half have up to two aligned spans
//   replaced. A span is one source word that is a number or a rare word (vocabulary rank >= RARE_RANK, or <unk>:
//   names, places), aligned to 1-3 consecutive target tokens that align to nothing else. Placeholders are numbered
//   in source order, as serving numbers its spans.
// - Register (--formality): in that share of en-ja pairs, the source carries the tag of its target's register
//   (src/core/register.ts; --register-tag: before its words, or around them), so a request can ask for polite or
//   plain Japanese; the rest stay untagged, so a request without a tag gets the corpus's own mix (DeepL's `default`).
// Links move with the tokens (guided alignment trains on them, train/fast/loss.ts).
import type { Link } from './align/fast-align.js';
import type { Pair } from './batches.js';
import { withRegisterTag, type TagPlacement } from '../src/core/register.js';

/** Token ids of the reserved tokens (see prepareData); absent when the run does not use them. */
export interface Reserved {
  placeholders?: { source: number[]; target: number[] }; // placeholder i's id on each side
  registers?: { polite: number; plain: number }; // source-side tag ids
}

/** What augmentation needs to know of a token id: a number (a span candidate), a sentence's final punctuation. */
export interface TokenKinds {
  isNumber: (sourceId: number) => boolean;
  isStop: (side: 'source' | 'target', id: number) => boolean;
}

export interface AugmentOptions {
  placeholderRate: number; // share of pairs (with a candidate span) that get placeholders
  formality: number; // share of pairs whose source carries its register tag
  registerTag?: TagPlacement; // where (default first)
}

/** A source word of at least this vocabulary rank is rare enough to stand for a name (4,004 words: the last 3,000). */
export const RARE_RANK = 1000;
const MAX_SPANS = 2;
const MAX_TARGET_SPAN = 3;
const APPENDED_SHARE = 0.5; // of the pairs drawn for placeholders

export function augmentPairs(
  pairs: Pair[],
  options: AugmentOptions,
  reserved: Reserved,
  random: () => number,
  kinds: TokenKinds,
): Pair[] {
  return pairs.map((pair) => {
    let out = pair;
    if (reserved.placeholders && options.placeholderRate > 0 && random() < options.placeholderRate) {
      const candidates = spanCandidates(pair, kinds.isNumber);
      out =
        candidates.length && random() >= APPENDED_SHARE
          ? withPlaceholders(out, candidates, reserved.placeholders, random)
          : withAppendedPlaceholder(out, reserved.placeholders, kinds.isStop);
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
  candidates: [number, number, number][],
  ids: NonNullable<Reserved['placeholders']>,
  random: () => number,
): Pair {
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

/** Placeholder 0 inserted before each side's final punctuation (at the end where there is none), linked. */
function withAppendedPlaceholder(
  pair: Pair,
  ids: NonNullable<Reserved['placeholders']>,
  isStop: TokenKinds['isStop'],
): Pair {
  const at = (tokens: number[], side: 'source' | 'target') => {
    let i = tokens.length;
    while (i > 0 && isStop(side, tokens[i - 1])) i--;
    return i;
  };
  const [s, t] = [at(pair.source, 'source'), at(pair.target, 'target')];
  const insert = (tokens: number[], i: number, id: number) => [...tokens.slice(0, i), id, ...tokens.slice(i)];
  const links = (pair.links ?? []).map(([a, b]): Link => [a >= s ? a + 1 : a, b >= t ? b + 1 : b]);
  return {
    ...pair,
    source: insert(pair.source, s, ids.source[0]),
    target: insert(pair.target, t, ids.target[0]),
    links: [...links, [s, t]],
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
