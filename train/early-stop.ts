// When a run stops by itself: after `patience` epochs that brought neither a better dev BLEU nor a lower dev
// loss. Greedy dev BLEU alone is too noisy a signal (it can drop 2.6 for one epoch while the loss still falls, and
// the learning rate halves when the loss stalls: an en-ja run was stopped that way with its loss still improving).
import type { EpochRecord } from '../src/core/artifact.js';

/** Why to stop after these epochs (in order), or '' to go on. */
export function earlyStop(history: readonly EpochRecord[], patience: number): string {
  if (history.length === 0) return '';
  const last = history.length - 1;
  const sinceBest = (better: (a: EpochRecord, b: EpochRecord) => boolean) =>
    last - history.reduce((best, record, i) => (better(record, history[best]) ? i : best), 0);
  const bleu = sinceBest((a, b) => a.devBleu > b.devBleu);
  const loss = sinceBest((a, b) => a.devLoss < b.devLoss);
  return Math.min(bleu, loss) >= patience
    ? `early stop: neither dev BLEU nor dev loss improved for ${patience} epochs`
    : '';
}
