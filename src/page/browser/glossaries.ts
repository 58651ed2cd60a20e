// The page's glossaries (HTML in ../glossaries.ts), through DeepL's v3 glossary API of the Worker: the "Glossary"
// control lists the key's glossaries, and the section edits the chosen one's terms for a direction (adding a term
// merges it in with PATCH, removing one writes the dictionary again with PUT, or deletes it when it was the last).
// ./app.ts asks `glossaryField()` for its request and hands each answer to `showAppliedTerms()`. A change to the
// chosen glossary fires `change` on the control, so the translator translates again with it.
import { element } from './element.js';

interface Glossary {
  glossary_id: string;
  name: string;
  dictionaries: { source_lang: string; target_lang: string; entry_count: number }[];
}

const ui = {
  select: element('glossary', HTMLSelectElement),
  create: element('glossary-create', HTMLFormElement),
  name: element('glossary-name', HTMLInputElement),
  editor: element('glossary-editor', HTMLDivElement),
  direction: element('glossary-direction', HTMLSelectElement),
  remove: element('glossary-delete', HTMLButtonElement),
  terms: element('glossary-terms', HTMLTableElement),
  add: element('glossary-add', HTMLFormElement),
  source: element('glossary-source', HTMLInputElement),
  target: element('glossary-target', HTMLInputElement),
  applied: element('glossary-applied', HTMLParagraphElement),
  status: element('glossary-status', HTMLParagraphElement),
};

/** The request field of the chosen glossary (none when "None"). */
export const glossaryField = (): { glossary?: string } => (ui.select.value ? { glossary: ui.select.value } : {});

/** The terms a translation applied, or nothing. */
export function showAppliedTerms(terms: { source: string; target: string }[]): void {
  ui.applied.textContent =
    terms.length === 0 ? '' : `Glossary terms applied: ${terms.map((t) => `${t.source} → ${t.target}`).join(', ')}`;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    ...(body !== undefined && { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) {
    const message = await res.json().then(
      (b: { message?: string; detail?: string }) => [b.message, b.detail].filter(Boolean).join(': '),
      () => '',
    );
    throw new Error(message || `HTTP ${res.status}`);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const pair = () => {
  const [source_lang = '', target_lang = ''] = ui.direction.value.split('-');
  return { source_lang, target_lang };
};

let glossaries: Glossary[] = []; // the key's, as last listed

/** Fills the control with the key's glossaries, keeping (or making) `chosen` the selected one. */
async function loadGlossaries(chosen = ui.select.value): Promise<void> {
  ({ glossaries } = await api<{ glossaries: Glossary[] }>('GET', '/v3/glossaries'));
  const none = Object.assign(document.createElement('option'), { value: '', textContent: 'None' });
  ui.select.replaceChildren(
    none,
    ...glossaries.map((g) =>
      Object.assign(document.createElement('option'), { value: g.glossary_id, textContent: g.name }),
    ),
  );
  ui.select.value = glossaries.some((g) => g.glossary_id === chosen) ? chosen : '';
  await loadTerms();
}

/** The chosen glossary's terms for the chosen direction, each with a remove button. */
async function loadTerms(): Promise<void> {
  const id = ui.select.value;
  ui.editor.hidden = id === '';
  if (!id) return;
  const { source_lang, target_lang } = pair();
  const has = glossaries
    .find((g) => g.glossary_id === id)
    ?.dictionaries.some((d) => d.source_lang === source_lang && d.target_lang === target_lang);
  const entries = has
    ? ((
        await api<{ dictionaries: { entries: string }[] }>(
          'GET',
          `/v3/glossaries/${id}/entries?source_lang=${source_lang}&target_lang=${target_lang}`,
        )
      ).dictionaries[0]?.entries ?? '')
    : '';
  const rows = entries
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t') as [string, string]);
  ui.terms.tBodies[0]!.replaceChildren(...rows.map(([source, target]) => termRow(source, target, rows)));
}

function termRow(source: string, target: string, rows: [string, string][]): HTMLTableRowElement {
  const row = document.createElement('tr');
  const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
  button.setAttribute('aria-label', `Remove ${source}`);
  button.addEventListener('click', () => void change(() => removeTerm(source, rows), `Removed ${source}.`));
  row.append(
    ...[source, target].map((text) => Object.assign(document.createElement('td'), { textContent: text })),
    Object.assign(document.createElement('td'), {}),
  );
  row.lastElementChild!.append(button);
  return row;
}

async function removeTerm(source: string, rows: [string, string][]): Promise<void> {
  const id = ui.select.value;
  const { source_lang, target_lang } = pair();
  const rest = rows.filter(([s]) => s !== source);
  if (rest.length === 0)
    return api('DELETE', `/v3/glossaries/${id}/dictionaries?source_lang=${source_lang}&target_lang=${target_lang}`);
  await api('PUT', `/v3/glossaries/${id}/dictionaries`, {
    source_lang,
    target_lang,
    entries: rest.map((r) => r.join('\t')).join('\n'),
    entries_format: 'tsv',
  });
}

/** Runs a change, then shows the glossary as it is now and translates again with it. */
async function change(work: () => Promise<unknown>, done: string): Promise<void> {
  ui.status.textContent = '';
  try {
    await work();
    await loadGlossaries();
    ui.status.textContent = done;
    ui.select.dispatchEvent(new Event('change'));
  } catch (err) {
    ui.status.textContent = `Error: ${err instanceof Error ? err.message : String(err)}`;
  }
}

ui.create.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = ui.name.value.trim();
  void change(async () => {
    const created = await api<Glossary>('POST', '/v3/glossaries', { name, dictionaries: [] });
    ui.select.value = created.glossary_id;
    await loadGlossaries(created.glossary_id);
    ui.name.value = '';
  }, `Created "${name}": add its terms below.`);
});

ui.add.addEventListener('submit', (event) => {
  event.preventDefault();
  const [source, target] = [ui.source.value.trim(), ui.target.value.trim()];
  void change(async () => {
    await api('PATCH', `/v3/glossaries/${ui.select.value}`, {
      dictionaries: [{ ...pair(), entries: `${source}\t${target}`, entries_format: 'tsv' }],
    });
    ui.source.value = ui.target.value = '';
    ui.source.focus();
  }, `Added ${source} → ${target}.`);
});

ui.remove.addEventListener('click', () => {
  const name = ui.select.selectedOptions[0]?.textContent ?? '';
  if (!confirm(`Delete the glossary "${name}"?`)) return;
  void change(() => api('DELETE', `/v3/glossaries/${ui.select.value}`), `Deleted "${name}".`);
});

ui.select.addEventListener('change', () => void loadTerms().catch(() => {}));
ui.direction.addEventListener('change', () => void loadTerms().catch(() => {}));
void loadGlossaries().catch(
  (err: unknown) =>
    (ui.status.textContent = `Glossaries unavailable: ${err instanceof Error ? err.message : String(err)}`),
);
