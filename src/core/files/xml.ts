// XML as the file formats read it (.docx parts, .xliff): this project's strict reader (../segment/markup/parse.ts),
// with a FileError naming the file when the XML is not well-formed, and the helpers both formats use.
import { MarkupError, parseMarkup, type ElementNode, type MarkupNode } from '../segment/markup.js';
import { FileError } from './format.js';

/** The tree of `xml`; `maxTags` bounds a file's size in tags (a .docx of 5 pages has a few thousand). */
export function parseXml(xml: string, what: string, maxTags: number): MarkupNode[] {
  try {
    return parseMarkup(xml, true, maxTags);
  } catch (err) {
    if (err instanceof MarkupError) throw new FileError(`${what} is not well-formed XML (${err.message})`);
    throw err;
  }
}

export const elements = (nodes: MarkupNode[]): ElementNode[] =>
  nodes.filter((n): n is ElementNode => n.kind === 'element');

/** The decoded text of the nodes, tags left out. */
export const textOf = (nodes: MarkupNode[]): string =>
  nodes.map((n) => (n.kind === 'text' ? n.value : n.kind === 'element' ? textOf(n.children) : '')).join('');

export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
