// Bench-only Worker (bench/wrangler.toml): the real app, plus
// - POST /bench/naive {"text", "ensemble"?}, decoding the way the classic Keras/tfjs-examples seq2seq does:
//   encoder.predict once, then decoder.predict once per output token, reading the argmax back every step, on the same
//   wasm backend in the same isolate; with an ensemble (unless "ensemble": false), every model predicts each step and
//   the argmax is of the mean of their log-probs, as the service decodes it. The baseline for serve.ts;
// - POST /bench/translate {"texts", "beam", "shortlist", "ensemble"?}: Translator.translate of the live en-ja model with
//   its shortlist switchable (the API always uses it), Server-Timing as /translate reports it;
// - POST /bench/profile {"text", "beam"}: the tfjs kernels one translation runs (tf.profile) and its decoder steps.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers calls chained ops (x.add(y)); without the @tensorflow/tfjs union they must be registered by hand.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { setMetric } from 'hono/timing';
import { DECODER_JSON, ENCODER_JSON, validateManifest, type Manifest } from '../src/core/artifact.js';
import { createApp } from '../src/app.js';
import { maxOutputLength } from '../src/core/decode.js';
import { objectKey, pointerKey } from '../src/core/layout.js';
import { getTokenizer } from '../src/core/tokenize/index.js';
import { Vocab } from '../src/core/vocab.js';
import { initWasmBackend } from '../src/store/wasm-backend.js';

/** One model's layers models. */
type Layers = { encoder: LayersModel; decoder: LayersModel; attention: boolean };

interface Naive {
  manifest: Manifest;
  models: Layers[]; // the artifact's model, then its ensemble members
  source: Vocab;
  target: Vocab;
}

let naive: Promise<Naive> | undefined;

const app = createApp();

app.post('/bench/naive', async (c) => {
  const { text, ensemble } = await c.req.json<{ text: string; ensemble?: boolean }>();
  const model = await (naive ??= loadNaive(c.env.MODELS));
  const models = ensemble === false ? model.models.slice(0, 1) : model.models;
  const started = performance.now();
  const tokens = getTokenizer(model.manifest.source.tokenizer).tokenize(text);
  const ids = model.source.encode(tokens);
  const limit = maxOutputLength(tokens.length, model.manifest.target.maxLength);
  const output = greedyByPredict(models, model.manifest, ids, limit);
  setMetric(c, 'naive', performance.now() - started, undefined, 2);
  return c.json({ tokens: output.map((id) => model.target.token(id)), steps: output.length + 1 });
});

app.post('/bench/translate', async (c) => {
  const { texts, beam, shortlist, ensemble } = await c.req.json<{
    texts: string[];
    beam: number;
    shortlist: boolean;
    ensemble?: boolean;
  }>();
  const lease = await c.var.store.lease('en-ja');
  try {
    const { translations, timings } = lease.translator.translate(texts, { beam, shortlist, ensemble });
    for (const [name, ms] of [
      ['tokenize', timings.tokenizeMs],
      ['encode', timings.encodeMs],
      ['decode', timings.decodeMs],
    ] as const)
      setMetric(c, name, ms, undefined, 2);
    return c.json({ translations: translations.map((t) => t.translation) });
  } finally {
    lease.release();
  }
});

app.post('/bench/profile', async (c) => {
  const { text, beam } = await c.req.json<{ text: string; beam: number }>();
  const lease = await c.var.store.lease('en-ja');
  try {
    let steps = 0;
    const info = await tf.profile(() => {
      steps = lease.translator.translate([text], { beam }).steps;
    });
    return c.json({ kernels: info.kernels.length, steps });
  } finally {
    lease.release();
  }
});

/**
 * The tfjs-examples loop: predict, read the argmax, feed it back with the new states; stop at </s>. Several models
 * each predict every step, and the argmax is of the sum of their log-probs.
 */
function greedyByPredict(models: Layers[], manifest: Manifest, sourceIds: number[], limit: number): number[] {
  const { start, end } = manifest.specialTokens;
  const source = tf.tensor2d([sourceIds], [1, sourceIds.length], 'int32');
  const bias = tf.zeros([1, 1, sourceIds.length]);
  const states = models.map((m) => {
    const encoded = tf.tidy(() => m.encoder.predict(source) as tf.Tensor[]);
    const [outputs, keys] = m.attention ? encoded : [];
    const [h, c] = m.attention ? encoded.slice(2) : encoded;
    return { m, memory: m.attention ? [outputs!, keys!, bias] : [], h: h!, c: c! };
  });
  const out: number[] = [];
  let token = start;
  while (out.length < limit) {
    const input = tf.tensor2d([[token]], [1, 1], 'int32');
    const logProbs = states.map((s) => {
      const [probs, h, c, ...rest] = s.m.decoder.predict([input, s.h, s.c, ...s.memory]) as tf.Tensor[];
      const logProb = tf.tidy(() => tf.log(probs!.reshape([-1])));
      tf.dispose([probs!, s.h, s.c, ...rest]);
      [s.h, s.c] = [h!, c!];
      return logProb;
    });
    token = tf.tidy(() => tf.argMax(tf.addN(logProbs)).dataSync()[0] ?? end);
    tf.dispose([input, ...logProbs]);
    if (token === end) break;
    out.push(token);
  }
  tf.dispose([source, bias, ...states.flatMap((s) => [s.h, s.c, ...s.memory.slice(0, 2)])]);
  return out;
}

async function loadNaive(bucket: R2Bucket): Promise<Naive> {
  await initWasmBackend();
  const pointer = await bucket.get(pointerKey('en-ja'));
  const { version } = JSON.parse((await pointer?.text()) ?? '{}');
  const read = async (path: string) =>
    new Uint8Array(await (await bucket.get(objectKey('en-ja', version, path)))!.arrayBuffer());
  const manifest = validateManifest(JSON.parse(new TextDecoder().decode(await read('manifest.json'))));
  const layers = async (path: string) => {
    const json: tf.io.ModelJSON = JSON.parse(new TextDecoder().decode(await read(path)));
    const folder = path.slice(0, path.lastIndexOf('/') + 1);
    const shards = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => read(folder + p)));
    const weightData = tf.io.concatenateArrayBuffers(shards.map((s) => s.slice().buffer));
    return loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData,
      }),
    );
  };
  const vocab = async (path: string) => Vocab.parse(new TextDecoder().decode(await read(path)));
  const paths = [{ encoder: ENCODER_JSON, decoder: DECODER_JSON, model: manifest.model }, ...(manifest.ensemble ?? [])];
  const models = await Promise.all(
    paths.map(async (p) => ({
      encoder: await layers(p.encoder),
      decoder: await layers(p.decoder),
      attention: p.model.attention,
    })),
  );
  return { manifest, models, source: await vocab(manifest.source.vocab), target: await vocab(manifest.target.vocab) };
}

export default app;
