// Translates text with a model folder, one translation a line, exactly as the Worker would:
//   npm run translate -- --model model-artifacts/en-ja [--beam 5] "How are you?" ["..."]
//   npm run translate -- --model model-artifacts/en-ja < sentences.txt   (one sentence a line)
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { MAX_BEAM } from '../src/core/translation.js';
import { initNodeBackend } from './backend.js';
import { intFlag, runCli, UsageError } from './cli.js';
import { loadModelDir, translateLines } from './model-dir.js';

const USAGE = `usage: npm run translate -- --model DIR [--beam K] ["text" ...]
  --model DIR  model folder with manifest.json (e.g. model-artifacts/en-ja)
  --beam K     1 = greedy (default), up to ${MAX_BEAM} = beam search
  text         sentences to translate; none: read one sentence a line from stdin`;

runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({ options: { model: { type: 'string' }, beam: { type: 'string' } }, allowPositionals: true });
  if (!values.model) throw new UsageError('--model DIR is required');
  const beam = intFlag('--beam', values.beam, 1, 1, MAX_BEAM);
  const lines = positionals.length > 0 ? positionals : (await text(process.stdin)).replace(/\n$/, '').split('\n');
  await initNodeBackend('wasm'); // the Worker's backend, so the output is the Worker's
  const translator = await loadModelDir(values.model);
  for (const t of await translateLines(translator, lines, { beam })) console.log(t.translation);
  translator.dispose();
});
