// .md Markdown, parsed by mdast-util-from-markdown with GitHub's extensions (tables, strikethrough, autolinks,
// footnotes, task lists): the text of each paragraph, heading and table cell is translated; everything else is
// copied byte for byte: code blocks and inline code, HTML, link and image targets, reference definitions, list and
// quote markers, thematic breaks, blank lines. Inside a paragraph, emphasis, strong, strikethrough and links are kept
// around the words they wrapped (./inline.ts), with their markers as written (`**`, `_`, `[`...`](url "title")`);
// inline code, images, autolinks, inline HTML and footnote references are points. A paragraph's lines are one
// text for the model, so a translated paragraph is one line. Characters that Markdown would read as syntax
// (\ ` * _ [ ] < > |) are escaped in the translation.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Nodes, Parent } from 'mdast';
import { decodeText, FileError, MB, type FileFormat, type Segment } from './format.js';
import { inlineHasLetters, inlineSegment, readInline, type Inline } from './inline.js';

const TRANSLATED = new Set(['paragraph', 'heading', 'tableCell']);
const WRAPS = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference']);
const SPACES = new Set(['break']);

interface Range {
  start: number;
  end: number;
  items: Inline[];
  kept: string[]; // point k's source text
  wraps: { open: string; close: string }[]; // wrap k's markers
}

export const markdown: FileFormat = {
  name: 'md',
  extensions: ['.md', '.markdown'],
  mediaType: 'text/markdown; charset=utf-8',
  maxBytes: 10 * MB,
  read(bytes) {
    const { text, encode } = decodeText(bytes, 'file');
    const tree = fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    const ranges: Range[] = [];
    const visit = (node: Nodes) => {
      if (TRANSLATED.has(node.type) && 'children' in node && node.children.length > 0) {
        const range = rangeOf(node, text);
        if (range && inlineHasLetters(range.items)) ranges.push(range);
        return;
      }
      if ('children' in node) for (const child of node.children) visit(child);
    };
    visit(tree);
    if (ranges.length === 0) throw new FileError('the file has no text to translate');
    const segments: Segment[] = ranges.map((r) => inlineSegment(r.items));
    return {
      segments,
      write(translations) {
        let out = text;
        for (let i = ranges.length - 1; i >= 0; i--) {
          const r = ranges[i]!;
          out = out.slice(0, r.start) + render(readInline(segments[i]!, translations[i]!), r) + out.slice(r.end);
        }
        return encode(out);
      },
    };
  },
};

/** A container's inline content, over the source range from its first child's start to its last child's end. */
function rangeOf(node: Parent, text: string): Range | undefined {
  const first = node.children[0]?.position?.start.offset,
    last = node.children[node.children.length - 1]?.position?.end.offset;
  if (first === undefined || last === undefined) return undefined;
  const range: Range = { start: first, end: last, items: [], kept: [], wraps: [] };
  const inline = (nodes: Nodes[]): Inline[] =>
    nodes.map((child): Inline => {
      const start = child.position!.start.offset!,
        end = child.position!.end.offset!;
      if (child.type === 'text') return child.value.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' '); // a soft line break
      if (WRAPS.has(child.type) && 'children' in child && child.children.length > 0) {
        const inner = child.children as Nodes[];
        const open = text.slice(start, inner[0]!.position!.start.offset!),
          close = text.slice(inner[inner.length - 1]!.position!.end.offset!, end);
        return { wrap: range.wraps.push({ open, close }) - 1, children: inline(inner) };
      }
      return { point: range.kept.push(text.slice(start, end)) - 1, ...(SPACES.has(child.type) && { space: true }) };
    });
  range.items = inline(node.children as Nodes[]);
  return range;
}

const escape = (text: string) => text.replace(/[\\`*_[\]<>|]/g, '\\$&');

function render(items: Inline[], range: Range): string {
  return items
    .map((item) => {
      if (typeof item === 'string') return escape(item);
      if ('wrap' in item)
        return range.wraps[item.wrap]!.open + render(item.children, range) + range.wraps[item.wrap]!.close;
      return range.kept[item.point]!;
    })
    .join('');
}
