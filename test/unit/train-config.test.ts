import { describe, expect, it } from 'vitest';
import { commandLine, parseFlags, resumeFlags, UsageError } from '../../train/config.js';

const argv = (command: string) => command.replace('npm run train --', '').trim().split(/\s+/).filter(Boolean);

describe('training flags', () => {
  it('resolve the output and checkpoint folders from the direction', () => {
    const config = parseFlags(['--src', 'ja', '--tgt', 'en']);
    expect(config).toMatchObject({ src: 'ja', tgt: 'en', out: 'model-artifacts/ja-en', checkpoints: 'checkpoints/ja-en' });
  });

  it('reject unknown flags, missing values, wrong types and bad enums with a message naming the flag', () => {
    expect(() => parseFlags(['--epoch', '3'])).toThrow(new UsageError('unknown flag --epoch'));
    expect(() => parseFlags(['--epochs'])).toThrow(/--epochs needs a value/);
    expect(() => parseFlags(['--epochs', 'ten'])).toThrow(/--epochs must be a non-negative number/);
    expect(() => parseFlags(['--quantization', 'int4'])).toThrow(/--quantization must be one of float32, float16, uint8/);
    expect(() => parseFlags(['--hidden-dim', '0'])).toThrow(/--hidden-dim must be a positive integer/);
    expect(() => parseFlags(['--dropout', '1'])).toThrow(/--dropout must be below 1/);
    expect(() => parseFlags(['--label-smoothing', '1.5'])).toThrow(/--label-smoothing must be below 1/);
  });

  it('record a command that reproduces the config, direction included', () => {
    for (const flags of [[], ['--src', 'ja', '--tgt', 'en', '--max-minutes', '110'], ['--no-attention', '--limit', '200', '--out', 'x']]) {
      const config = parseFlags(flags);
      expect(parseFlags(argv(commandLine(config)))).toEqual(config);
    }
    expect(commandLine(parseFlags([]))).toBe('npm run train --');
    expect(commandLine(parseFlags(['--src', 'ja', '--tgt', 'en']))).toBe('npm run train -- --src ja --tgt en');
  });

  it("resume with the checkpoint's settings, changing only what was given and may change", () => {
    const saved = parseFlags(['--max-minutes', '115', '--dropout', '0.3']);
    const resumed = resumeFlags(['--resume', '--quantization', 'uint8'], saved);
    expect(resumed).toEqual({ ...saved, resume: true, quantization: 'uint8' }); // --max-minutes 115 kept, not reset to 0
    const { labelSmoothing: _, ...older } = saved; // a checkpoint from before the setting existed
    expect(resumeFlags(['--resume'], older as typeof saved).labelSmoothing).toBe(0);
    expect(() => resumeFlags(['--resume', '--hidden-dim', '512'], saved)).toThrow(/--hidden-dim cannot change/);
  });
});
