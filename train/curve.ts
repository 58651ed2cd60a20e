// The training curve as a small self-contained SVG: loss (train, dev) on the left axis, dev BLEU on the right.
import type { EpochRecord } from '../src/core/artifact.js';

const W = 640;
const H = 360;
const PAD = { left: 56, right: 56, top: 36, bottom: 44 };

export function trainingCurveSvg(history: EpochRecord[], title: string): string {
  const epochs = history.map((r) => r.epoch);
  const maxEpoch = Math.max(1, ...epochs);
  const maxLoss = Math.max(1e-9, ...history.flatMap((r) => [r.trainLoss, r.devLoss]));
  const maxBleu = Math.max(10, ...history.map((r) => r.devBleu));
  const x = (e: number) => PAD.left + ((W - PAD.left - PAD.right) * e) / maxEpoch;
  const y = (v: number, max: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / max;
  const line = (values: number[], max: number, color: string, label: string, row: number) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${values.map((v, i) => `${x(epochs[i]).toFixed(1)},${y(v, max).toFixed(1)}`).join(' ')}"/>` +
    `<text x="${PAD.left + 8}" y="${PAD.top + 14 + 16 * row}" fill="${color}" font-size="12">${label}</text>`;
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<text x="${PAD.left - 6}" y="${y(f * maxLoss, maxLoss) + 4}" font-size="11" text-anchor="end">${(f * maxLoss).toFixed(1)}</text>` +
        `<text x="${W - PAD.right + 6}" y="${y(f * maxBleu, maxBleu) + 4}" font-size="11">${(f * maxBleu).toFixed(0)}</text>`,
    )
    .join('');
  const epochTicks = epochs
    .map((e) => `<text x="${x(e)}" y="${H - PAD.bottom + 16}" font-size="11" text-anchor="middle">${e}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="20" font-size="14" text-anchor="middle">${escapeXml(title)}</text>
<path d="M${PAD.left},${PAD.top}V${H - PAD.bottom}H${W - PAD.right}V${PAD.top}" fill="none" stroke="#999"/>
${ticks}${epochTicks}
<text x="${W / 2}" y="${H - 8}" font-size="12" text-anchor="middle">epoch</text>
<text x="14" y="${H / 2}" font-size="12" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">loss (nats/token)</text>
<text x="${W - 12}" y="${H / 2}" font-size="12" transform="rotate(90 ${W - 12} ${H / 2})" text-anchor="middle">dev BLEU</text>
${line(
  history.map((r) => r.trainLoss),
  maxLoss,
  '#1f77b4',
  'train loss',
  0,
)}
${line(
  history.map((r) => r.devLoss),
  maxLoss,
  '#ff7f0e',
  'dev loss',
  1,
)}
${line(
  history.map((r) => r.devBleu),
  maxBleu,
  '#2ca02c',
  'dev BLEU',
  2,
)}
</svg>
`;
}

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
