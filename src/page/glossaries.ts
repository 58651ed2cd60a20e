// The page's glossary section (GET /, ./html.ts): make a glossary, add and remove its terms for a direction, delete it;
// the translator's "Glossary" control (./html.ts controls()) picks the one its translations apply, and this section
// lists the terms the last translation applied. Its script is ./browser/glossaries.ts (part of ./browser/app.ts's
// bundle); it speaks DeepL's v3 glossary API of the Worker (/v3/glossaries), the one clients use (docs/glossaries.md).

/** The translator's control: which glossary its translations apply (filled with the key's glossaries by the script). */
export const glossaryControl =
  '<div><label for="glossary">Glossary</label><select id="glossary"><option value="">None</option></select></div>';

/** The section's HTML: the terms of the chosen glossary for one direction, the forms that change them, the applied terms. */
export function glossariesSection(directions: string[]): string {
  const options = directions.map((d) => `<option value="${d}">${d}</option>`).join('');
  return `<section id="glossaries" aria-labelledby="glossaries-heading">
  <h2 id="glossaries-heading">Glossary</h2>
  <p class="muted">Terms always translated your way: each source term found in the text (whole words; plurals too) comes back as its target term.</p>
  <form id="glossary-create" class="controls"><div><label for="glossary-name">New glossary</label><input id="glossary-name" required maxlength="200" placeholder="Product names"></div><button>Create</button></form>
  <div id="glossary-editor" hidden>
    <div class="controls"><div><label for="glossary-direction">Terms for</label><select id="glossary-direction">${options}</select></div><button id="glossary-delete" type="button">Delete this glossary</button></div>
    <table id="glossary-terms"><thead><tr><th scope="col">Source term</th><th scope="col">Target term</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead><tbody></tbody></table>
    <form id="glossary-add" class="controls"><div><label for="glossary-source">Source</label><input id="glossary-source" required></div><div><label for="glossary-target">Target</label><input id="glossary-target" required></div><button>Add term</button></form>
  </div>
  <p id="glossary-applied" aria-live="polite"></p>
  <p id="glossary-status" role="status"></p>
</section>`;
}
