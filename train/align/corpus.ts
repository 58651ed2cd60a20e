// The training corpus's word alignments: fast_align both ways, symmetrised with grow-diag-final-and.
import { alignOneWay, ALIGN_DEFAULTS, type AlignOptions, type Link } from './fast-align.js';
import { growDiagFinalAnd } from './symmetrize.js';

/** Links [source index, target index] of every sentence pair, sorted by target then source. */
export function alignCorpus(source: string[][], target: string[][], options: AlignOptions = ALIGN_DEFAULTS): Link[][] {
  const forward = alignOneWay(source, target, options); // each target token picks a source token
  const backward = alignOneWay(target, source, options).map((links) => links.map(([t, s]): Link => [s, t]));
  return forward.map((links, k) => growDiagFinalAnd(links, backward[k]));
}
