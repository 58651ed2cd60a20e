// Byte-pair-encoding subwords (Sennrich et al., 2016) over a tokenizer's words: a word the vocabulary lacks is
// read as pieces it has ("unbelievable" -> "un@@ believ@@ able") instead of as <unk>. Every piece but a word's
// last ends in "@@", so pieces join back into words (unambiguously for
// every word that does not itself end in "@@"). The merges are learned from the training data
// by train/bpe.ts; this module applies them, the same code in training, the Worker and the page.

export const CONTINUES = '@@';

export class SubwordsError extends Error {}

/** A word as its characters, every one but the last marked as continued: the symbols merging starts from. */
export function characters(word: string): string[] {
  const chars = [...word];
  return chars.map((ch, i) => (i < chars.length - 1 ? ch + CONTINUES : ch));
}

/** The symbol two adjacent symbols merge into: "a@@" + "b@@" -> "ab@@", "a@@" + "b" -> "ab". */
export function merged(left: string, right: string): string {
  return left.slice(0, -CONTINUES.length) + right;
}

/** Ordered merges (the text form: one "left right" pair a line, in the order they were learned). */
export class Subwords {
  private readonly ranks: Map<string, number>;
  private readonly cache = new Map<string, string[]>();

  constructor(readonly merges: readonly (readonly [string, string])[]) {
    this.ranks = new Map(merges.map(([a, b], rank) => [`${a} ${b}`, rank]));
  }

  static parse(text: string): Subwords {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return new Subwords(
      lines.map((line, i) => {
        const pair = line.split(' ');
        if (pair.length !== 2 || !pair[0].endsWith(CONTINUES) || pair[1] === '') {
          throw new SubwordsError(
            `subwords line ${i + 1} must be two symbols "left@@ right", found ${JSON.stringify(line)}`,
          );
        }
        return [pair[0], pair[1]] as const;
      }),
    );
  }

  toText(): string {
    return this.merges.map(([a, b]) => `${a} ${b}\n`).join('');
  }

  /** A word as pieces: its characters, merged pair by pair in the order the merges were learned. */
  split(word: string): string[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const symbols = characters(word);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) [best, bestRank] = [i, rank];
      }
      if (best < 0) break;
      symbols.splice(best, 2, merged(symbols[best], symbols[best + 1]));
    }
    if (this.cache.size >= 100_000) this.cache.clear(); // bounded: a Worker serves arbitrary words
    this.cache.set(word, symbols);
    return symbols;
  }

  /** Words as pieces, and for each piece the index of its word. */
  pieces(words: string[]): { pieces: string[]; wordOf: number[] } {
    const pieces: string[] = [];
    const wordOf: number[] = [];
    words.forEach((word, w) => {
      for (const piece of this.split(word)) {
        pieces.push(piece);
        wordOf.push(w);
      }
    });
    return { pieces, wordOf };
  }
}

/** Words as a model reads them: their pieces with `subwords`, else the words themselves. wordOf: each one's word. */
export function asPieces(words: string[], subwords: Subwords | undefined): { pieces: string[]; wordOf: number[] } {
  return subwords ? subwords.pieces(words) : { pieces: words, wordOf: words.map((_, i) => i) };
}

/**
 * Pieces (a model's output) back into words, and for each piece the index of its word. A continued piece with
 * nothing after it (an output cut off mid-word) still ends a word.
 */
export function joinPieces(pieces: string[]): { words: string[]; wordOf: number[] } {
  const words: string[] = [];
  const wordOf: number[] = [];
  let open = false; // the last word is still being continued
  for (const piece of pieces) {
    const continued = piece.endsWith(CONTINUES) && piece.length > CONTINUES.length;
    const text = continued ? piece.slice(0, -CONTINUES.length) : piece;
    if (open) words[words.length - 1] += text;
    else words.push(text);
    wordOf.push(words.length - 1);
    open = continued;
  }
  return { words, wordOf };
}
