// The page's file section (GET /, ./html.ts): drop a file, watch its translation's progress, download it. Its script
// is ./browser/documents.ts (bundled by ./build.ts); it speaks DeepL's document API of the Worker (/v2/document), the
// same one clients use (docs/documents-api.md).

/** The section's HTML: a drop zone with a file picker, the target language, the job's status and the download. */
export function documentsSection(targets: string[]): string {
  const options = targets.map((t) => `<option value="${t}">${t}</option>`).join('');
  return `<section id="documents" aria-labelledby="documents-heading">
  <h2 id="documents-heading">Translate a file</h2>
  <p class="muted">.txt, .html, .docx, .srt, .vtt, .po, .xliff, .md, .json: the structure is kept, only the text is translated.</p>
  <div id="document-drop" class="drop"><label for="document-file">Drop a file here, or choose one</label> <input id="document-file" type="file" accept=".txt,.html,.htm,.docx,.srt,.vtt,.po,.pot,.xlf,.xliff,.md,.markdown,.json"></div>
  <div class="controls"><div><label for="document-target">Into</label><select id="document-target">${options}</select></div></div>
  <progress id="document-progress" max="1" value="0" hidden></progress>
  <p id="document-status" role="status" aria-live="polite"></p>
  <p><a id="document-download" hidden></a></p>
</section>
<script type="module" src="/assets/documents.js"></script>`;
}

/** DeepL's target codes of the served directions: "JA", "EN-US". */
export const documentTargets = (directions: string[]): string[] =>
  [...new Set(directions.map((d) => d.split('-')[1] ?? ''))]
    .filter(Boolean)
    .map((t) => (t === 'en' ? 'EN-US' : t.toUpperCase()));
