import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CorpusError, loadParallelCorpus } from '../../train/corpus.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SHARED_CORPUS = path.resolve(repoRoot, '../shared/data/small_parallel_enja');

const FILES: Record<string, string> = {
  'train.en': 'i like tea .\nshe runs .\n',
  'train.ja': '私 は お茶 が 好き で す 。\n彼女 は 走 る 。\n',
  'dev.en': 'he sleeps .\n',
  'dev.ja': '彼 は 寝 る 。\n',
};

const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folderWith(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'corpus-test-'));
  tempDirs.push(dir);
  await Promise.all(Object.entries(files).map(([name, content]) => writeFile(path.join(dir, name), content)));
  return dir;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('loadParallelCorpus from a local folder', () => {
  it('reads each split into token lists and records every file with its hash', async () => {
    const data = await folderWith(FILES);
    const corpus = await loadParallelCorpus({ data, src: 'en', tgt: 'ja', splits: ['train', 'dev'] });
    expect(corpus.splits.train).toEqual({
      source: [
        ['i', 'like', 'tea', '.'],
        ['she', 'runs', '.'],
      ],
      target: [
        ['私', 'は', 'お茶', 'が', '好き', 'で', 'す', '。'],
        ['彼女', 'は', '走', 'る', '。'],
      ],
      lines: 2,
    });
    expect(corpus.splits.dev!.lines).toBe(1);
    expect(Object.keys(corpus.files)).toEqual(['train.en', 'train.ja', 'dev.en', 'dev.ja']);
    expect(corpus.files['dev.ja']).toEqual({
      path: path.join(data, 'dev.ja'),
      sha256: sha256(FILES['dev.ja']!),
      lines: 1,
    });
  });

  it('reads the direction asked for, from custom file names', async () => {
    const data = await folderWith({ 'a-ja.txt': '猫 。\n', 'a-en.txt': 'cat .\n' });
    const corpus = await loadParallelCorpus({
      data,
      src: 'ja',
      tgt: 'en',
      splits: ['a'],
      fileName: (split, lang) => `${split}-${lang}.txt`,
    });
    expect(corpus.splits.a).toEqual({ source: [['猫', '。']], target: [['cat', '.']], lines: 1 });
  });

  it('accepts CRLF line endings and a missing final newline', async () => {
    const data = await folderWith({ 'x.en': 'a b\r\nc', 'x.ja': 'あ\nい' });
    const corpus = await loadParallelCorpus({ data, src: 'en', tgt: 'ja', splits: ['x'] });
    expect(corpus.splits.x!.source).toEqual([['a', 'b'], ['c']]);
  });

  it('reads the tiny fixture corpus used by the pipeline tests', async () => {
    const data = path.join(repoRoot, 'test/fixtures/tiny');
    const corpus = await loadParallelCorpus({ data, src: 'en', tgt: 'ja', splits: ['train', 'dev'] });
    expect([corpus.splits.train!.lines, corpus.splits.dev!.lines]).toEqual([300, 40]);
    expect(corpus.splits.train!.source.every((tokens) => tokens.length <= 8)).toBe(true);
  });

  it('reads the shared small_parallel_enja corpus', async ({ skip }) => {
    skip(!existsSync(SHARED_CORPUS), `shared corpus not found at ${SHARED_CORPUS}`);
    const corpus = await loadParallelCorpus({ data: SHARED_CORPUS, src: 'en', tgt: 'ja', splits: ['train', 'dev'] });
    expect(corpus.splits.train!.lines).toBe(50_000);
    expect(corpus.splits.dev!.lines).toBe(500);
    expect(corpus.splits.train!.source[0]).toEqual("i can 't tell who will arrive first .".split(' '));
  });
});

