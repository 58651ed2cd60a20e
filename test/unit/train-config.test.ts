import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type Progress } from '../../train/checkpoint.js';
import { UsageError } from '../../train/cli.js';
import { commandLine, DEFAULTS, parseFlags, resumeFlags, USAGE } from '../../train/config.js';

const argv = (command: string) => command.replace('npm run train --', '').trim().split(/\s+/).filter(Boolean);

describe('training flags', () => {
  it("default to the recipe the shipped models were trained with (their manifests' training.config)", async () => {
    for (const direction of ['en-ja', 'ja-en']) {
      const { training } = JSON.parse(await readFile(join('model-artifacts', direction, 'manifest.json'), 'utf8'));
      const recipe = [
        'vocabSize',
        'embeddingDim',
        'hiddenDim',
        'attention',
        'dropout',
        'labelSmoothing',
        'learningRate',
        'lrDecay',
        'clipNorm',
        'batchSize',
        'quantization',
      ] as const;
      // A model fine-tuned from one of the recipe (--init) chose its own learning rate.
      const own = training.config.init ? ['learningRate'] : [];
      for (const key of recipe.filter((k) => !own.includes(k)))
        expect([direction, key, DEFAULTS[key]]).toEqual([direction, key, training.config[key]]);
      if (training.config.averageLast !== undefined) expect(DEFAULTS.averageLast).toBe(training.config.averageLast);
    }
  });

  it('are each listed by --help with what they mean and their default', () => {
    const lines = USAGE.split('\n');
    for (const key of Object.keys(DEFAULTS)) {
      const flag = key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
      const line = lines.find((l) => new RegExp(`^  --(\\[no-\\])?${flag}\\b`).test(l));
      expect(line, flag).toMatch(/\S  +\S.* \(default [^)]+\)$/);
    }
    expect(lines.find((l) => l.includes('--[no-]attention'))).toMatch(/\(default on\)$/);
    expect(lines.find((l) => l.includes('--dropout'))).toMatch(/\(default 0\.3\)$/);
  });

  it('resolve the output and checkpoint folders from the direction', () => {
    const config = parseFlags(['--src', 'ja', '--tgt', 'en']);
    expect(config).toMatchObject({
      src: 'ja',
      tgt: 'en',
      out: 'model-artifacts/ja-en',
      checkpoints: 'checkpoints/ja-en',
    });
  });

  it('reject unknown flags, missing values, wrong types and bad enums with a message naming the flag', () => {
    expect(() => parseFlags(['--epoch', '3'])).toThrow(new UsageError('unknown flag --epoch'));
    expect(() => parseFlags(['--epochs'])).toThrow(/--epochs needs a value/);
    expect(() => parseFlags(['--epochs', 'ten'])).toThrow(/--epochs must be a non-negative number/);
    expect(() => parseFlags(['--quantization', 'int4'])).toThrow(
      /--quantization must be one of float32, float16, uint8/,
    );
    expect(() => parseFlags(['--hidden-dim', '0'])).toThrow(/--hidden-dim must be a positive integer/);
    expect(() => parseFlags(['--average-last', '1'])).toThrow(
      /--average-last must be 0 \(off\) or an integer from 2 up/,
    );
    expect(() => parseFlags(['--tie-embeddings', '--embedding-dim', '128'])).toThrow(
      /--tie-embeddings needs --embedding-dim equal to --hidden-dim/,
    );
    expect(() => parseFlags(['--bidirectional', '--hidden-dim', '255'])).toThrow(
      /--bidirectional needs an even --hidden-dim/,
    );
    expect(() => parseFlags(['--dropout', '1'])).toThrow(/--dropout must be below 1/);
    expect(() => parseFlags(['--label-smoothing', '1.5'])).toThrow(/--label-smoothing must be below 1/);
  });

  it('take --flag=value, the no- form only for booleans, and no positional arguments', () => {
    expect(parseFlags(['--epochs=3', '--no-attention'])).toMatchObject({ epochs: 3, attention: false });
    expect(() => parseFlags(['--no-epochs'])).toThrow(new UsageError('unknown flag --no-epochs'));
    expect(() => parseFlags(['--attention=no'])).toThrow(
      /--attention takes no value \(--attention or --no-attention\)/,
    );
    expect(() => parseFlags(['--out', '--resume'])).toThrow(/--out needs a value/);
    expect(() => parseFlags(['--epochs', '3', '4'])).toThrow(/unexpected argument "4"/);
  });

  it('record a command that reproduces the config, direction included', () => {
    for (const flags of [
      [],
      ['--src', 'ja', '--tgt', 'en', '--max-minutes', '110'],
      ['--no-attention', '--limit', '200', '--out', 'x'],
    ]) {
      const config = parseFlags(flags);
      expect(parseFlags(argv(commandLine(config)))).toEqual(config);
    }
    expect(commandLine(parseFlags([]))).toBe('npm run train --');
    expect(commandLine(parseFlags(['--src', 'ja', '--tgt', 'en']))).toBe('npm run train -- --src ja --tgt en');
  });

  it("resume with the checkpoint's settings, changing only what was given and may change", () => {
    const saved = parseFlags(['--max-minutes', '115', '--dropout', '0.3']);
    const resumed = resumeFlags(['--resume', '--quantization', 'float16'], saved);
    expect(resumed).toEqual({ ...saved, resume: true, quantization: 'float16' }); // --max-minutes 115 kept, not reset to 0
    const { labelSmoothing: _, ...older } = saved; // a checkpoint from before the setting existed ran without it
    expect(resumeFlags(['--resume'], older as typeof saved).labelSmoothing).toBe(0);
    expect(() => resumeFlags(['--resume', '--hidden-dim', '512'], saved)).toThrow(/--hidden-dim cannot change/);
  });
});

