// The trained weights by name: the contract between the layers definition (train/model.ts), the fast trainer
// and the inference core. Layers are found by name, never by position.
import type * as tf from '@tensorflow/tfjs';
import { ArtifactError, type ModelConfig } from '../artifact.js';

export const LAYER = {
  sourceEmbedding: 'source_embedding',
  encoderLstm: 'encoder_lstm',
  attentionKey: 'attention_key',
  targetEmbedding: 'target_embedding',
  decoderLstm: 'decoder_lstm',
  attentionOutput: 'attention_output',
  outputProjection: 'output_projection',
} as const;

/**
 * An LSTM's weights in Keras layout: gates [i, f, g, o] side by side on the last axis (4H). Tensors for training;
 * the inference core also reads them as stored in an artifact (./load.ts), hence the type parameters.
 */
export interface LstmWeights<T2 = tf.Tensor2D, T1 = tf.Tensor1D> {
  kernel: T2; // [in, 4H]
  recurrentKernel: T2; // [H, 4H]
  bias: T1; // [4H]
}

export interface Seq2SeqWeights<T2 = tf.Tensor2D, T1 = tf.Tensor1D> {
  sourceEmbedding: T2; // [Vs, E]
  encoder: LstmWeights<T2, T1>; // [E, 4H'], H' = H, or H / 2 with a backward LSTM
  encoderBackward?: LstmWeights<T2, T1>; // a bidirectional encoder's right-to-left LSTM: outputs [forward; backward] (H)
  targetEmbedding: T2; // [Vt, E]
  decoder: LstmWeights<T2, T1>;
  attention?: {
    key: T2; // W_a [H, H]
    outputKernel: T2; // [2H, H], input is [context; decoder output]
    outputBias: T1; // [H]
  };
  outputKernel: T2; // [H, V]
  outputBias: T1; // [V]
}

type Shaped = { shape: readonly number[] };

/** Luong input feeding: the decoder LSTM's kernel reads [embedding; attentional vector], [E + H, 4H]. */
export const feedsInput = (w: Seq2SeqWeights<Shaped, Shaped>): boolean =>
  w.decoder.kernel.shape[0] > w.targetEmbedding.shape[1];

/** Picks the named weights out of the inference encoder and decoder (shared tensors, not copies). */
export function seq2seqWeights(encoder: tf.LayersModel, decoder: tf.LayersModel, attention: boolean): Seq2SeqWeights {
  const layers = { encoder, decoder };
  return pickWeights((side, layer) => layers[side].getLayer(layer).getWeights(), attention) as Seq2SeqWeights;
}

/**
 * The named weights, from `layer(side, name)`: the weights of the encoder's or decoder's layer of that name, in
 * Keras's order (kernel, recurrent kernel, bias for an LSTM; embeddings; kernel, bias for a Dense).
 */
export function pickWeights<T>(
  layer: (side: 'encoder' | 'decoder', name: string) => T[],
  attention: boolean,
): Seq2SeqWeights<T, T> {
  const get = (side: 'encoder' | 'decoder', name: string, index: number) => layer(side, name)[index];
  const lstm = (side: 'encoder' | 'decoder', first = 0): LstmWeights<T, T> => {
    const name = side === 'encoder' ? LAYER.encoderLstm : LAYER.decoderLstm;
    return {
      kernel: get(side, name, first),
      recurrentKernel: get(side, name, first + 1),
      bias: get(side, name, first + 2),
    };
  };
  // A Bidirectional layer holds both LSTMs' weights: the forward one's three, then the backward one's.
  const bidirectional = layer('encoder', LAYER.encoderLstm).length === 6;
  return {
    sourceEmbedding: get('encoder', LAYER.sourceEmbedding, 0),
    encoder: lstm('encoder'),
    ...(bidirectional && { encoderBackward: lstm('encoder', 3) }),
    targetEmbedding: get('decoder', LAYER.targetEmbedding, 0),
    decoder: lstm('decoder'),
    attention: attention
      ? {
          key: get('encoder', LAYER.attentionKey, 0),
          outputKernel: get('decoder', LAYER.attentionOutput, 0),
          outputBias: get('decoder', LAYER.attentionOutput, 1),
        }
      : undefined,
    outputKernel: get('decoder', LAYER.outputProjection, 0),
    outputBias: get('decoder', LAYER.outputProjection, 1),
  };
}

/**
 * ArtifactError unless every weight is there with the shape the manifest's model implies: an artifact read without
 * building its LayersModels (./load.ts) is checked here instead of by the layers' topology.
 */
export function checkShapes(w: Seq2SeqWeights<Named | undefined, Named | undefined>, config: ModelConfig): void {
  const [E, H, Vs, Vt] = [config.embeddingDim, config.hiddenDim, config.sourceVocabSize, config.targetVocabSize];
  const h = config.bidirectional ? H / 2 : H; // each encoder LSTM's units
  const lstm = (
    label: string,
    weights: LstmWeights<Named | undefined, Named | undefined> | undefined,
    inputs: number,
    units: number,
  ): [string, Named | undefined, number[]][] => [
    [`${label} kernel`, weights?.kernel, [inputs, 4 * units]],
    [`${label} recurrent kernel`, weights?.recurrentKernel, [units, 4 * units]],
    [`${label} bias`, weights?.bias, [4 * units]],
  ];
  const expected: [string, Named | undefined, number[]][] = [
    [LAYER.sourceEmbedding, w.sourceEmbedding, [Vs, E]],
    ...lstm(LAYER.encoderLstm, w.encoder, E, h),
    ...(config.bidirectional ? lstm(`${LAYER.encoderLstm} backward`, w.encoderBackward, E, h) : []),
    [LAYER.targetEmbedding, w.targetEmbedding, [Vt, E]],
    ...lstm(LAYER.decoderLstm, w.decoder, config.inputFeeding ? E + H : E, H),
    ...(config.attention
      ? ([
          [LAYER.attentionKey, w.attention?.key, [H, H]],
          [`${LAYER.attentionOutput} kernel`, w.attention?.outputKernel, [2 * H, H]],
          [`${LAYER.attentionOutput} bias`, w.attention?.outputBias, [H]],
        ] as [string, Named | undefined, number[]][])
      : []),
    [`${LAYER.outputProjection} kernel`, w.outputKernel, [H, Vt]],
    [`${LAYER.outputProjection} bias`, w.outputBias, [Vt]],
  ];
  for (const [label, weight, shape] of expected) {
    if (!weight) throw new ArtifactError(`the artifact has no weight for ${label}, shape [${shape}]`);
    if (weight.shape.join() !== shape.join())
      throw new ArtifactError(
        `weight "${weight.name ?? label}" has shape [${weight.shape}]; the manifest's model needs [${shape}]`,
      );
  }
}

type Named = Shaped & { name?: string };
