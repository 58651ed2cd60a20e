// A lexical shortlist, as Marian and Bergamot use: for each source token, the target tokens it is most likely
// translated into (IBM Model 1 on the training data, train/shortlist.ts), so that a decoder step computes logits
// for the few hundred candidates of its sentences instead of the whole target vocabulary.
//
// Rules:
// - A sentence's candidates, the tokens it may emit: </s>, <unk>, the `frequent` most frequent target tokens (ids
//   4 .. 4 + frequent - 1, since a vocabulary lists its tokens by count), and the `perSource` best of each of its
//   source tokens.
// - Its softmax also scores the `normalizing` most frequent tokens, which it emits only when they are candidates.
//   A softmax over the candidates alone inflates the rows whose model puts mass elsewhere, and beam search then
//   prefers them: ja-en beam 4 lost 0.4 dev BLEU that way; scoring the 500 most frequent as well lost none.
// - A batch scores the union of its sentences' columns in one matmul; each sentence's rows mask out the others'
//   (./model/seq2seq.ts), so a sentence's softmax, and so its search, is the one it would have alone.
// - Scores are then log-probabilities under that softmax.
//
// The file (manifest `shortlist.file`): uint16 little-endian [sourceVocabSize, perSource] target ids, each row best
// first, 0 (<pad>, never a candidate) after the last candidate of a row that has fewer.
import { ArtifactError, SPECIAL_TOKEN_TEXT, type ShortlistConfig, type SpecialTokens } from './artifact.js';

/**
 * What a batch scores: the shortlist's `fixed` columns, then the `extra` ones of its sentences, and which of these
 * each sentence scores and may emit.
 */
export interface Candidates {
  extra: Int32Array; // ascending target ids beyond the fixed ones
  scored?: Uint8Array[]; // per sentence, per column: 1 if in its softmax (absent for one sentence: all)
  emitted: Uint8Array[]; // per sentence, per column: 1 if a candidate
}

export class Shortlist {
  /** Ids every sentence scores, ascending: <unk>, </s> and the most frequent (`normalizing`, or `frequent` if more). */
  readonly fixed: Int32Array;
  private readonly always: Uint8Array; // by fixed column: 1 if every sentence's candidate (</s>, <unk>, the frequent)

  private constructor(
    private readonly table: Uint16Array, // [sourceVocabSize, perSource]
    private readonly perSource: number,
    private readonly targetVocab: number,
    special: SpecialTokens,
    frequentEnd: number, // ids from 4 below it are every sentence's candidates
    normalizingEnd: number, // ids from 4 below it are in every sentence's softmax
  ) {
    const first = SPECIAL_TOKEN_TEXT.length;
    this.fixed = Int32Array.from([special.unk, special.end, ...Array.from({ length: normalizingEnd - first }, (_, i) => first + i)]).sort();
    this.always = Uint8Array.from(this.fixed, (id) => Number(id === special.end || id === special.unk || id < frequentEnd));
  }

  /** Reads the file of `config`; ArtifactError when its size or ids do not fit the vocabularies. */
  static parse(bytes: Uint8Array, config: ShortlistConfig, vocab: { source: number; target: number }, special: SpecialTokens): Shortlist {
    const { file, perSource, frequent, normalizing } = config;
    if (bytes.length !== vocab.source * perSource * 2) {
      throw new ArtifactError(`${file} has ${bytes.length} bytes, not ${vocab.source} source tokens x ${perSource} uint16 ids`);
    }
    const table = new Uint16Array(bytes.slice().buffer); // a copy: aligned, and little-endian like every host tfjs runs on
    const bad = table.findIndex((id) => id >= vocab.target);
    if (bad >= 0) throw new ArtifactError(`${file}: target id ${table[bad]} is outside the target vocabulary (${vocab.target})`);
    const end = (count: number) => Math.min(SPECIAL_TOKEN_TEXT.length + count, vocab.target);
    return new Shortlist(table, perSource, vocab.target, special, end(frequent), end(Math.max(frequent, normalizing)));
  }

  /**
   * The columns of sentences given as source ids: `fixed`, then `extra`. `forced[i]`: target ids sentence i must
   * score too, whatever its source (a given translation that a teacher-forced pass scores, ./decode.ts scoreOutputs).
   */
  candidates(sentences: number[][], forced?: number[][]): Candidates {
    // Per target id: its column (fixed ones first), -1 for none yet. Typed arrays by id: a request's hot path.
    const column = new Int32Array(this.targetVocab).fill(-1);
    this.fixed.forEach((id, col) => (column[id] = col));
    const own = sentences.map((ids, i) => {
      const targets = forced?.[i]?.filter((t) => t !== 0) ?? [];
      for (const id of ids) for (let k = id * this.perSource; k < (id + 1) * this.perSource && this.table[k] !== 0; k++) targets.push(this.table[k]);
      return targets;
    });
    const extraIds: number[] = [];
    for (const targets of own) {
      for (const t of targets) {
        if (column[t] !== -1) continue;
        column[t] = -2; // taken; its column is set below, once they are sorted
        extraIds.push(t);
      }
    }
    const extra = Int32Array.from(extraIds).sort();
    extra.forEach((id, k) => (column[id] = this.fixed.length + k));
    const flags = (targets: number[], first: Uint8Array) => {
      const columns = new Uint8Array(this.fixed.length + extra.length);
      columns.set(first);
      for (const target of targets) columns[column[target]] = 1;
      return columns;
    };
    const emitted = own.map((targets) => flags(targets, this.always));
    if (sentences.length === 1) return { extra, emitted };
    const everyone = new Uint8Array(this.fixed.length).fill(1);
    return { extra, scored: own.map((targets) => flags(targets, everyone)), emitted };
  }
}
