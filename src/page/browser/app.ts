// The translation page (GET /, HTML in ../html.ts): translates as you type, shows the n-best list and the attention
// heatmap (each section hidden while it has nothing to show), marks in the translation what came through by rule
// (./annotations.ts), and says which path answered (the Worker, or this browser through ./offline.ts) and how long it took. A request's fields come from the controls in requestOf().
import type { Alignment } from '../../core/align.js';
import type { DocumentTranslation, SentenceTranslation } from '../../core/document/translate-documents.js';
import type { Formality } from '../../core/register.js';
import type { Alternative } from '../../core/translation.js';
import { showTranslation } from './annotations.js';
import { element } from './element.js';
import { glossaryField, showAppliedTerms } from './glossaries.js';
import { enableWordLookUp } from './word-lookup.js';

const DEBOUNCE_MS = 300; // wait this long after the last keystroke before translating

const ui = {
  source: element('source', HTMLTextAreaElement),
  direction: element('direction', HTMLSelectElement),
  beam: element('beam', HTMLInputElement),
  beamValue: element('beam-value', HTMLOutputElement),
  formality: element('formality', HTMLSelectElement),
  offline: element('offline', HTMLInputElement),
  translation: element('translation', HTMLParagraphElement),
  status: element('status', HTMLParagraphElement),
  alternatives: element('alternatives', HTMLElement),
  nbest: element('nbest', HTMLOListElement),
  attention: element('attention', HTMLElement),
  heatmap: element('heatmap', HTMLDivElement),
};

interface Request {
  text: string;
  beam: number;
  direction: string;
  formality: Formality; // DeepL's, for Japanese output
  glossary?: string; // applied by the Worker only (./glossaries.ts)
}

