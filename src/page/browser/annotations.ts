// Marks, in the page's translation, what came through by rule rather than by the model: <mark class="KIND"> around
// each annotation's target (./annotation-marks.ts finds where), titled with what the source had ("entity: 3:30 pm →
// 午後3時30分"), one underline style a kind.
import type { DocumentTranslation } from '../../core/document/translate-documents.js';
import { marksOf } from './annotation-marks.js';

const STYLE = `#translation mark { background: none; color: inherit; text-decoration: underline 2px; text-underline-offset: .25em; cursor: help; }
#translation mark.verbatim { text-decoration-style: dotted; text-decoration-color: var(--muted); }
#translation mark.entity { text-decoration-color: #059669; }
#translation mark.glossary { text-decoration-style: double; text-decoration-color: var(--accent); }
#translation mark.dictionary { text-decoration-style: dashed; text-decoration-color: #d97706; }
#translation mark.transliteration { text-decoration-style: wavy; text-decoration-color: #db2777; }`;

/** Writes the translation into `node`, its marks as <mark> elements. */
export function showTranslation(node: HTMLElement, result: DocumentTranslation): void {
  if (!document.getElementById('annotation-style'))
    document.head.append(
      Object.assign(document.createElement('style'), { id: 'annotation-style', textContent: STYLE }),
    );
  const parts: (string | Node)[] = [];
  let at = 0;
  for (const mark of marksOf(result)) {
    parts.push(result.translation.slice(at, mark.start));
    parts.push(
      Object.assign(document.createElement('mark'), {
        className: mark.kind,
        title: mark.title,
        textContent: result.translation.slice(mark.start, mark.end),
      }),
    );
    at = mark.end;
  }
  parts.push(result.translation.slice(at));
  node.replaceChildren(...parts);
}
