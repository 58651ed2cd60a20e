// What attention tells about an output: which source token each target token looked at (the alignment matrix of
// the API and the page's heatmap), and the "unk replace" of Luong et al. (2015): a target <unk> stands for a word
// the target vocabulary lacks, most often a name or number, so it is replaced by the source word it attended to most.

export interface Alignment {
  source: string[]; // source tokens, the columns
  target: string[]; // target tokens, the rows (</s> has no row)
  weights: number[][]; // [target][source]: attention weights, each row sums to 1
}

/** Index of the largest weight (the first one on ties). */
export function mostAttended(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * `tokens` with every position whose id is `unk` replaced by the most-attended source token among the `replaceable`
 * ones (the words the model could not read, and placeholders: an <unk> stands for one of those, never for a word it
 * read, so a particle or "the" is never pasted into the other language), one not taken by an earlier <unk> when there
 * is one (two <unk>s in "a pizza and two salads" are two words); by the most-attended of all when none is replaceable.
 * `rows[t]` are the weights of target token t over `source`. Positions without a row (a model without attention) stay
 * as they are.
 */
export function replaceUnknown(
  ids: number[],
  tokens: string[],
  rows: ArrayLike<number>[],
  source: string[],
  unk: number,
  replaceable?: boolean[],
): string[] {
  const columns = replaceable?.some(Boolean) ? replaceable : undefined;
  const taken = new Set<number>();
  return tokens.map((token, t) => {
    const row = rows[t];
    if (ids[t] !== unk || !row || row.length === 0) return token;
    if (!columns) return source[mostAttended(row)] ?? token;
    const free = columns.some((ok, j) => ok && !taken.has(j));
    const j = mostAttended(Array.from(row, (w, k) => (columns[k] && (!free || !taken.has(k)) ? w : -1)));
    taken.add(j);
    return source[j] ?? token;
  });
}

/** The rows as a JSON matrix, cut to the real source tokens (a batch pads shorter sentences) and rounded. */
export function alignmentOf(source: string[], target: string[], rows: ArrayLike<number>[]): Alignment {
  const round = (w: number) => Math.round(w * 1e4) / 1e4; // 4 digits: enough for a heatmap, short JSON
  return { source, target, weights: rows.map((row) => Array.from(row).slice(0, source.length).map(round)) };
}

/**
 * Rows over a subword model's pieces as rows over words: a target word's row is the mean of its pieces' rows, and a
 * source word's weight the sum of its pieces' (so rows still sum to 1). wordOf[i]: the word of piece i; rows may be
 * padded past the last source piece. Either side without subwords has wordOf = [0, 1, 2, ..].
 */
export function rowsByWord(rows: ArrayLike<number>[], sourceWordOf: number[], targetWordOf: number[]): Float32Array[] {
  const sourceWords = (sourceWordOf.at(-1) ?? -1) + 1;
  const targetWords = (targetWordOf.at(-1) ?? -1) + 1;
  if (rows.length === 0) return [];
  const out = Array.from({ length: targetWords }, () => new Float32Array(sourceWords));
  const pieces = new Array<number>(targetWords).fill(0);
  rows.forEach((row, t) => {
    const into = out[targetWordOf[t]];
    pieces[targetWordOf[t]]++;
    sourceWordOf.forEach((w, s) => (into[w] += row[s]));
  });
  out.forEach((row, w) => row.forEach((x, s) => (row[s] = x / pieces[w])));
  return out;
}
