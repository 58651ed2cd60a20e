// A look-up as GET /dictionary and the page's word pop-up do it: the word in the language its script says (or the one
// asked for), as written, else (English) in lower case, without hyphens, or as a singular ("Smartphones" finds
// smartphone); nothing for a word no look-up is made for (./unknown-words.ts lookable: 2,000 characters, control
// characters, emoji), and a word of Japanese script written in an English look-up or the reverse finds nothing either.
import { detectLanguage } from '../language.js';
import type { Dictionary, DictionaryEntry, Language } from './dictionary.js';
import { lookable, singulars } from './unknown-words.js';

export interface LookUp {
  word: string;
  from: Language;
  to: Language;
  entries: DictionaryEntry[];
}

export function lookUp(dictionary: Dictionary, word: string, from: Language = detectLanguage(word)): LookUp {
  const to: Language = from === 'en' ? 'ja' : 'en';
  const text = word.trim().normalize('NFKC');
  if (!lookable(text)) return { word, from, to, entries: [] };
  const lower = text.toLowerCase();
  const forms = from === 'ja' ? [text] : [...new Set([lower, lower.replace(/-/gu, ''), ...singulars(lower)])];
  for (const form of forms) {
    const entries = dictionary.entries(form, from);
    if (entries.length > 0) return { word, from, to, entries };
  }
  return { word, from, to, entries: [] };
}
