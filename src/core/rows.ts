// Where a decoder step's rows and probabilities are, shared by the search (./decode.ts) and teacher forcing
// (./forced.ts): a sentence's columns (the whole vocabulary, or its shortlist's), each row's offset into a step's
// probabilities, and the rows that start sentences from the encoder's final states.
import type { InferenceModel, Memory, OutputLayer, Rows } from './model/seq2seq.js';

/** How many columns sentence `sentence` of the batch scores. */
export const width = (model: InferenceModel, output: OutputLayer, sentence: number) =>
  output.columns?.[sentence].ids.length ?? model.targetVocabSize;

/** The column of target id `id` in a sentence's output layer (its ids ascending), -1 if it has none. */
export function columnOf(output: OutputLayer, sentence: number, id: number): number {
  const ids = output.columns?.[sentence].ids;
  if (!ids) return id;
  let [low, high] = [0, ids.length - 1];
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ids[middle] === id) return middle;
    [low, high] = ids[middle] < id ? [middle + 1, high] : [low, middle - 1];
  }
  return -1;
}

/** Where each row's probabilities start in a step's: R rows a sentence, each as wide as its sentence's columns. */
export function rowOffsets(model: InferenceModel, output: OutputLayer, sentences: number[], R: number): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const sentence of sentences) {
    for (let j = 0; j < R; j++) offsets.push(at + j * width(model, output, sentence));
    at += R * width(model, output, sentence);
  }
  return offsets;
}

/** Rows that start sentences `sentences` of a memory with `token`: the encoder's final states (a = 0 for input feeding). */
export function startRows(model: InferenceModel, memory: Memory, sentences: number[], token: number): Rows {
  const H = model.hiddenDim;
  const copy = (states: Float32Array) => {
    const rows = new Float32Array(sentences.length * H);
    sentences.forEach((sentence, r) => rows.set(states.subarray(sentence * H, (sentence + 1) * H), r * H));
    return rows;
  };
  const attentional = model.inputFeeding ? new Float32Array(sentences.length * H) : undefined;
  return {
    tokens: sentences.map(() => token),
    h: copy(memory.h),
    c: copy(memory.c),
    ...(attentional && { attentional }),
  };
}
