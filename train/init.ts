// --init DIR: a run that starts from an exported model instead of random weights. What distillation needs
// (./distill.ts): the teacher's first model goes on learning, from the corpus its ensemble translated, so the
// student starts where one model already is and has the ensemble's outputs left to learn.
//
// The model keeps its vocabularies (and subword merges), so the new one reads and writes the same ids; its model
// settings (sizes, attention, encoder, input feeding, tying) must be the run's, since the weights are its. Weights
// are matched by name (a tfjs variable's name with its "_<n>" uniqueness suffix dropped) and shape; stored uint8
// or float16 weights start from their decoded values. The optimizer starts afresh.
//
// A run may add tokens to the vocabularies (placeholders, register tags: ./augment.ts): they are appended, so every
// existing id keeps its meaning, and each new token's embedding row, output column and bias start as <unk>'s, the
// token the model already emits where such a span goes.
import { ENCODER_JSON, DECODER_JSON, SPECIAL_TOKENS, type ModelConfig } from '../src/core/artifact.js';
import { modelId } from '../src/core/layout.js';
import { openArtifact } from '../src/core/open-artifact.js';
import { file, readWeights, type StoredWeight } from '../src/core/model/load.js';
import { folderReader } from './artifact-folder.js';
import type { VocabularyTexts } from './prepare.js';
import { UsageError } from './cli.js';
import type { FlatTensors } from './flat.js';

/** An exported model to start from: its vocabularies (as a checkpoint keeps them) and its weights by name. */
export interface StartingModel {
  id: string; // <direction>@<version>
  model: ModelConfig;
  texts: VocabularyTexts;
  weights: Map<string, StoredWeight>;
}

/** The settings that make a model's weights what they are. */
const SHAPING = ['embeddingDim', 'hiddenDim', 'attention', 'bidirectional', 'inputFeeding', 'tiedEmbeddings'] as const;

/**
 * Reads the model in folder `dir` (member 0: its first model; N: the N-th of its ensemble), checking that `model`
 * (the run's settings) describes it.
 */
export async function startingModel(
  dir: string,
  model: Omit<ModelConfig, 'sourceVocabSize' | 'targetVocabSize'>,
  member = 0,
): Promise<StartingModel> {
  const { manifest, files } = await openArtifact(folderReader(dir));
  const members = manifest.ensemble ?? [];
  if (member > members.length)
    throw new UsageError(`--init-member ${member}: ${dir} has ${members.length} ensemble member(s)`);
  const chosen =
    member === 0
      ? { model: manifest.model, encoder: ENCODER_JSON, decoder: DECODER_JSON, version: manifest.version }
      : members[member - 1];
  const differ = SHAPING.filter((key) => (chosen.model[key] ?? false) !== (model[key] ?? false));
  if (differ.length) {
    const settings = (m: Partial<ModelConfig>) => differ.map((key) => `${key} ${m[key] ?? false}`).join(', ');
    throw new UsageError(
      `--init ${dir}: its model has ${settings(chosen.model)}, this run ${settings(model)}; give the model's settings`,
    );
  }
  const text = (path: string) => new TextDecoder().decode(file(files, path));
  const texts = {
    sourceVocab: text(manifest.source.vocab),
    targetVocab: text(manifest.target.vocab),
    ...(manifest.source.subwords && { sourceSubwords: text(manifest.source.subwords) }),
    ...(manifest.target.subwords && { targetSubwords: text(manifest.target.subwords) }),
  };
  const stored = [chosen.encoder, chosen.decoder].flatMap((path) => [...readWeights(path, files).values()].flat());
  return {
    id: modelId(manifest.direction, chosen.version),
    model: chosen.model,
    texts,
    weights: new Map(stored.map((w) => [w.name, w])),
  };
}

/** `like` (a fresh model's weights: names, shapes, order) with every value taken from the starting model. */
export function startingWeights(start: StartingModel, like: FlatTensors): FlatTensors {
  const data = new Float32Array(like.data.length);
  let offset = 0;
  like.names.forEach((name, i) => {
    const stored = start.weights.get(name.replace(/_\d+$/, ''));
    const shape = like.shapes[i];
    const vocabSizes = [start.model.sourceVocabSize, start.model.targetVocabSize];
    const grows = (d: number) =>
      stored!.shape[d] === shape[d] || (vocabSizes.includes(stored!.shape[d]) && shape[d] > stored!.shape[d]);
    if (!stored || stored.shape.length !== shape.length || !shape.every((_, d) => grows(d))) {
      throw new UsageError(
        `--init: ${start.id} has ${stored ? `"${stored.name}" of shape [${stored.shape}]` : `no weight "${name}"`}, this run needs [${shape}]`,
      );
    }
    const values = grown(stored.values(), stored.shape, shape);
    data.set(values, offset);
    offset += values.length;
  });
  return { names: like.names, shapes: like.shapes, data };
}

/**
 * `values` of `shape` (rank 1 or 2) grown to `to` along the dimension that differs, the new entries copies of
 * entry SPECIAL_TOKENS.unk along it: an embedding's row, an output kernel's column, a bias.
 */
function grown(values: Float32Array, shape: number[], to: number[]): Float32Array {
  if (shape.join() === to.join()) return values;
  const [rows, cols] = shape.length === 1 ? [shape[0], 1] : shape;
  const [newRows, newCols] = to.length === 1 ? [to[0], 1] : to;
  const out = new Float32Array(newRows * newCols);
  for (let r = 0; r < newRows; r++) {
    for (let c = 0; c < newCols; c++) {
      const from = (r < rows ? r : SPECIAL_TOKENS.unk) * cols + (c < cols ? c : SPECIAL_TOKENS.unk);
      out[r * newCols + c] = values[from];
    }
  }
  return out;
}
