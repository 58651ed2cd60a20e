// The seq2seq model in the Keras functional style: Embedding + LSTM encoder whose final states initialise an
// Embedding + LSTM decoder (teacher forcing), optional Luong "general" attention, Dense softmax over the target
// vocabulary. The layers are built once and shared by the teacher-forced training forward pass and by the two
// inference graphs (encoder, one-step decoder) that are exported, exactly like the Keras example.
//
// Shapes: B batch, S source length, T target length, E embedding dim, H hidden dim, V target vocab.
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../src/core/artifact.js';
import { LAYER } from '../src/core/model/weights.js';
import { flatten, type FlatTensors } from './flat.js';
import { orthogonal } from './orthogonal.js';

export interface Seq2SeqLayers {
  sourceEmbedding: tf.layers.Layer;
  encoderLstm: tf.layers.Layer;
  attentionKey: tf.layers.Layer;
  targetEmbedding: tf.layers.Layer;
  decoderLstm: tf.layers.Layer;
  attentionOutput: tf.layers.Layer;
  outputProjection: tf.layers.Layer;
}

export interface Seq2Seq {
  config: ModelConfig;
  layers: Seq2SeqLayers;
  encoder: tf.LayersModel; // source_ids -> [encoder_outputs, attention_keys,] state_h, state_c
  decoder: tf.LayersModel; // [target_id, state_h, state_c(, encoder_outputs, attention_keys, source_bias(, attentional))]
  // -> probs, h, c(, attention(, attentional)): with input feeding the step reads the previous step's attentional
  // vector and returns its own
  weights: tf.LayerVariable[]; // every trainable weight, in a fixed order
}

export function buildSeq2Seq(config: ModelConfig): Seq2Seq {
  const layers = buildLayers(config);
  const encoder = buildInferenceEncoder(config, layers);
  const decoder = buildInferenceDecoder(config, layers);
  const weights = [encoder, decoder].flatMap((m) => m.trainableWeights).filter((w, i, all) => all.indexOf(w) === i);
  return { config, layers, encoder, decoder, weights };
}

/** A fresh model's weights (as initialized by its layers), for the replicas to start from. */
export function initialWeights(config: ModelConfig): FlatTensors {
  const model = buildSeq2Seq(config);
  const flat = flatten(model.weights.map((w) => ({ name: w.name, tensor: w.read() })));
  model.encoder.dispose();
  model.decoder.dispose();
  return flat;
}

function buildLayers(cfg: ModelConfig): Seq2SeqLayers {
  const { embeddingDim: E, hiddenDim: H } = cfg;
  const lstm = (name: string, units = H) =>
    tf.layers.lstm({
      units,
      returnSequences: true,
      returnState: true,
      recurrentActivation: 'sigmoid',
      unitForgetBias: true,
      recurrentInitializer: orthogonal(),
      name,
    });
  // Bidirectional: an LSTM of H / 2 units each way, outputs concatenated, so the decoder and attention still see H.
  const encoderLstm = cfg.bidirectional
    ? tf.layers.bidirectional({
        layer: lstm(`${LAYER.encoderLstm}_inner`, H / 2) as tf.layers.RNN,
        mergeMode: 'concat',
        name: LAYER.encoderLstm,
      })
    : lstm(LAYER.encoderLstm);
  return {
    // Padding (id 0) is masked, so the encoder's final states are those of the last real token.
    sourceEmbedding: tf.layers.embedding({
      inputDim: cfg.sourceVocabSize,
      outputDim: E,
      maskZero: true,
      name: LAYER.sourceEmbedding,
    }),
    encoderLstm,
    attentionKey: tf.layers.dense({ units: H, useBias: false, name: LAYER.attentionKey }),
    targetEmbedding: tf.layers.embedding({ inputDim: cfg.targetVocabSize, outputDim: E, name: LAYER.targetEmbedding }),
    decoderLstm: lstm(LAYER.decoderLstm),
    attentionOutput: tf.layers.dense({ units: H, activation: 'tanh', name: LAYER.attentionOutput }),
    outputProjection: tf.layers.dense({
      units: cfg.targetVocabSize,
      activation: 'softmax',
      name: LAYER.outputProjection,
    }),
  };
}

