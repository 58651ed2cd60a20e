// Placeholder tokens: what a span the model must not translate (a URL, a number, a name, a glossary term) becomes
// before translation, and what carries it through the model to its place in the output. Placeholder i is the
// character U+E000 + i of Unicode's private use area (no text has it: the masks drop the text's own), a token of its
// own for every tokenizer. A model trained with placeholders (train/augment.ts: aligned spans replaced in a share of
// training pairs) has the first PLACEHOLDER_TOKENS of them in both vocabularies and copies each to where its span
// goes; a model without reads <unk> there and the unknown-word replacement places it.

export const PLACEHOLDER_TOKENS = 8;
export const FIRST_PLACEHOLDER = 0xe000;
export const LAST_PLACEHOLDER = 0xf8ff; // the private use area's end: 6,400 placeholders a sentence at most
export const PLACEHOLDER = /[\uE000-\uF8FF]/u;

export const placeholder = (i: number): string => String.fromCharCode(FIRST_PLACEHOLDER + i);

/** The index of placeholder `token`, or -1 for any other token. */
export const placeholderIndex = (token: string): number =>
  token.length === 1 && PLACEHOLDER.test(token) ? token.charCodeAt(0) - FIRST_PLACEHOLDER : -1;

export const isPlaceholder = (token: string): boolean => placeholderIndex(token) >= 0;

/** The reserved tokens a model's vocabulary gets for placeholders. */
export const placeholderTokens = (): string[] => Array.from({ length: PLACEHOLDER_TOKENS }, (_, i) => placeholder(i));
