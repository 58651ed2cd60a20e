// --init DIR: a run that starts from an exported model instead of random weights. What distillation needs
// (./distill.ts): the teacher's first model goes on learning, from the corpus its ensemble translated, so the
// student starts where one model already is and has the ensemble's outputs left to learn.
//
// The model keeps its vocabularies (and subword merges), so the new one reads and writes the same ids; its model
// settings (sizes, attention, encoder, input feeding, tying) must be the run's, since the weights are its. Weights
// are matched by name (a tfjs variable's name with its "_<n>" uniqueness suffix dropped) and shape; stored uint8
// or float16 weights start from their decoded values. The optimizer starts afresh.
import { ENCODER_JSON, DECODER_JSON, type Manifest, type ModelConfig } from '../src/core/artifact.js';
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

/** Reads the model in folder `dir`, checking that `model` (the run's settings) describes it. */
export async function startingModel(dir: string, model: Omit<ModelConfig, 'sourceVocabSize' | 'targetVocabSize'>): Promise<StartingModel> {
  const { manifest, files } = await openArtifact(folderReader(dir));
  const differ = SHAPING.filter((key) => (manifest.model[key] ?? false) !== (model[key] ?? false));
  if (differ.length) {
    const settings = (m: Partial<ModelConfig>) => differ.map((key) => `${key} ${m[key] ?? false}`).join(', ');
    throw new UsageError(`--init ${dir}: its model has ${settings(manifest.model)}, this run ${settings(model)}; give the model's settings`);
  }
  const text = (path: string) => new TextDecoder().decode(file(files, path));
  const texts = {
    sourceVocab: text(manifest.source.vocab),
    targetVocab: text(manifest.target.vocab),
    ...(manifest.source.subwords && { sourceSubwords: text(manifest.source.subwords) }),
    ...(manifest.target.subwords && { targetSubwords: text(manifest.target.subwords) }),
  };
  const stored = [ENCODER_JSON, DECODER_JSON].flatMap((path) => [...readWeights(path, files).values()].flat());
  return { id: idOf(manifest), model: manifest.model, texts, weights: new Map(stored.map((w) => [w.name, w])) };
}

/** `like` (a fresh model's weights: names, shapes, order) with every value taken from the starting model. */
export function startingWeights(start: StartingModel, like: FlatTensors): FlatTensors {
  const data = new Float32Array(like.data.length);
  let offset = 0;
  like.names.forEach((name, i) => {
    const stored = start.weights.get(name.replace(/_\d+$/, ''));
    const shape = like.shapes[i];
    if (!stored || stored.shape.join() !== shape.join()) {
      throw new UsageError(`--init: ${start.id} has ${stored ? `"${stored.name}" of shape [${stored.shape}]` : `no weight "${name}"`}, this run needs [${shape}]`);
    }
    const values = stored.values();
    data.set(values, offset);
    offset += values.length;
  });
  return { names: like.names, shapes: like.shapes, data };
}

const idOf = (m: Manifest) => `${m.direction}@${m.version}`;
