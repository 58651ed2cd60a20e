import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../src/core/artifact.js';
import { earlyStop } from '../../train/early-stop.js';

/** Epochs with these dev BLEUs and dev losses. */
const epochs = (bleu: number[], loss: number[]): EpochRecord[] =>
  bleu.map((devBleu, i) => ({
    epoch: i + 1,
    trainLoss: 2,
    devLoss: loss[i],
    devBleu,
    learningRate: 0.002,
    pairsPerSecond: 100,
    seconds: 60,
  }));

describe('earlyStop', () => {
  it('goes on while either dev BLEU or dev loss still improves', () => {
    expect(earlyStop([], 3)).toBe('');
    // The en-ja run's epochs 14-17: BLEU best at 14, loss still falling at 16 and 17.
    expect(earlyStop(epochs([29.92, 27.27, 29.01, 29.49], [1.368, 1.371, 1.334, 1.333]), 3)).toBe('');
    expect(earlyStop(epochs([20, 21, 20, 20, 20], [1.5, 1.6, 1.6, 1.6, 1.49]), 3)).toBe('');
  });

  it('stops after `patience` epochs that improved neither', () => {
    const stalled = epochs([25, 26, 25.5, 25.9, 25.8], [1.4, 1.3, 1.31, 1.3, 1.35]); // ties do not count as better
    expect(earlyStop(stalled.slice(0, 4), 3)).toBe('');
    expect(earlyStop(stalled, 3)).toBe('early stop: neither dev BLEU nor dev loss improved for 3 epochs');
    expect(earlyStop(stalled, 4)).toBe('');
  });
});
