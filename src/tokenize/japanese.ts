// Japanese is the target side for now: the corpus is already segmented (KyTea), so reading it is a split on
// whitespace and output text is the tokens joined without spaces. A segmenter for raw input comes later.

export function tokenizeJapaneseSpaced(text: string): string[] {
  return text.split(/\s+/).filter((token) => token !== '');
}

export function detokenizeJapanese(tokens: string[]): string {
  return tokens.join('');
}
