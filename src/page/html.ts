// The HTML of the translation page (GET /) and of the API reference (GET /docs), served by the Worker. Their scripts
// are ./browser/app.ts and ./browser/docs.ts, bundled by ./build.ts into the Worker's static assets (/assets/*):
// nothing is loaded from another origin (the Content-Security-Policy of ./headers.ts says so to the browser as well).
//
// The page is a column of sections (./style.ts makes each a card), each hidden while it has nothing to show: the
// translator (controls, text, translation), the alternatives, the attention heatmap, then other features' sections
// (./documents.ts: a function returning its <section>, its script beside it). A new request option is one `<div>` in
// controls() (its label first) and one field in ./browser/app.ts requestOf().
import { LANGUAGE_NAMES } from '../core/language.js';
import { documentTargets, documentsSection } from './documents.js';
import { glossariesSection, glossaryControl } from './glossaries.js';
import { STYLE } from './style.js';

export interface PageOptions {
  directions: string[]; // served directions; the page also offers "auto"
  defaultBeam: number;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

function layout(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
${head}
</head>
<body>
${body}
</body>
</html>`;
}

/** "English → Japanese" for "en-ja"; "Detect the language" for "auto". */
function directionName(direction: string): string {
  if (direction === 'auto') return 'Detect the language';
  return direction
    .split('-')
    .map((code) => LANGUAGE_NAMES[code] ?? code)
    .join(' → ');
}

// prefer_*: a model without registers answers in its default register instead of refusing (src/core/register.ts).
const formalityControl = `<div><label for="formality">Japanese register</label><select id="formality">
      <option value="default">The model's choice</option><option value="prefer_more">Polite (です/ます)</option><option value="prefer_less">Plain (だ/る)</option>
    </select></div>`;

function controls({ directions, defaultBeam }: PageOptions): string {
  const options = ['auto', ...directions]
    .map((d) => `<option value="${escapeHtml(d)}">${escapeHtml(directionName(d))}</option>`)
    .join('');
  return `<div><label for="direction">Direction</label><select id="direction">${options}</select></div>
    <div><label for="beam">Beam width</label><input id="beam" type="range" min="1" max="10" value="${defaultBeam}"><output id="beam-value" for="beam">${defaultBeam}</output></div>
    ${formalityControl}
    ${glossaryControl}
    <div><input id="offline" type="checkbox"><label for="offline">Translate in this browser</label></div>`;
}

export function pageHtml(options: PageOptions): string {
  return layout(
    'Edge translator',
    `<style>${STYLE}</style>\n<script type="module" src="/assets/app.js"></script>`,
    `<header class="bar">
  <a class="brand" href="/"><img src="/favicon.svg" alt="" width="32" height="32">Edge translator</a>
  <nav><a href="/docs">API reference</a><a href="/openapi.json">OpenAPI</a></nav>
</header>
<main>
<section id="translator" aria-label="Translator">
  <div class="controls">
    ${controls(options)}
  </div>
  <div class="panes">
    <div class="pane">
      <label for="source">Text to translate</label>
      <textarea id="source" autofocus placeholder="I like green tea." aria-describedby="status"></textarea>
    </div>
    <div class="pane output" role="group" aria-labelledby="result-heading">
      <h2 id="result-heading">Translation</h2>
      <p id="translation" lang="ja" aria-live="polite"></p>
      <p id="status" role="status"></p>
    </div>
  </div>
</section>
<section id="alternatives" aria-labelledby="nbest-heading" hidden>
  <h2 id="nbest-heading">Alternatives</h2>
  <ol id="nbest"></ol>
</section>
<section id="attention" aria-labelledby="heatmap-heading" hidden>
  <h2 id="heatmap-heading">Attention alignment</h2>
  <p class="muted">How strongly each target token (row) attended to each source token (column).</p>
  <div id="heatmap" class="scroll" role="region" aria-labelledby="heatmap-heading" tabindex="0"></div>
</section>
${glossariesSection(options.directions)}
${documentsSection(documentTargets(options.directions))}
</main>
<footer>English ↔ Japanese neural machine translation, served by this Worker. <a href="/docs">API reference</a>. Click a word for its dictionary entries: EDICT, the property of the Electronic Dictionary Research and Development Group, used in conformance with the Group's licence (CC BY-SA, www.edrdg.org/edrdg/licence.html).</footer>`,
  );
}

/** GET /docs: Scalar's API reference of /openapi.json (its bundle copied by ./build.ts), set up by ./browser/docs.ts. */
export function docsHtml(): string {
  return layout(
    'Edge translator API reference',
    `<script src="/assets/scalar/standalone.js" defer></script>\n<script type="module" src="/assets/docs.js"></script>`,
    '<div id="reference"></div>', // not #api-reference, which the bundle would mount by itself with its defaults
  );
}
