// The formats documents are translated in, by file extension (./format.ts says what a format does).
import { docx } from './docx.js';
import type { FileFormat } from './format.js';
import { html } from './html.js';
import { json } from './json.js';
import { markdown } from './markdown.js';
import { po } from './po.js';
import { srt, vtt } from './subtitles.js';
import { txt } from './txt.js';
import { xliff } from './xliff.js';

export const FORMATS: readonly FileFormat[] = [txt, html, docx, srt, vtt, po, xliff, markdown, json];

/** The extension of a file name, lower-cased with its dot (".docx"), or "" without one. */
export const extensionOf = (filename: string): string => filename.match(/\.[^./\\]+$/)?.[0]?.toLowerCase() ?? '';

/** The format of a file name, by its extension. */
export const formatOf = (filename: string): FileFormat | undefined =>
  FORMATS.find((f) => f.extensions.includes(extensionOf(filename)));

/** Every extension served, for messages and docs: ".txt, .html, ...". */
export const EXTENSIONS: readonly string[] = FORMATS.flatMap((f) => f.extensions);
