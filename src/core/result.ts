// A translation as the API returns it, and the text normalisation applied before translating: shared by the
// Worker's translation service (./translation.ts) and the page's in-browser translator (./page/browser/offline.ts).
import type { Translation } from './translator.js';

/** One translation as the API returns it. */
export type TranslationResult = Translation & {
  model: string; // direction@version that produced it
  warnings?: string[];
};

/** Collapses runs of whitespace and applies NFC, so equivalent inputs translate (and cache) identically. */
export const normalizeText = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();

export const result = (translation: Translation, model: string, warning?: string): TranslationResult => ({
  ...translation,
  model,
  ...(warning && { warnings: [warning] }),
});
