// A word's dictionary entries on the page: a click on a word of the translation, or a word selected in the text (a
// double-click selects one), shows its entries in a small panel beside it (GET /dictionary, or the dictionary in this
// browser when the page translates offline: ./offline.ts lookUpOffline), with the credit the dictionary's licence asks
// for on every screen that shows its words. Words are cut with Intl.Segmenter (the browser's own word boundaries:
// good enough to pick the word under a pointer). Escape, or a click elsewhere, closes the panel.

const STYLE = `#word-lookup { position: absolute; z-index: 10; max-width: 22rem; padding: .6rem .8rem; background: var(--card, #fff);
  color: inherit; border: 1px solid var(--border, #ccc); border-radius: .5rem; box-shadow: 0 4px 16px rgb(0 0 0 / .15); font-size: .9rem; }
#word-lookup h3 { margin: 0 0 .3rem; font-size: 1rem; } #word-lookup ol { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
#word-lookup .reading, #word-lookup .pos, #word-lookup small { color: var(--muted, #666); } #word-lookup small { display: block; font-size: .75rem; }`;

interface Entry {
  headword: string;
  reading?: string;
  common: boolean;
  senses: { pos: string[]; glosses: string[] }[];
  translation?: string;
}

interface Found {
  word: string;
  entries: Entry[];
  credit: string;
}

const MAX_ENTRIES = 5;

/**
 * Looks words up on a click in `translation` and on a selection in `source`; `offline()` says whether the page
 * translates in this browser (then the look-up does too).
 */
export function enableWordLookUp(source: HTMLTextAreaElement, translation: HTMLElement, offline: () => boolean): void {
  if (!document.getElementById('word-lookup-style'))
    document.head.append(
      Object.assign(document.createElement('style'), { id: 'word-lookup-style', textContent: STYLE }),
    );
  const panel = Object.assign(document.createElement('aside'), { id: 'word-lookup', hidden: true });
  panel.setAttribute('role', 'dialog');
  document.body.append(panel);
  const show = async (word: string | undefined, x: number, y: number) => {
    if (!word) return;
    Object.assign(panel.style, { left: `${x + window.scrollX}px`, top: `${y + window.scrollY + 8}px` });
    panel.replaceChildren(Object.assign(document.createElement('p'), { textContent: `Looking up ${word}…` }));
    panel.hidden = false;
    try {
      render(panel, await lookUp(word, offline()));
    } catch (err) {
      panel.replaceChildren(
        Object.assign(document.createElement('p'), {
          textContent: `No look-up: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
    }
  };
  translation.addEventListener('click', (event) => {
    const word = wordAt(event.clientX, event.clientY, translation.lang || 'en');
    void show(word, event.clientX, event.clientY);
  });
  source.addEventListener('mouseup', (event) => {
    const selected = source.value.slice(source.selectionStart, source.selectionEnd).trim();
    if (selected && selected.length <= 32 && !/\s/u.test(selected)) void show(selected, event.clientX, event.clientY);
  });
  document.addEventListener('keydown', (event) => event.key === 'Escape' && (panel.hidden = true));
  document.addEventListener('click', (event) => {
    if (!panel.contains(event.target as Node) && !translation.contains(event.target as Node)) panel.hidden = true;
  });
}

async function lookUp(word: string, offline: boolean): Promise<Found> {
  if (offline) {
    const local = await (await import('./offline.js')).lookUpOffline(word);
    if (local) return local;
  }
  const res = await fetch(`/dictionary?word=${encodeURIComponent(word)}`);
  const body = (await res.json()) as Found & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** The word of the text under the point (x, y) inside `within`, by the browser's word boundaries. */
function wordAt(x: number, y: number, lang: string): string | undefined {
  const caret = document.caretPositionFromPoint?.(x, y);
  const range = caret ? undefined : document.caretRangeFromPoint?.(x, y);
  const node = caret?.offsetNode ?? range?.startContainer;
  const offset = caret?.offset ?? range?.startOffset ?? 0;
  if (!node || node.nodeType !== Node.TEXT_NODE) return undefined;
  const text = node.textContent ?? '';
  for (const { segment, index, isWordLike } of new Intl.Segmenter(lang, { granularity: 'word' }).segment(text)) {
    if (isWordLike && index <= offset && offset <= index + segment.length) return segment;
  }
  return undefined;
}

function render(panel: HTMLElement, { word, entries, credit }: Found): void {
  const element = (tag: string, text: string, className = '') =>
    Object.assign(document.createElement(tag), { textContent: text, className });
  const parts: Node[] = [];
  if (entries.length === 0) parts.push(element('p', `No entry for ${word}.`));
  for (const entry of entries.slice(0, MAX_ENTRIES)) {
    const title = element('h3', entry.headword);
    if (entry.reading) title.append(' ', element('span', `【${entry.reading}】`, 'reading'));
    if (entry.common) title.append(' ', element('span', 'common', 'pos'));
    const senses = document.createElement('ol');
    for (const sense of entry.senses) {
      const item = element('li', sense.glosses.join('; '));
      if (sense.pos.length > 0) item.prepend(element('span', `(${sense.pos.join(', ')}) `, 'pos'));
      senses.append(item);
    }
    parts.push(title, senses);
  }
  parts.push(element('small', credit));
  panel.replaceChildren(...parts);
}
