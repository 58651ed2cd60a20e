// What each recipe option costs at serving time: the inference core's encoder and decoder step, on the WASM
// backend in Node, for models of the shipped size (E = H = 256, 4,004 words a side) with seeded random weights
// (time does not depend on the values), the base recipe measured in the same run for the ratio.
//   npm run bench:recipes -- [--repeats N] [--rounds N]
// Prints last: `recipes: base encode X ms step Y/Z/W ms; <option> ... (ratio R)`, steps of 1, 4 and 256 rows
// (a greedy sentence, a beam of 4, a beam-4 batch of 64 sentences).
import { parseArgs } from 'node:util';
import type { ModelConfig } from '../src/core/artifact.js';
import { encode } from '../src/core/model/encoder.js';
import {
  createInferenceModel,
  decodeStep,
  disposeInferenceModel,
  type InferenceModel,
  type Rows,
} from '../src/core/model/seq2seq.js';
import { seq2seqWeights } from '../src/core/model/weights.js';
import { initNodeBackend } from '../train/backend.js';
import { intFlag, runCli } from '../train/cli.js';
import { randomSeq2Seq } from '../test/helpers/random-model.js';

const USAGE = `usage: npm run bench:recipes -- [--repeats N] [--rounds N]
  --repeats N   timed runs of each measurement, after 3 warm-up runs; their median counts (default 20)
  --rounds N    rounds over all recipes in turn; the median round is reported (default 5)`;

const BASE: ModelConfig = {
  sourceVocabSize: 4004,
  targetVocabSize: 4004,
  embeddingDim: 256,
  hiddenDim: 256,
  attention: true,
};
const RECIPES: Record<string, Partial<ModelConfig>> = {
  base: {},
  bidirectional: { bidirectional: true },
  'input feeding': { inputFeeding: true },
  'bidirectional + input feeding': { bidirectional: true, inputFeeding: true },
};
const SOURCE_LENGTH = 12; // about a dev sentence
const ROWS = [1, 4, 256];

interface Cost {
  encodeMs: number;
  stepMs: number[]; // by ROWS
}

async function main(repeats: number, rounds: number): Promise<void> {
  await initNodeBackend('wasm');
  const models = Object.entries(RECIPES).map(([name, option]) => {
    const seq2seq = randomSeq2Seq({ ...BASE, ...option }, 1, 0.1);
    const model = createInferenceModel(seq2seqWeights(seq2seq.encoder, seq2seq.decoder, true));
    seq2seq.encoder.dispose();
    seq2seq.decoder.dispose();
    return { name, model };
  });
  // Rounds over all recipes in turn, so that warm-up, JIT and machine load fall on each alike; the median round.
  const byRecipe = new Map<string, Cost[]>(models.map(({ name }) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (const { name, model } of models) byRecipe.get(name)!.push(measure(model, repeats));
  const costs: Record<string, Cost> = {};
  for (const [name, list] of byRecipe) {
    costs[name] = {
      encodeMs: middle(list.map((c) => c.encodeMs)),
      stepMs: ROWS.map((_, i) => middle(list.map((c) => c.stepMs[i]))),
    };
    log(
      `${name}: encode ${costs[name].encodeMs.toFixed(2)} ms, step ${costs[name].stepMs.map((ms, i) => `${ROWS[i]} rows ${ms.toFixed(2)} ms`).join(', ')}`,
    );
  }
  models.forEach(({ model }) => disposeInferenceModel(model));
  const base = costs.base;
  const line = Object.entries(costs).map(([name, c]) => {
    const ratio =
      name === 'base'
        ? ''
        : ` (step ratio ${(c.stepMs[0] / base.stepMs[0]).toFixed(2)}/${(c.stepMs[1] / base.stepMs[1]).toFixed(2)}/${(c.stepMs[2] / base.stepMs[2]).toFixed(2)})`;
    return `${name} encode ${c.encodeMs.toFixed(2)} ms step ${c.stepMs.map((ms) => ms.toFixed(2)).join('/')} ms${ratio}`;
  });
  console.log(`recipes: ${line.join('; ')}`);
}

/** Median times of encoding one sentence and of one decoder step over 1, 4 and 256 rows (R rows per sentence). */
function measure(model: InferenceModel, repeats: number): Cost {
  const sentence = Array.from({ length: SOURCE_LENGTH }, (_, t) => 4 + ((t * 37) % 4000));
  const encodeMs = median(repeats, () => encode(model, [sentence]));
  const stepMs = ROWS.map((n) => {
    const sentences = Math.max(1, n / 4);
    const R = n / sentences;
    const memory = encode(
      model,
      Array.from({ length: sentences }, () => sentence),
    );
    const context = { memory, output: model.output, sentences: Array.from({ length: sentences }, (_, s) => s) };
    const H = model.hiddenDim;
    const rows: Rows = {
      tokens: Array.from({ length: n }, (_, r) => 4 + r),
      h: new Float32Array(n * H),
      c: new Float32Array(n * H),
      ...(model.inputFeeding && { attentional: new Float32Array(n * H) }),
    };
    return median(repeats, () => decodeStep(model, context, R, rows));
  });
  return { encodeMs, stepMs };
}

function median(repeats: number, run: () => unknown): number {
  for (let i = 0; i < 3; i++) run();
  return middle(
    Array.from({ length: repeats }, () => {
      const start = performance.now();
      run();
      return performance.now() - start;
    }),
  );
}

const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const log = (msg: string) => console.error(msg);

runCli(USAGE, async () => {
  const { values } = parseArgs({ options: { repeats: { type: 'string' }, rounds: { type: 'string' } }, strict: true });
  await main(intFlag('--repeats', values.repeats, 20, 1, 10_000), intFlag('--rounds', values.rounds, 5, 1, 100));
});
