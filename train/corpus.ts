// Parallel corpus for training: `<split>.<lang>` files of space-separated tokens, one sentence a line
// (the corpus is pre-tokenized). Read from a local folder, or by default small_parallel_enja downloaded
// once from its public source into a cache folder.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const CORPUS_URL = 'https://raw.githubusercontent.com/odashi/small_parallel_enja/master';
export const DEFAULT_CACHE_DIR = path.join(os.homedir(), '.cache', 'edge-translator', 'small_parallel_enja');
const DOWNLOAD_TIMEOUT_MS = 120_000;

export interface CorpusOptions {
  data?: string; // local folder holding the files; when unset they are downloaded into cacheDir
  cacheDir?: string; // default ~/.cache/edge-translator/small_parallel_enja
  baseUrl?: string; // files are fetched from `${baseUrl}/${fileName}`; default CORPUS_URL
  src: string; // source language, e.g. "en"
  tgt: string; // target language, e.g. "ja"
  splits: string[]; // e.g. ['train', 'dev']
  fileName?: (split: string, lang: string) => string; // default `${split}.${lang}`
}

export interface CorpusSplit {
  source: string[][]; // [lines][tokens]
  target: string[][];
  lines: number;
}

/** What was read, for the manifest's record of the training data. */
export interface CorpusFile {
  path: string;
  sha256: string; // hex, of the file's bytes
  lines: number;
}

export interface ParallelCorpus {
  splits: Record<string, CorpusSplit>;
  files: Record<string, CorpusFile>; // by file name, e.g. "train.en"
}

export class CorpusError extends Error {}

export async function loadParallelCorpus(options: CorpusOptions): Promise<ParallelCorpus> {
  const { src, tgt, splits, fileName = (split: string, lang: string) => `${split}.${lang}` } = options;
  const dir = path.resolve(options.data ?? options.cacheDir ?? DEFAULT_CACHE_DIR);
  const corpus: ParallelCorpus = { splits: {}, files: {} };
  for (const split of splits) {
    const read = (lang: string) => readCorpusFile(dir, fileName(split, lang), options);
    const [source, target] = await Promise.all([read(src), read(tgt)]);
    if (source.sentences.length !== target.sentences.length) {
      throw new CorpusError(
        `split "${split}" is not parallel: ${source.file.path} has ${source.file.lines} lines but ${target.file.path} has ${target.file.lines}`,
      );
    }
    corpus.splits[split] = { source: source.sentences, target: target.sentences, lines: source.file.lines };
    corpus.files[source.name] = source.file;
    corpus.files[target.name] = target.file;
  }
  return corpus;
}

async function readCorpusFile(dir: string, name: string, options: CorpusOptions) {
  const file = path.join(dir, name);
  if (options.data === undefined && !existsSync(file)) await download(`${options.baseUrl ?? CORPUS_URL}/${name}`, file);
  if (!existsSync(file)) throw new CorpusError(`corpus file "${name}" is missing: looked for ${file}`);
  const bytes = await readFile(file);
  const sentences = parseLines(decodeUtf8(bytes, file), file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { name, sentences, file: { path: file, sha256, lines: sentences.length } satisfies CorpusFile };
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError(`${file} line ${firstBadUtf8Line(bytes)} is not valid UTF-8`);
  }
}

/** Byte 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one at a time. */
function firstBadUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      decoder.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    start = stop + 1;
  }
  return line;
}

/** One sentence a line (a final newline and CRLF endings allowed), tokens separated by single spaces. */
function parseLines(text: string, file: string): string[][] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new CorpusError(`${file} is empty`);
  return lines.map((line, i) => {
    if (line.trim() === '') throw new CorpusError(`${file} line ${i + 1} is empty`);
    const tokens = line.split(' ');
    if (tokens.includes('')) throw new CorpusError(`${file} line ${i + 1} has a leading, trailing or double space`);
    return tokens;
  });
}

/** Fetches into a temporary name first, so an interrupted download never leaves a partial corpus file. */
async function download(url: string, file: string): Promise<void> {
  let response: Response;
  let bytes: Uint8Array;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    throw new CorpusError(`could not download ${url}: ${describeError(err)}`);
  }
  if (!response.ok) throw new CorpusError(`could not download ${url}: HTTP ${response.status} ${response.statusText}`);
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, file);
}

/** fetch() reports "fetch failed" and keeps the reason (e.g. ECONNREFUSED) in `cause`. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message;
}
