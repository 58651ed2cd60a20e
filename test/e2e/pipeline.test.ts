// The training pipeline end to end on the tiny corpus, through its real CLIs: train a few steps on two replica
// threads, export, resume, reload and verify, translate, evaluate, upload to a local R2 bucket.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateManifest, type Manifest } from '../../src/core/artifact.js';
import { pointerKey } from '../../src/core/layout.js';
import { initNodeBackend } from '../../train/backend.js';
import { loadModelDir } from '../../train/model-dir.js';
import { folderReader } from '../../train/artifact-folder.js';
import { openArtifact } from '../../src/core/open-artifact.js';
import { readWeights } from '../../src/core/model/load.js';
import { pickWeights } from '../../src/core/model/weights.js';

const run = promisify(execFile);
const tsx = (script: string, args: string[], input?: string) => {
  const child = run('node_modules/.bin/tsx', [script, ...args], { maxBuffer: 1 << 24 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  return child;
};
const TINY = [
  '--data',
  'test/fixtures/tiny',
  '--hidden-dim',
  '32',
  '--embedding-dim',
  '32',
  '--batch-size',
  '32',
  '--threads',
  '2',
];

let dir: string;
let model: string;
const manifest = async (): Promise<Manifest> =>
  validateManifest(JSON.parse(await readFile(join(model, 'manifest.json'), 'utf8')));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-'));
  model = join(dir, 'model');
  await initNodeBackend('wasm');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the training pipeline', () => {
  it('trains on two replica threads and exports an artifact that records how it was made', async () => {
    const { stderr } = await tsx('train/train.ts', [
      ...TINY,
      '--epochs',
      '2',
      '--average-last',
      '2',
      '--out',
      model,
      '--checkpoints',
      join(dir, 'ckpt'),
    ]);
    expect(stderr).toContain('2 replica thread(s)');
    expect(stderr).toMatch(/average of epochs 1-2: dev BLEU \d/);
    expect(stderr).not.toMatch(
      /Orthogonal initializer|non-serializable keyword arguments|looks like you are running TensorFlow.js/,
    );
    const m = await manifest();
    expect(m.direction).toBe('en-ja');
    expect(m.training).toMatchObject({ epochs: 2, config: { hiddenDim: 32, threads: 2 } });
    expect((m.training.history as unknown[]).length).toBe(2);
    expect(m.training.command).toContain('--epochs 2');
    expect(Object.keys(m.files)).toEqual(
      expect.arrayContaining([
        'encoder/model.json',
        'decoder/weights.bin',
        'vocab.en.txt',
        'vocab.ja.txt',
        'training-curve.svg',
      ]),
    );
    expect(m.model.quantization).toBe('uint8'); // the default: the shipped models' recipe
    expect(m.metrics.devBleuAveraged).toEqual(expect.any(Number)); // shipped only if it beat the best epoch
    expect(await readdir(join(dir, 'ckpt.epochs'))).toEqual(['epoch-1.bin', 'epoch-2.bin']);
  });

  it('resumes from its checkpoint instead of starting over', async () => {
    await tsx('train/train.ts', [
      ...TINY,
      '--resume',
      '--epochs',
      '3',
      '--out',
      model,
      '--checkpoints',
      join(dir, 'ckpt'),
    ]);
    const m = await manifest();
    expect(m.training.epochs).toBe(3);
    expect((m.training.history as { epoch: number }[]).map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(await readdir(join(dir, 'ckpt.epochs'))).toEqual(['epoch-2.bin', 'epoch-3.bin']); // the last two kept
  });

  it('says that a run stopped before its first epoch ended has no dev BLEU yet', async () => {
    const { stderr } = await tsx('train/train.ts', [
      ...TINY,
      '--max-steps',
      '1',
      '--out',
      join(dir, 'early'),
      '--checkpoints',
      join(dir, 'early-ckpt'),
    ]);
    expect(stderr).toContain('no dev BLEU: weights from the middle of epoch 1');
    expect(stderr).not.toContain('undefined');
  });

  it('trains the recipe options: a bidirectional encoder, input feeding, the output projection tied to the target embedding', async () => {
    const tied = join(dir, 'tied');
    await tsx('train/train.ts', [
      ...TINY,
      '--max-steps',
      '3',
      '--bidirectional',
      '--input-feeding',
      '--tie-embeddings',
      '--out',
      tied,
      '--checkpoints',
      join(dir, 'tied-ckpt'),
    ]);
    const { manifest: m, files } = await openArtifact(folderReader(tied));
    expect(m.model).toMatchObject({ bidirectional: true, inputFeeding: true, tiedEmbeddings: true });
    const translator = await loadModelDir(tied);
    expect(translator.translate(['i am a student .'], { beam: 2 }).translations[0]!.tokens.length).toBeGreaterThan(0);
    translator.dispose();
    const stored = {
      encoder: readWeights('encoder/model.json', files),
      decoder: readWeights('decoder/model.json', files),
    };
    const w = pickWeights((part, layer) => stored[part].get(layer)!, true);
    const embedding = tf.tensor2d(w.targetEmbedding.values(), w.targetEmbedding.shape as [number, number]);
    expect(Array.from(w.outputKernel.values())).toEqual(Array.from(tf.transpose(embedding).dataSync())); // stored as a plain kernel
    embedding.dispose();
  });

  it('learns a subword vocabulary (--bpe-merges), ships its merges, resumes with them and decodes pieces into words', async () => {
    const bpe = join(dir, 'bpe');
    const flags = [...TINY, '--bpe-merges', '40', '--out', bpe, '--checkpoints', join(dir, 'bpe-ckpt')];
    const { stderr } = await tsx('train/train.ts', [...flags, '--epochs', '1']);
    expect(stderr).toMatch(/subwords: 40\/40 merges learned/);
    await tsx('train/train.ts', [...flags, '--resume', '--epochs', '2']);
    const { manifest: m, files } = await openArtifact(folderReader(bpe));
    expect(m.training.epochs).toBe(2);
    expect(m.source).toMatchObject({ subwords: 'subwords.en.txt' });
    expect(m.target).toMatchObject({ subwords: 'subwords.ja.txt' });
    const merges = new TextDecoder().decode(files['subwords.en.txt']).trim().split('\n');
    expect(merges).toHaveLength(40);
    const vocab = new TextDecoder().decode(files['vocab.en.txt']).split('\n');
    expect(vocab.some((token) => token.endsWith('@@'))).toBe(true); // the model reads pieces
    const translator = await loadModelDir(bpe);
    const [t] = translator.translate(['i am a student .'], { beam: 2, alignment: true }).translations;
    t!.tokens.forEach((token) => expect(token).not.toMatch(/@@$/));
    expect(t!.alignment!.source).toEqual(['i', 'am', 'a', 'student', '.']);
    translator.dispose();
  });

  it("reloads with verified checksums and translates through the Worker's decoding code", async () => {
    const translator = await loadModelDir(model);
    const { translations } = translator.translate(['i am a student .', 'thank you .'], { beam: 1 });
    expect(translations).toHaveLength(2);
    translations.forEach((t) => expect(t.tokens).not.toContain('<unk>'));
    translator.dispose();
  });

  it('rejects an artifact whose weights were altered', async () => {
    const copy = join(dir, 'tampered');
    await run('cp', ['-r', model, copy]);
    const weights = join(copy, 'decoder/weights.bin');
    const bytes = await readFile(weights);
    bytes[0] ^= 0xff;
    await writeFile(weights, bytes);
    await expect(loadModelDir(copy)).rejects.toThrow(/decoder\/weights\.bin/);
  });

  it('translates from the command line and from stdin', async () => {
    // One output line per input line (a barely trained model may well translate to an empty line).
    const lines = (out: string) => out.replace(/\n$/, '').split('\n');
    const one = await tsx('train/translate.ts', ['--model', model, 'i am a student .']);
    expect(lines(one.stdout)).toHaveLength(1);
    const two = await tsx('train/translate.ts', ['--model', model, '--beam', '3'], 'thank you .\ni like it .\n');
    expect(lines(two.stdout)).toHaveLength(2);
  });

  it('evaluates corpus BLEU on the dev split', async () => {
    const { stdout } = await tsx('train/evaluate.ts', [
      '--model',
      model,
      '--source',
      'test/fixtures/tiny/dev.en',
      '--reference',
      'test/fixtures/tiny/dev.ja',
    ]);
    expect(stdout).toMatch(/BLEU\s*[=:]?\s*\d+(\.\d+)?/);
  });

  it('uploads to a local R2 bucket and moves the pointer last', async () => {
    const state = join(dir, 'state');
    await tsx('train/upload.ts', ['--model', model, '--local', '--persist-to', state]);
    const { getPlatformProxy } = await import('wrangler');
    const proxy = await getPlatformProxy<{ MODELS: R2Bucket }>({
      configPath: 'wrangler.toml',
      persist: { path: join(state, 'v3') },
    });
    try {
      const pointer = await proxy.env.MODELS.get(pointerKey('en-ja'));
      expect(await pointer?.json()).toEqual({ version: (await manifest()).version });
    } finally {
      await proxy.dispose();
    }
  });

  it('refuses unknown flags with a usage message', async () => {
    await expect(tsx('train/train.ts', ['--epoch', '2'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown flag --epoch'),
    });
  });

  it('prints the usage of every tool on --help or -h and exits 0', async () => {
    const tools = {
      'train/train.ts': 'train',
      'train/translate.ts': 'translate',
      'train/evaluate.ts': 'evaluate',
      'train/ensemble.ts': 'ensemble',
      'train/distill.ts': 'distill',
      'bench/train.ts': 'bench:train',
      'bench/recipes.ts': 'bench:recipes',
    };
    for (const [script, name] of Object.entries(tools)) {
      for (const flag of ['--help', '-h'])
        expect((await tsx(script, [flag])).stdout).toMatch(new RegExp(`^usage: npm run ${name} --`));
    }
  });
});
