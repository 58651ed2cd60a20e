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
// - Each sentence of a batch scores its own columns only (the output projection takes units by id, ./model/gemm.ts),
//   so a sentence's softmax, and so its search, is the one it would have alone. A batch's union was 3.4x a
//   sentence's columns at 64 sentences (1,842 against 548, en-ja dev), and every row paid for all of it.
// - Scores are then log-probabilities under that softmax.
//
// The file (manifest `shortlist.file`): uint16 little-endian [sourceVocabSize, perSource] target ids, each row best
// first, 0 (<pad>, never a candidate) after the last candidate of a row that has fewer.
import { ArtifactError, SPECIAL_TOKEN_TEXT, type ShortlistConfig, type SpecialTokens } from './artifact.js';

/** A sentence's columns of the output layer: the target ids its softmax scores, ascending, and which it may emit. */
export interface Columns {
  ids: Int32Array;
  emitted: Uint8Array; // by column: 1 if a candidate
}

const [SCORED, EMITTED] = [1, 2]; // a column's state in candidates(): in the softmax; a candidate too

export class Shortlist {
  /** Ids every sentence scores, ascending: <unk>, </s> and the most frequent (`normalizing`, or `frequent` if more). */
  readonly fixed: Int32Array;
  private readonly fixedState: Uint8Array; // by id: 2 for every sentence's candidates (</s>, <unk>, the frequent), 1 for the other fixed ids

  private constructor(
    private readonly table: Uint16Array, // [sourceVocabSize, perSource]
    private readonly perSource: number,
    private readonly targetVocab: number,
    special: SpecialTokens,
    frequentEnd: number, // ids from 4 below it are every sentence's candidates
    normalizingEnd: number, // ids from 4 below it are in every sentence's softmax
  ) {
    const first = SPECIAL_TOKEN_TEXT.length;
    this.fixed = Int32Array.from([
      special.unk,
      special.end,
      ...Array.from({ length: normalizingEnd - first }, (_, i) => first + i),
    ]).sort();
    this.fixedState = new Uint8Array(targetVocab);
    for (const id of this.fixed)
      this.fixedState[id] = id === special.end || id === special.unk || id < frequentEnd ? EMITTED : SCORED;
  }

  /** Reads the file of `config`; ArtifactError when its size or ids do not fit the vocabularies. */
  static parse(
    bytes: Uint8Array,
    config: ShortlistConfig,
    vocab: { source: number; target: number },
    special: SpecialTokens,
  ): Shortlist {
    const { file, perSource, frequent, normalizing } = config;
    if (bytes.length !== vocab.source * perSource * 2) {
      throw new ArtifactError(
        `${file} has ${bytes.length} bytes, not ${vocab.source} source tokens x ${perSource} uint16 ids`,
      );
    }
    const table = new Uint16Array(bytes.slice().buffer); // a copy: aligned, and little-endian like every host tfjs runs on
    const bad = table.findIndex((id) => id >= vocab.target);
    if (bad >= 0)
      throw new ArtifactError(`${file}: target id ${table[bad]} is outside the target vocabulary (${vocab.target})`);
    const end = (count: number) => Math.min(SPECIAL_TOKEN_TEXT.length + count, vocab.target);
    return new Shortlist(table, perSource, vocab.target, special, end(frequent), end(Math.max(frequent, normalizing)));
  }

  /** The target ids source id `id` is most likely translated into, best first (its row of the table). */
  translationsOf(id: number): number[] {
    const row = this.table.subarray(id * this.perSource, (id + 1) * this.perSource);
    const end = row.indexOf(0);
    return Array.from(end < 0 ? row : row.subarray(0, end));
  }

  /**
   * The columns of each sentence given as source ids. `forced[i]`: target ids sentence i must score and may emit,
   * whatever its source (a given translation that a teacher-forced pass scores, ./forced.ts scoreOutputs).
   */
  candidates(sentences: number[][], forced?: number[][]): Columns[] {
    const state = new Uint8Array(this.targetVocab); // by id, one sentence at a time: 0 not a column, SCORED, EMITTED
    return sentences.map((source, i) => {
      state.set(this.fixedState);
      const extra: number[] = [];
      const candidate = (id: number) => {
        if (state[id] === 0) extra.push(id);
        state[id] = EMITTED;
      };
      forced?.[i]?.forEach((id) => id !== 0 && candidate(id));
      for (const id of source)
        for (let k = id * this.perSource; k < (id + 1) * this.perSource && this.table[k] !== 0; k++)
          candidate(this.table[k]);
      const ids = new Int32Array(this.fixed.length + extra.length);
      ids.set(this.fixed);
      ids.set(extra, this.fixed.length);
      ids.sort();
      const emitted = new Uint8Array(ids.length);
      for (let c = 0; c < ids.length; c++) emitted[c] = Number(state[ids[c]] === EMITTED);
      return { ids, emitted };
    });
  }
}