describe('loadParallelCorpus errors', () => {
  const load = (data: string, splits = ['train']) => loadParallelCorpus({ data, src: 'en', tgt: 'ja', splits });

  it('names a missing file and where it looked', async () => {
    const data = await folderWith({ 'train.en': 'a\n' });
    await expect(load(data)).rejects.toThrow(
      new CorpusError(`corpus file "train.ja" is missing: looked for ${path.join(data, 'train.ja')}`),
    );
  });

  it('rejects a split whose sides have different line counts', async () => {
    const data = await folderWith({ 'train.en': 'a\nb\n', 'train.ja': 'あ\n' });
    await expect(load(data)).rejects.toThrow(
      `split "train" is not parallel: ${path.join(data, 'train.en')} has 2 lines but ${path.join(data, 'train.ja')} has 1`,
    );
  });

  it('names the file and line of an empty line', async () => {
    const data = await folderWith({ 'train.en': 'a\n\nb\n', 'train.ja': 'あ\nい\nう\n' });
    await expect(load(data)).rejects.toThrow(`${path.join(data, 'train.en')} line 2 is empty`);
  });

  it('rejects an empty file and tokens separated by more than one space', async () => {
    await expect(load(await folderWith({ 'train.en': '', 'train.ja': 'あ\n' }))).rejects.toThrow('train.en is empty');
    const data = await folderWith({ 'train.en': 'a\nb  c\n', 'train.ja': 'あ\nい\n' });
    await expect(load(data)).rejects.toThrow(
      `${path.join(data, 'train.en')} line 2 has a leading, trailing or double space`,
    );
  });

  it('names the file and line of invalid UTF-8', async () => {
    const bad = new Uint8Array([...new TextEncoder().encode('ok\nfine\n'), 0x61, 0xff, 0x62, 0x0a]);
    const data = await folderWith({ 'train.en': 'a\nb\nc\n', 'train.ja': bad });
    await expect(load(data)).rejects.toThrow(
      new CorpusError(`${path.join(data, 'train.ja')} line 3 is not valid UTF-8`),
    );
  });
});

describe('loadParallelCorpus downloads', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((server) => server.close()));

  /** Serves FILES at http://127.0.0.1:<port>/corpus/<name> and logs every request path. */
  async function serve(): Promise<{ baseUrl: string; requests: string[] }> {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url!);
      const content = FILES[req.url!.replace('/corpus/', '')];
      res.writeHead(content === undefined ? 404 : 200).end(content);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/corpus`, requests };
  }

  it('downloads the files into the cache once and reads them from there afterwards', async () => {
    const { baseUrl, requests } = await serve();
    const cacheDir = path.join(await folderWith({}), 'cache', 'nested');
    const options = { cacheDir, baseUrl, src: 'en', tgt: 'ja', splits: ['train', 'dev'] };
    const first = await loadParallelCorpus(options);
    expect(requests.sort()).toEqual(['/corpus/dev.en', '/corpus/dev.ja', '/corpus/train.en', '/corpus/train.ja']);
    expect((await readdir(cacheDir)).sort()).toEqual(['dev.en', 'dev.ja', 'train.en', 'train.ja']);
    expect(first.files['train.en']).toEqual({
      path: path.join(cacheDir, 'train.en'),
      sha256: sha256(FILES['train.en']!),
      lines: 2,
    });

    const again = await loadParallelCorpus(options);
    expect(requests).toHaveLength(4);
    expect(again).toEqual(first);
  });

  it('reports the HTTP status and URL of a failed download and leaves no partial file', async () => {
    const { baseUrl } = await serve();
    const cacheDir = await folderWith({});
    const load = loadParallelCorpus({ cacheDir, baseUrl, src: 'en', tgt: 'ja', splits: ['test'] });
    await expect(load).rejects.toThrow(new CorpusError(`could not download ${baseUrl}/test.en: HTTP 404 Not Found`));
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('reports the URL when the server cannot be reached', async () => {
    const { baseUrl } = await serve();
    servers[0]!.close(); // nothing listens on the port any more
    const cacheDir = await folderWith({});
    const load = loadParallelCorpus({ cacheDir, baseUrl, src: 'en', tgt: 'ja', splits: ['dev'] });
    await expect(load).rejects.toThrow(`could not download ${baseUrl}/dev.`);
    await expect(load).rejects.toBeInstanceOf(CorpusError);
  });
});
