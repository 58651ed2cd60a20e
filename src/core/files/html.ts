// .html, .htm: the whole page is one markup segment, translated as `tag_handling=html` translates a text
// (../segment/markup.ts): tags, attributes, comments, scripts and styles kept; HTML that is not well-formed read as a
// browser reads it (parse5). The page must be UTF-8 (a <meta charset> naming another encoding is not honoured).
import { decodeText, FileError, hasLetters, MB, type FileFormat } from './format.js';
import { readMarkup, type MarkupNode } from '../segment/markup.js';

export const html: FileFormat = {
  name: 'html',
  extensions: ['.html', '.htm'],
  mediaType: 'text/html; charset=utf-8',
  maxBytes: 10 * MB,
  read(bytes) {
    const { text, encode } = decodeText(bytes, 'page');
    if (!hasWords(readMarkup(text, 'html'))) throw new FileError('the page has no text to translate');
    return { segments: [{ text, markup: { mode: 'html' } }], write: ([translation]) => encode(translation ?? text) };
  },
};

const hasWords = (nodes: MarkupNode[]): boolean =>
  nodes.some((n) => (n.kind === 'text' ? hasLetters(n.value) : n.kind === 'element' && hasWords(n.children)));
