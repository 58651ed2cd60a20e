// Translates text with a model folder, one translation a line, exactly as the Worker would by default:
//   npm run translate -- --model model-artifacts/en-ja "How are you?" ["..."]
//   npm run translate -- --model model-artifacts/en-ja < sentences.txt   (one text a line)
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { DEFAULT_BEAM, MAX_BEAM } from '../src/core/translation.js';
import { initNodeBackend } from './backend.js';
import { flagOptions, intFlag, onOffFlag, runCli, usage, UsageError, type ToolFlag } from './cli.js';
import { dictionaryDir, loadModelDir, translateLines } from './model-dir.js';

const FLAGS = {
  model: { value: 'DIR', help: 'model folder with manifest.json, e.g. model-artifacts/en-ja (required)' },
  beam: { value: 'K', help: `beam width, 1 = greedy, up to ${MAX_BEAM}`, default: `${DEFAULT_BEAM}, as the API` },
  'replace-unknown': {
    value: 'on|off',
    help: 'copy a word the vocabulary lacks from the source; off: never emit <unk>',
    default: 'on, as the API',
  },
  dictionary: {
    value: 'on|off',
    help: 'words the model cannot read through the shipped dictionary (model-artifacts/dictionary)',
    default: 'on, as the API',
  },
} satisfies Record<string, ToolFlag>;

const USAGE = usage('npm run translate -- --model DIR [flags] ["text" ...]', FLAGS, [
  '  text: what to translate; none: one text a line from stdin',
]);

runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({ options: flagOptions(FLAGS), allowPositionals: true });
  if (!values.model) throw new UsageError('--model DIR is required');
  const beam = intFlag('--beam', values.beam, DEFAULT_BEAM, 1, MAX_BEAM);
  const replaceUnknown = onOffFlag('--replace-unknown', values['replace-unknown'], 'on');
  const lines = positionals.length > 0 ? positionals : (await text(process.stdin)).replace(/\n$/, '').split('\n');
  await initNodeBackend('wasm'); // the Worker's backend, so the output is the Worker's
  const translator = await loadModelDir(values.model);
  const dictionary = onOffFlag('--dictionary', values.dictionary, 'on') ? dictionaryDir() : undefined;
  for (const t of await translateLines(translator, lines, { beam, replaceUnknown, ...(dictionary && { dictionary }) }))
    console.log(t.translation);
  translator.dispose();
});