describe('checkpoints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checkpoint-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const weights = { names: ['a', 'b'], shapes: [[2], [1, 2]], data: Float32Array.from([1, 2, 3, 4]) };
  const progress: Progress = {
    config: parseFlags(['--hidden-dim', '32']),
    sessions: 1,
    epoch: 0,
    step: 3,
    batchesDone: 3,
    learningRate: 2e-3,
    elapsedSeconds: 5,
    history: [],
    bestDevBleu: -1,
    bestDevLoss: Infinity,
    sourceVocab: '<pad>\nhello',
    targetVocab: '<pad>\nこんにちは',
  };
  const saved = async (change: (meta: any) => void) => {
    await saveCheckpoint(dir, { progress, weights, optimizer: weights, best: { epoch: 1, weights } });
    const file = join(dir, 'checkpoint.json');
    const meta = JSON.parse(await readFile(file, 'utf8'));
    change(meta);
    await writeFile(file, JSON.stringify(meta));
    return loadCheckpoint(dir);
  };

  it('load as they were saved, a dev loss not yet measured (Infinity, null in JSON) included', async () => {
    expect(await saved(() => {})).toEqual({ progress, weights, optimizer: weights, best: { epoch: 1, weights } });
  });

  it('load from before a field existed, with the value runs had then', async () => {
    const old = await saved((meta) => {
      delete meta.progress.sessions;
      delete meta.progress.config.labelSmoothing;
      delete meta.best;
    });
    expect(old.progress.sessions).toBe(1);
    expect(old.best).toBeUndefined();
    expect(resumeFlags(['--resume'], old.progress.config).labelSmoothing).toBe(0);
  });

  it('refuse a corrupt or foreign checkpoint.json with a message naming the field', async () => {
    await expect(saved((meta) => (meta.progress.config.hiddenDim = '32'))).rejects.toThrow(
      /"progress\.config\.hiddenDim" Invalid input: expected number, received string/,
    );
    await expect(saved((meta) => (meta.progress.config.quantization = 'int4'))).rejects.toThrow(
      /"progress\.config\.quantization"/,
    );
    await expect(saved((meta) => (meta.progress.config.epoch = 3))).rejects.toThrow(
      /"progress\.config" Unrecognized key: "epoch"/,
    );
    await expect(saved((meta) => delete meta.progress.step)).rejects.toThrow(/"progress\.step"/);
    await expect(saved((meta) => (meta.progress.history = [{ epoch: 1 }]))).rejects.toThrow(
      /"progress\.history\.0\.trainLoss"/,
    );
    await expect(saved((meta) => (meta.weights.shapes = [[2], [2, 2]]))).rejects.toThrow(
      /weights\.bin does not match checkpoint\.json/,
    );
    await writeFile(join(dir, 'checkpoint.json'), '{"progress": {');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/checkpoint\.json is not JSON/);
  });
});
