// Which model translates a text. A request names a direction ("en-ja", "ja-en") or "auto", which picks the
// served direction whose source language matches the script most of the text is written in: Japanese when its
// kana and kanji, each weighted JAPANESE_WEIGHT, outnumber its other letters, else English. So "I ate 寿司 in
// Tokyo." reads as English and "私はiPhoneを買った" as Japanese. A text in the wrong script for an explicit direction
// is translated anyway (the caller asked for that model) with a warning that names the better direction.

export const AUTO = 'auto';

export const LANGUAGE_NAMES: Record<string, string> = { en: 'English', ja: 'Japanese' };
const JAPANESE_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/gu;
const LETTER = /\p{L}/gu;

/**
 * A Japanese character carries about as much as two English letters: the corpus's dev sentences say the same
 * things in 12,502 English letters and 6,791 kana and kanji (1.84 a character); 2 rounds that up.
 */
const JAPANESE_WEIGHT = 2;

/** The language a text is written in, as far as its script tells: "ja" or "en". */
export function detectLanguage(text: string): 'ja' | 'en' {
  const japanese = text.match(JAPANESE_SCRIPT)?.length ?? 0;
  const letters = text.match(LETTER)?.length ?? 0;
  return japanese > 0 && japanese * JAPANESE_WEIGHT >= letters - japanese ? 'ja' : 'en';
}

export const sourceLanguage = (direction: string): string => direction.split('-')[0] ?? '';
export const targetLanguage = (direction: string): string => direction.split('-')[1] ?? '';

/** A well-formed direction that this deployment does not serve (the HTTP faces answer 400). */
export class UnsupportedDirectionError extends Error {}

export interface DirectionChoice {
  direction: string;
  warning?: string; // set when the text's script does not match the direction's source language
}

/** The served direction for `text`; `requested` undefined means auto. UnsupportedDirectionError for one not served. */
export function chooseDirection(
  requested: string | undefined,
  text: string,
  served: readonly string[],
): DirectionChoice {
  const language = detectLanguage(text);
  const looksLike = `the text looks like ${LANGUAGE_NAMES[language]}`;
  if (requested === undefined || requested === AUTO) {
    const matching = served.find((d) => sourceLanguage(d) === language);
    if (matching) return { direction: matching };
    const fallback = served[0];
    if (fallback === undefined) throw new Error('no direction is served'); // readConfig guarantees one
    return {
      direction: fallback,
      warning: `${looksLike} but no ${language}-* model is served here; translated with ${fallback}`,
    };
  }
  if (!served.includes(requested)) {
    throw new UnsupportedDirectionError(
      `direction "${requested}" is not served here; use "auto" or one of: ${served.join(', ')}`,
    );
  }
  if (sourceLanguage(requested) === language) return { direction: requested };
  const better = served.find((d) => sourceLanguage(d) === language);
  const advice = better ? `set "direction" to "${better}" or "auto"` : 'no model for that language is served here';
  return {
    direction: requested,
    warning: `${looksLike} but ${requested} translates from ${LANGUAGE_NAMES[sourceLanguage(requested)] ?? sourceLanguage(requested)}; ${advice}`,
  };
}
