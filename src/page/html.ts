// The HTML of the translation page (GET /) and of the API docs (GET /docs), served by the Worker. Their scripts are
// ./app.ts and ./docs.ts, bundled by ./build.ts into the Worker's static assets (/assets/*): nothing is loaded from
// another origin (the Content-Security-Policy of src/routes/page.ts says so to the browser as well).
import { documentTargets, documentsSection } from './documents.js';

export interface PageOptions {
  directions: string[]; // served directions; the page also offers "auto"
  defaultBeam: number;
}

const STYLE = `
:root { color-scheme: light dark; --accent: #2563eb; --muted: #6b7280; --line: #d1d5db; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 52rem; padding: 1rem; line-height: 1.5; }
h1 { font-size: 1.4rem; margin: 0 0 .75rem; }
label { font-weight: 600; }
textarea, select, input, button { font: inherit; }
textarea { box-sizing: border-box; width: 100%; min-height: 6rem; padding: .5rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.controls { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; margin: .75rem 0; }
.controls > div { display: flex; gap: .5rem; align-items: center; }
#translation { font-size: 1.5rem; min-height: 2.25rem; margin: .5rem 0; white-space: pre-wrap; }
#heatmap caption { text-align: left; font-weight: 500; padding: .5rem 0 .25rem; }
#status, .muted { color: var(--muted); font-size: .9rem; }
#nbest li { margin: .2rem 0; }
#nbest .score { color: var(--muted); font-variant-numeric: tabular-nums; margin-left: .5rem; }
.scroll { overflow-x: auto; }
#heatmap table { border-collapse: collapse; font-size: .85rem; }
#heatmap th { font-weight: 500; padding: .15rem .35rem; white-space: nowrap; }
#heatmap thead th { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; }
#heatmap td { width: 2rem; height: 2rem; border: 1px solid var(--line); }
.drop { border: 2px dashed var(--line); padding: 1rem; }
.drop.over { border-color: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
section { margin-top: 1.25rem; }
h2 { font-size: 1.1rem; margin: 0 0 .4rem; }
h3 { font-size: 1rem; margin: 0 0 .4rem; }
h4 { font-size: .95rem; margin: .5rem 0 .25rem; }
code, pre { font-family: ui-monospace, monospace; font-size: .9em; }
pre { overflow-x: auto; padding: .5rem; border: 1px solid var(--line); }
.op { border-top: 1px solid var(--line); padding-top: .5rem; }
dl.schema { margin: .25rem 0 .25rem 1rem; }
dl.schema dt { font-family: ui-monospace, monospace; }
dl.schema dd { margin: 0 0 .35rem 1rem; }
`;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

function layout(title: string, body: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
<script type="module" src="${script}"></script>
</head>
<body>
${body}
</body>
</html>`;
}

export function pageHtml({ directions, defaultBeam }: PageOptions): string {
  const options = ['auto', ...directions].map((d) => `<option value="${escapeHtml(d)}">${escapeHtml(d)}</option>`).join('');
  return layout(
    'Edge translator',
    `<main>
<h1>Edge translator</h1>
<label for="source">Text to translate</label>
<textarea id="source" autofocus placeholder="I like green tea." aria-describedby="status"></textarea>
<div class="controls">
  <div><label for="direction">Direction</label><select id="direction">${options}</select></div>
  <div><label for="beam">Beam width</label><input id="beam" type="range" min="1" max="10" value="${defaultBeam}"><output id="beam-value" for="beam">${defaultBeam}</output></div>
  <div><input id="offline" type="checkbox"><label for="offline">Translate in this browser</label></div>
</div>
<section aria-labelledby="result-heading">
  <h2 id="result-heading">Translation</h2>
  <p id="translation" lang="ja" aria-live="polite"></p>
  <p id="status" role="status"></p>
</section>
<section aria-labelledby="nbest-heading">
  <h2 id="nbest-heading">Alternatives</h2>
  <ol id="nbest"></ol>
</section>
<section aria-labelledby="heatmap-heading">
  <h2 id="heatmap-heading">Attention alignment</h2>
  <p class="muted">How strongly each target token (row) attended to each source token (column).</p>
  <div id="heatmap" class="scroll" role="region" aria-labelledby="heatmap-heading" tabindex="0"></div>
</section>
${documentsSection(documentTargets(directions))}
<p class="muted"><a href="/docs">API documentation</a> · <a href="/openapi.json">OpenAPI</a></p>
</main>`,
    '/assets/app.js',
  );
}

export function docsHtml(): string {
  return layout(
    'Edge translator API',
    `<main>
<h1>Edge translator API</h1>
<p class="muted">Rendered from <a href="/openapi.json">/openapi.json</a>, which the Worker generates from the schemas its routes validate with. <a href="/">Translate</a></p>
<div id="docs" aria-live="polite">Loading…</div>
</main>`,
    '/assets/docs.js',
  );
}
