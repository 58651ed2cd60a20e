// Where a tokenizer's tokens are in the text they came from: both tokenizers fold the text (NFKC, lower case) before
// cutting it, so each token is found, in order, in the text folded character by character, and mapped back to the
// characters it came from. Used for glossary terms the model knows (../translator.ts knownTokensAt) and for the words
// it cannot read (../dictionary/unknown-words.ts).

/**
 * Where each token is in `text` ([start, end) in UTF-16 units); undefined for a token not found as written (a
 * tokenizer that rewrites more, such as English quotes), after which the search goes on from the last one found.
 */
export function tokenSpans(text: string, tokens: string[]): ([number, number] | undefined)[] {
  let folded = '';
  const origin: number[] = []; // by folded character: its character's offset in `text`
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const fold = ch.normalize('NFKC').toLowerCase();
    folded += fold;
    for (let k = 0; k < fold.length; k++) origin.push(i);
    i += ch.length;
  }
  origin.push(text.length);
  let at = 0;
  return tokens.map((token) => {
    const found = folded.indexOf(token, at);
    if (found < 0) return undefined;
    at = found + token.length;
    return [origin[found]!, origin[at]!];
  });
}
