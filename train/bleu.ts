// Corpus-level BLEU (Papineni et al. 2002) against a single reference, as multi-bleu.perl computes it:
// clipped n-gram matches (n = 1..4) summed over the whole corpus, geometric mean of the 4 precisions,
// brevity penalty exp(1 - r/c) when the hypotheses are shorter. Any zero precision makes BLEU 0 (no smoothing).

const MAX_ORDER = 4;

export interface BleuScore {
  bleu: number; // 0-100
  precisions: number[]; // modified n-gram precisions for n = 1..4, in percent (like sacrebleu)
  brevityPenalty: number;
  ratio: number; // hypothesis length / reference length
  hypothesisLength: number; // c, tokens over all hypotheses
  referenceLength: number; // r, tokens over all references
}

export function corpusBleu(hypotheses: string[][], references: string[][]): BleuScore {
  if (hypotheses.length !== references.length) {
    throw new Error(
      `BLEU needs one reference per hypothesis: got ${hypotheses.length} hypotheses and ${references.length} references`,
    );
  }
  const matches = new Array<number>(MAX_ORDER).fill(0);
  const totals = new Array<number>(MAX_ORDER).fill(0);
  let c = 0;
  let r = 0;
  hypotheses.forEach((hypothesis, i) => {
    const reference = references[i]!;
    c += hypothesis.length;
    r += reference.length;
    for (let n = 1; n <= MAX_ORDER; n++) {
      const refCounts = countNgrams(reference, n);
      for (const [ngram, count] of countNgrams(hypothesis, n)) {
        matches[n - 1]! += Math.min(count, refCounts.get(ngram) ?? 0);
      }
      totals[n - 1]! += Math.max(hypothesis.length - n + 1, 0);
    }
  });
  const precisions = matches.map((m, k) => (totals[k]! > 0 ? m / totals[k]! : 0));
  const brevityPenalty = c >= r ? 1 : c > 0 ? Math.exp(1 - r / c) : 0;
  const logMean = precisions.reduce((sum, p) => sum + Math.log(p), 0) / MAX_ORDER; // -Infinity if any p is 0
  return {
    bleu: 100 * brevityPenalty * Math.exp(logMean),
    precisions: precisions.map((p) => 100 * p),
    brevityPenalty,
    ratio: r > 0 ? c / r : 0,
    hypothesisLength: c,
    referenceLength: r,
  };
}

/** Counts of the n-grams of one sentence, keyed by their tokens joined with a separator tokens never contain. */
function countNgrams(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
