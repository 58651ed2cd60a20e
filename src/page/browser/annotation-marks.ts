// Where the page marks what came through by rule (./annotations.ts draws them): each sentence's `annotations`
// (src/core/annotation.ts) at their target text in that sentence's translation. A target the translation does not
// hold as written (a glossary term capitalised at a sentence start, an older Worker) is left unmarked; two annotations
// never mark the same characters (the first in source order takes them). No DOM here: the unit tests run it in Node.
import type { DocumentTranslation } from '../../core/document/translate-documents.js';

export interface Mark {
  start: number; // UTF-16 offsets in the document's translation
  end: number;
  kind: string;
  title: string;
}

/** The marks of a translation, in text order. */
export function marksOf(result: Pick<DocumentTranslation, 'translation' | 'sentences'>): Mark[] {
  const marks: Mark[] = [];
  for (const sentence of result.sentences) {
    const { start, end } = sentence.target;
    for (const { kind, source, target } of sentence.annotations ?? []) {
      if (target === '') continue;
      for (
        let at = result.translation.indexOf(target, start);
        at >= 0 && at + target.length <= end;
        at = result.translation.indexOf(target, at + 1)
      ) {
        if (marks.some((m) => m.start < at + target.length && at < m.end)) continue;
        marks.push({
          start: at,
          end: at + target.length,
          kind,
          title: source === target ? `${kind}: ${source}` : `${kind}: ${source} → ${target}`,
        });
        break;
      }
    }
  }
  return marks.sort((a, b) => a.start - b.start);
}