// Luong "general" attention: score(s_t, h_s) = s_t . (W_a h_s); the attentional vector tanh(W_c [context; s_t]) is
// what the output projection reads, and with input feeding the next step's LSTM too. The keys W_a h_s are
// computed once per sentence by the encoder. source_bias is 0 for real tokens and -1e9 for padding.
function attend(
  L: Seq2SeqLayers,
  decoded: tf.SymbolicTensor,
  outputs: tf.SymbolicTensor,
  keys: tf.SymbolicTensor,
  bias: tf.SymbolicTensor,
) {
  const scores = tf.layers.dot({ axes: [2, 2], name: 'attention_scores' }).apply([decoded, keys]) as tf.SymbolicTensor; // [B, T, S]
  const masked = tf.layers.add({ name: 'attention_mask' }).apply([scores, bias]) as tf.SymbolicTensor;
  const weights = tf.layers.activation({ activation: 'softmax', name: 'attention' }).apply(masked) as tf.SymbolicTensor;
  const context = tf.layers
    .dot({ axes: [2, 1], name: 'attention_context' })
    .apply([weights, outputs]) as tf.SymbolicTensor; // [B, T, H]
  const joined = tf.layers.concatenate({ name: 'attention_concat' }).apply([context, decoded]) as tf.SymbolicTensor;
  return { hidden: L.attentionOutput.apply(joined) as tf.SymbolicTensor, weights };
}

const int = (name: string, shape: (number | null)[]) => tf.input({ name, shape, dtype: 'int32' });
const float = (name: string, shape: (number | null)[]) => tf.input({ name, shape });

/** Inference encoder, run once per request: ids [B, S] -> outputs [B, S, H], keys [B, S, H], h, c [B, H]. */
function buildInferenceEncoder(cfg: ModelConfig, L: Seq2SeqLayers): tf.LayersModel {
  const ids = int('source_ids', [null]);
  const [outputs, ...states] = L.encoderLstm.apply(L.sourceEmbedding.apply(ids)) as tf.SymbolicTensor[];
  // Bidirectional: states [h, c] of each direction; the decoder starts from [h_forward; h_backward], [c_forward; c_backward].
  const joined = (name: string, a: tf.SymbolicTensor, b: tf.SymbolicTensor) =>
    tf.layers.concatenate({ name }).apply([a, b]) as tf.SymbolicTensor;
  const [h, c] = cfg.bidirectional
    ? [joined('encoder_state_h', states[0], states[2]), joined('encoder_state_c', states[1], states[3])]
    : states;
  if (!cfg.attention) return tf.model({ name: 'encoder', inputs: ids, outputs: [h, c] });
  const keys = L.attentionKey.apply(outputs) as tf.SymbolicTensor;
  return tf.model({ name: 'encoder', inputs: ids, outputs: [outputs, keys, h, c] });
}

/**
 * Inference decoder, one step per call: token [B, 1] + states -> probs [B, 1, V], h, c, attention [B, 1, S]; with
 * input feeding also the previous attentional vector [B, 1, H] in and this step's out.
 */
function buildInferenceDecoder(cfg: ModelConfig, L: Seq2SeqLayers): tf.LayersModel {
  const H = cfg.hiddenDim;
  const token = int('target_id', [1]);
  const stateH = float('state_h', [H]);
  const stateC = float('state_c', [H]);
  const fed = cfg.inputFeeding ? float('attentional', [1, H]) : undefined;
  const embedded = L.targetEmbedding.apply(token) as tf.SymbolicTensor;
  const input = fed
    ? (tf.layers.concatenate({ name: 'decoder_input' }).apply([embedded, fed]) as tf.SymbolicTensor)
    : embedded;
  // Initial states go in the input list ([x, h, c]): tfjs rejects an `initialState` kwarg when it re-runs a graph.
  const [decoded, h, c] = L.decoderLstm.apply([input, stateH, stateC]) as tf.SymbolicTensor[];
  if (!cfg.attention) {
    const probs = L.outputProjection.apply(decoded) as tf.SymbolicTensor;
    return tf.model({ name: 'decoder', inputs: [token, stateH, stateC], outputs: [probs, h, c] });
  }
  const outputs = float('encoder_outputs', [null, H]);
  const keys = float('attention_keys', [null, H]);
  const bias = float('source_bias', [1, null]);
  const attended = attend(L, decoded, outputs, keys, bias);
  const probs = L.outputProjection.apply(attended.hidden) as tf.SymbolicTensor;
  if (fed)
    return tf.model({
      name: 'decoder',
      inputs: [token, stateH, stateC, outputs, keys, bias, fed],
      outputs: [probs, h, c, attended.weights, attended.hidden],
    });
  return tf.model({
    name: 'decoder',
    inputs: [token, stateH, stateC, outputs, keys, bias],
    outputs: [probs, h, c, attended.weights],
  });
}
