import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from './train/backend.js';
import { loadModelDir } from './train/model-dir.js';
await initNodeBackend('wasm');
const fwd = await loadModelDir('model-artifacts/en-ja');
const rev = await loadModelDir('model-artifacts/ja-en');
const lines = readFileSync('../shared/data/small_parallel_enja/dev.en', 'utf8').split('\n').slice(0, 64);
const t = (label: string, f: () => unknown) => { const s = performance.now(); const r = f(); console.log(label, (performance.now() - s).toFixed(0), 'ms'); return r; };
for (let i = 0; i < 2; i++) {
  t('beam4', () => fwd.translate(lines, { beam: 4 }));
  const r = t('beam4 nbest4', () => fwd.translate(lines, { beam: 4, nbest: 4 })) as any;
  const cands = r.translations.flatMap((x: any) => x.nbest.map((a: any) => a.translation));
  const toks = r.translations.flatMap((x: any, i: number) => x.nbest.map(() => lines[i].split(' ')));
  t('reverse meanLogProbs ' + cands.length, () => rev.meanLogProbs(cands, toks));
  t('beam4 rerank', () => fwd.translate(lines, { beam: 4, rerank: { reverse: rev, weight: 0.5 } }));
}
const prof = await tf.profile(() => { rev.meanLogProbs(lines.slice(0, 16), lines.slice(0, 16).map(l => l.split(' '))); });
const byName: Record<string, number> = {};
for (const k of prof.kernels) byName[k.name] = (byName[k.name] ?? 0) + 1;
console.log(byName);