interface Answer {
  result: DocumentTranslation;
  path: 'worker' | 'browser';
  note: string; // how it was answered, for people
  ms: number;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let latest = 0; // id of the newest request: older answers are dropped
let inFlight: AbortController | undefined;

function schedule(delay = DEBOUNCE_MS): void {
  clearTimeout(timer);
  timer = setTimeout(() => void run(), delay);
}

/** The request the controls describe (a new control adds its field here). */
function requestOf(): Request {
  return {
    text: ui.source.value,
    beam: Number(ui.beam.value),
    direction: ui.direction.value,
    formality: ui.formality.value as Formality,
    ...glossaryField(),
  };
}

async function run(): Promise<void> {
  const request = requestOf();
  const id = ++latest;
  inFlight?.abort();
  if (request.text.trim() === '') return clear();
  inFlight = new AbortController();
  ui.status.textContent = 'Translating…';
  try {
    const answer = ui.offline.checked
      ? await inBrowser(request, inFlight.signal)
      : await onWorker(request, inFlight.signal, 'the Worker');
    if (id === latest) render(answer);
  } catch (err) {
    if (id === latest && !inFlight.signal.aborted)
      ui.status.textContent = `Error: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function onWorker(request: Request, signal: AbortSignal, note: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch('/translate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...request, nbest: request.beam, alignment: true }),
    signal,
  });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(errorMessage(body) ?? `HTTP ${res.status}`);
  return { result: body as DocumentTranslation, path: 'worker', note, ms: performance.now() - started }; // the API's documented shape
}

const errorMessage = (body: unknown): string | undefined =>
  typeof body === 'object' && body !== null && 'error' in body
    ? String((body.error as { message?: unknown }).message)
    : undefined;

/** Translates in this browser when it can run tfjs-wasm with SIMD and threads, else asks the Worker. */
async function inBrowser(request: Request, signal: AbortSignal): Promise<Answer> {
  ui.status.textContent = 'Loading the in-browser translator…';
  const offline = await import('./offline.js');
  const missing = await offline.missingFeatures();
  if (missing.length > 0) return onWorker(request, signal, `the Worker (this browser lacks ${missing.join(', ')})`);
  const served = [...ui.direction.options].map((o) => o.value).filter((d) => d !== 'auto');
  const started = performance.now();
  const { result, threads, loadMs } = await offline.translateOffline(request, served);
  const load = loadMs === undefined ? '' : `, after loading the model in ${Math.round(loadMs)} ms`;
  const ms = performance.now() - started - (loadMs ?? 0);
  return {
    result,
    path: 'browser',
    note: `this browser (tfjs-wasm, SIMD, ${threads} thread${threads === 1 ? '' : 's'}${load})`,
    ms,
  };
}

function render({ result, path, note, ms }: Answer): void {
  const target = result.model.split('@')[0]?.split('-')[1] ?? 'und';
  ui.translation.lang = target;
  showTranslation(ui.translation, result);
  ui.status.dataset.path = path;
  const warnings = result.warnings ? ` ${result.warnings.join(' ')}` : '';
  ui.status.textContent = `Answered by ${note} in ${ms.toFixed(1)} ms · model ${result.model}.${warnings}`;
  renderNbest(result.nbest ?? [], target);
  showAppliedTerms(result.glossaryTerms ?? []);
  renderHeatmaps(result.sentences);
}

/** The n-best list, shown when there is more than the translation itself. */
function renderNbest(alternatives: Alternative[], lang: string): void {
  ui.alternatives.hidden = alternatives.length < 2;
  ui.nbest.replaceChildren(
    ...alternatives.map((alt) => {
      const item = document.createElement('li');
      const text = Object.assign(document.createElement('span'), { lang, textContent: alt.translation });
      const score = Object.assign(document.createElement('span'), {
        className: 'score',
        textContent: `log-prob ${alt.score.toFixed(2)}, ranked by ${alt.normalizedScore.toFixed(2)}`,
      });
      item.append(text, score);
      return item;
    }),
  );
}

/** One heatmap per translated sentence (a pasted paragraph has several). */
function renderHeatmaps(sentences: SentenceTranslation[]): void {
  const translated = sentences.filter((s) => s.alignment);
  ui.attention.hidden = translated.length === 0;
  if (translated.length === 0) {
    ui.heatmap.replaceChildren();
    return;
  }
  ui.heatmap.replaceChildren(
    ...translated.map((s, i) => heatmap(s.alignment!, translated.length > 1 ? `Sentence ${i + 1}` : undefined)),
  );
}

/** A table: target tokens as rows, source tokens as columns, each cell shaded by its attention weight. */
function heatmap(alignment: Alignment, caption: string | undefined): HTMLTableElement {
  const table = document.createElement('table');
  if (caption) table.createCaption().textContent = caption;
  const header = table.createTHead().insertRow();
  header.append(cell('th', ''), ...alignment.source.map((token) => cell('th', token, 'col')));
  const body = table.createTBody();
  alignment.weights.forEach((weights, t) => {
    const row = body.insertRow();
    row.append(cell('th', alignment.target[t] ?? '', 'row'));
    for (const [s, weight] of weights.entries()) {
      const td = cell('td', '');
      td.style.background = `rgba(37, 99, 235, ${weight.toFixed(3)})`;
      td.title = `${alignment.target[t]} → ${alignment.source[s]}: ${(weight * 100).toFixed(1)}%`;
      td.append(
        Object.assign(document.createElement('span'), {
          className: 'visually-hidden',
          textContent: `${(weight * 100).toFixed(0)}%`,
        }),
      );
      row.append(td);
    }
  });
  return table;
}

function cell(tag: 'th' | 'td', text: string, scope?: 'row' | 'col'): HTMLTableCellElement {
  const node = document.createElement(tag);
  node.textContent = text;
  if (scope) node.scope = scope;
  return node;
}

function clear(): void {
  ui.translation.textContent = '';
  showAppliedTerms([]);
  ui.status.textContent = '';
  renderNbest([], '');
  renderHeatmaps([]);
}

ui.source.addEventListener('input', () => schedule());
ui.direction.addEventListener('change', () => schedule(0));
ui.formality.addEventListener('change', () => schedule(0));
document.getElementById('glossary')?.addEventListener('change', () => schedule(0));
ui.offline.addEventListener('change', () => schedule(0));
enableWordLookUp(ui.source, ui.translation, () => ui.offline.checked); // a word's dictionary entries on a click
ui.beam.addEventListener('input', () => {
  ui.beamValue.value = ui.beam.value;
  schedule();
});
