// An inference model (./seq2seq.ts) from an artifact's stored encoder and decoder: their weights read by layer name
// (./load.ts), picked and checked against the model's settings (./weights.ts). One per model of an ensemble.
import { ArtifactError, type ModelConfig } from '../artifact.js';
import type { Precision } from './gemm.js';
import { readWeights, type StoredWeight } from './load.js';
import { createInferenceModel, type InferenceModel } from './seq2seq.js';
import { checkShapes, pickWeights } from './weights.js';

/** The inference model of an encoder and decoder stored in `files` (their model.json paths), checked against `config`. */
export function buildModel(
  encoder: string,
  decoder: string,
  config: ModelConfig,
  files: Record<string, Uint8Array>,
  precision: Precision,
): InferenceModel {
  const stored = { encoder: readWeights(encoder, files), decoder: readWeights(decoder, files) };
  const layer = (part: 'encoder' | 'decoder', name: string): StoredWeight[] => {
    const weights = stored[part].get(name);
    if (!weights)
      throw new ArtifactError(
        `the ${part}'s weights (${part === 'encoder' ? encoder : decoder}) have no layer "${name}"`,
      );
    return weights;
  };
  const weights = pickWeights(layer, config.attention);
  checkShapes(weights, config);
  return createInferenceModel(weights, precision);
}
