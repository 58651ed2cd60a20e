// The trained weights by name: the contract between the layers definition (train/model.ts), the fast trainer
// and the inference core. Layers are found by name, never by position.
import type * as tf from '@tensorflow/tfjs';

export const LAYER = {
  sourceEmbedding: 'source_embedding',
  encoderLstm: 'encoder_lstm',
  attentionKey: 'attention_key',
  targetEmbedding: 'target_embedding',
  decoderLstm: 'decoder_lstm',
  attentionOutput: 'attention_output',
  outputProjection: 'output_projection',
} as const;

/** An LSTM's weights in Keras layout: gates [i, f, g, o] side by side on the last axis (4H). */
export interface LstmWeights {
  kernel: tf.Tensor2D; // [in, 4H]
  recurrentKernel: tf.Tensor2D; // [H, 4H]
  bias: tf.Tensor1D; // [4H]
}

export interface Seq2SeqWeights {
  sourceEmbedding: tf.Tensor2D; // [Vs, E]
  encoder: LstmWeights; // [E, 4H'], H' = H, or H / 2 with a backward LSTM
  encoderBackward?: LstmWeights; // a bidirectional encoder's right-to-left LSTM: outputs [forward; backward] (H)
  targetEmbedding: tf.Tensor2D; // [Vt, E]
  decoder: LstmWeights;
  attention?: {
    key: tf.Tensor2D; // W_a [H, H]
    outputKernel: tf.Tensor2D; // [2H, H], input is [context; decoder output]
    outputBias: tf.Tensor1D; // [H]
  };
  outputKernel: tf.Tensor2D; // [H, V]
  outputBias: tf.Tensor1D; // [V]
}

/** Luong input feeding: the decoder LSTM's kernel reads [embedding; attentional vector], [E + H, 4H]. */
export const feedsInput = (w: Seq2SeqWeights): boolean => w.decoder.kernel.shape[0] > w.targetEmbedding.shape[1];

/** Picks the named weights out of the inference encoder and decoder (shared tensors, not copies). */
export function seq2seqWeights(encoder: tf.LayersModel, decoder: tf.LayersModel, attention: boolean): Seq2SeqWeights {
  const get = (model: tf.LayersModel, layer: string, index: number) => model.getLayer(layer).getWeights()[index];
  const lstm = (model: tf.LayersModel, layer: string): LstmWeights => ({
    kernel: get(model, layer, 0) as tf.Tensor2D,
    recurrentKernel: get(model, layer, 1) as tf.Tensor2D,
    bias: get(model, layer, 2) as tf.Tensor1D,
  });
  // A Bidirectional layer holds both LSTMs' weights: the forward one's three, then the backward one's.
  const bidirectional = encoder.getLayer(LAYER.encoderLstm).getWeights().length === 6;
  const backward = (): LstmWeights => ({
    kernel: get(encoder, LAYER.encoderLstm, 3) as tf.Tensor2D,
    recurrentKernel: get(encoder, LAYER.encoderLstm, 4) as tf.Tensor2D,
    bias: get(encoder, LAYER.encoderLstm, 5) as tf.Tensor1D,
  });
  return {
    sourceEmbedding: get(encoder, LAYER.sourceEmbedding, 0) as tf.Tensor2D,
    encoder: lstm(encoder, LAYER.encoderLstm),
    ...(bidirectional && { encoderBackward: backward() }),
    targetEmbedding: get(decoder, LAYER.targetEmbedding, 0) as tf.Tensor2D,
    decoder: lstm(decoder, LAYER.decoderLstm),
    attention: attention
      ? {
          key: get(encoder, LAYER.attentionKey, 0) as tf.Tensor2D,
          outputKernel: get(decoder, LAYER.attentionOutput, 0) as tf.Tensor2D,
          outputBias: get(decoder, LAYER.attentionOutput, 1) as tf.Tensor1D,
        }
      : undefined,
    outputKernel: get(decoder, LAYER.outputProjection, 0) as tf.Tensor2D,
    outputBias: get(decoder, LAYER.outputProjection, 1) as tf.Tensor1D,
  };
}
