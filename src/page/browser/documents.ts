// The page's file section (HTML in ../documents.ts): a dropped or chosen file is uploaded to POST /v2/document, its
// status polled until done (a progress bar from seconds_remaining), then its result downloaded once and offered as a
// link to save. Errors show the API's message.
import { element } from './element.js';

const POLL_MS = 500;

const ui = {
  drop: element('document-drop', HTMLDivElement),
  file: element('document-file', HTMLInputElement),
  target: element('document-target', HTMLSelectElement),
  progress: element('document-progress', HTMLProgressElement),
  status: element('document-status', HTMLParagraphElement),
  download: element('document-download', HTMLAnchorElement),
};

interface Status {
  status: 'queued' | 'translating' | 'done' | 'error';
  seconds_remaining?: number;
  billed_characters?: number;
  error_message?: string;
}

async function api(path: string, body: FormData | URLSearchParams): Promise<Response> {
  const res = await fetch(path, { method: 'POST', body });
  if (!res.ok) {
    const message = await res.json().then(
      (b: { message?: string }) => b.message,
      () => undefined,
    );
    throw new Error(message ?? `HTTP ${res.status}`);
  }
  return res;
}

async function translate(file: File): Promise<void> {
  ui.download.hidden = true;
  ui.progress.hidden = false;
  ui.progress.removeAttribute('value'); // indeterminate while uploading
  ui.status.textContent = `Uploading ${file.name}…`;
  const form = new FormData();
  form.append('target_lang', ui.target.value);
  form.append('file', file);
  const { document_id: id, document_key: key } = (await (await api('/v2/document', form)).json()) as {
    document_id: string;
    document_key: string;
  };
  const started = performance.now();
  let first: number | undefined;
  for (;;) {
    const status = (await (
      await api(`/v2/document/${id}`, new URLSearchParams({ document_key: key }))
    ).json()) as Status;
    if (status.status === 'error') throw new Error(status.error_message ?? 'the translation failed');
    if (status.status === 'done') {
      ui.progress.value = 1;
      ui.status.textContent = `Translated ${status.billed_characters ?? 0} characters in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
      break;
    }
    const left = status.seconds_remaining ?? 0;
    first ??= Math.max(left, 1);
    ui.progress.value = Math.min(0.99, 1 - left / first);
    ui.status.textContent = `${status.status === 'queued' ? 'Queued' : 'Translating'}… about ${left} s left.`;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const result = await api(`/v2/document/${id}/result`, new URLSearchParams({ document_key: key }));
  URL.revokeObjectURL(ui.download.href);
  ui.download.href = URL.createObjectURL(await result.blob());
  ui.download.download = file.name;
  ui.download.textContent = `Download ${file.name} (translated)`;
  ui.download.hidden = false;
}

function start(file: File | undefined): void {
  if (!file) return;
  translate(file).catch((err: unknown) => {
    ui.progress.hidden = true;
    ui.status.textContent = `Error: ${err instanceof Error ? err.message : String(err)}`;
  });
}

ui.file.addEventListener('change', () => start(ui.file.files?.[0]));
ui.drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  ui.drop.classList.add('over');
});
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.drop.classList.remove('over');
  start(event.dataTransfer?.files[0]);
});
