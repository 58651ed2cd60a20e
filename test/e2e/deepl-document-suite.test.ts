// The official DeepL Node client's own document tests (DeepL/deepl-node tests/translateDocument.test.ts), adapted to
// run against `npm start` with small random models: `ja` stands in for DeepL's `de`, the example document is words
// of the random English model, and where a case checks DeepL's German output the native POST /translate of the same
// text is the oracle instead. Left out: the cases that only run against DeepL's mock server's sessions (retries after
// no response, queue and translate times set by headers) and the nock-based request-parameter case. Then: a .docx
// round trip, and a job's status surviving a restart of `npm start`.
// Run: npx vitest run --project e2e test/e2e/deepl-document-suite.test.ts
import * as deepl from 'deepl-node';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAPANESE_SAMPLE, words } from '../helpers/random-model.js';
import { DIRECTIONS, writeRandomArtifact } from './artifact-dir.js';
import { startDevServer, type DevServer } from './dev-server.js';

const KEY = 'e2e-deepl-documents-key';
const INPUT = words(4).join(' '); // the suite's exampleDocumentInput ("proton beam"), in the random model's words

let scratch: string;
let server: DevServer;

/** `npm start` on the random models, its state (R2, Durable Objects) in scratch/state: a restart keeps it. */
const start = () =>
  startDevServer({
    command: ['npm', 'start', '--', '--log-level', 'warn', '--var', `API_KEY:${KEY}`],
    env: { MODEL_DIR: path.join(scratch, 'models'), PERSIST_TO: path.join(scratch, 'state') },
  });

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'e2e-deepl-documents-'));
  for (const direction of DIRECTIONS)
    await writeRandomArtifact(path.join(scratch, 'models', direction), 'documents-e2e', direction);
  server = await start();
});

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

const makeTranslator = () =>
  new deepl.Translator(KEY, { serverUrl: server.url, maxRetries: 0, minTimeout: 60_000, sendPlatformInfo: false });

/** The suite's tempFiles(): the example document, a large one, an output path, the folder. */
function tempFiles(): [string, string, string, string] {
  const dir = fs.mkdtempSync(path.join(scratch, 'deepl-node-test-'));
  fs.writeFileSync(`${dir}/example_document.txt`, INPUT);
  fs.writeFileSync(`${dir}/example_large_document.txt`, `${INPUT}\n`.repeat(1000));
  return [`${dir}/example_document.txt`, `${dir}/example_large_document.txt`, `${dir}/output_document.txt`, dir];
}

async function native(text: string, direction = 'en-ja'): Promise<string> {
  const res = await fetch(`${server.url}/translate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ text, direction, beam: 2 }),
  }); // documents decode at DOCUMENT_BEAM
  expect(res.status).toBe(200);
  return ((await res.json()) as { translation: string }).translation;
}

describe('translate document (deepl-node tests/translateDocument.test.ts)', () => {
  it('should translate using file paths', async () => {
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    await makeTranslator().translateDocument(exampleDocument, outputDocumentPath, null, 'ja');
    expect(fs.readFileSync(outputDocumentPath).toString()).toBe(await native(INPUT));
  });

  it('should not translate to existing output files', async () => {
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    fs.writeFileSync(outputDocumentPath, fs.readFileSync(exampleDocument).toString());
    await expect(makeTranslator().translateDocument(exampleDocument, outputDocumentPath, null, 'ja')).rejects.toThrow(
      'exists',
    );
  });

  it('should not translate non-existent files', async () => {
    const [, , outputDocumentPath] = tempFiles();
    await expect(
      makeTranslator().translateDocument('nonExistentFile.txt', outputDocumentPath, null, 'ja'),
    ).rejects.toThrow('no such file');
  });

  it('should translate using file streams', async () => {
    const translator = makeTranslator();
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    const inputFileStream = fs.createReadStream(exampleDocument, { flags: 'r' });
    await expect(translator.uploadDocument(inputFileStream, null, 'ja')).rejects.toThrow('options.filename');
    const handle = await translator.uploadDocument(inputFileStream, null, 'ja', { filename: 'test.txt' });
    const { status } = await translator.isDocumentTranslationComplete(handle);
    expect(status.ok() && status.done()).toBeTruthy();
    const outputFileStream = fs.createWriteStream(outputDocumentPath, { flags: 'wx' });
    await translator.downloadDocument(handle, outputFileStream);
    expect(fs.readFileSync(outputDocumentPath).toString()).toBe(await native(INPUT));
  });

  it('should translate using buffer input', async () => {
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    const inputBuffer = await fs.promises.readFile(exampleDocument);
    await makeTranslator().translateDocument(inputBuffer, outputDocumentPath, null, 'ja', {
      filename: exampleDocument,
    });
    expect(fs.readFileSync(outputDocumentPath).toString()).toBe(await native(INPUT));
  });

  it('should translate using file handles', async () => {
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    const inputHandle = await fs.promises.open(exampleDocument, 'r');
    const outputHandle = await fs.promises.open(outputDocumentPath, 'w');
    await makeTranslator().translateDocument(inputHandle, outputHandle, null, 'ja', { filename: exampleDocument });
    expect(fs.readFileSync(outputDocumentPath).toString()).toBe(await native(INPUT));
  });

  it('should translate using formality', async () => {
    // DeepL's German has formality; no target here does: default and prefer_* translate as without, more and less
    // are refused (DeepL's answer for a target without formality).
    const translator = makeTranslator();
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    for (const formality of ['default', 'prefer_more', 'prefer_less'] as deepl.Formality[]) {
      await translator.translateDocument(exampleDocument, outputDocumentPath, null, 'ja', { formality });
      expect(fs.readFileSync(outputDocumentPath).toString(), formality).toBe(await native(INPUT));
      fs.unlinkSync(outputDocumentPath);
    }
    await expect(
      translator.translateDocument(exampleDocument, outputDocumentPath, null, 'ja', { formality: 'more' }),
    ).rejects.toThrow('formality');
  });

  it('should reject invalid formality', async () => {
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    await expect(
      makeTranslator().translateDocument(exampleDocument, outputDocumentPath, null, 'ja', {
        formality: 'formality' as deepl.Formality,
      }),
    ).rejects.toThrow('formality');
  });

  it('should handle document failure', async () => {
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    fs.writeFileSync(exampleDocument, JAPANESE_SAMPLE); // DeepL's exampleText.de into de: here Japanese into ja
    await expect(makeTranslator().translateDocument(exampleDocument, outputDocumentPath, null, 'ja')).rejects.toThrow(
      /Source and target language/,
    );
  });

  it('should reject invalid document', async () => {
    const [, , outputDocumentPath, tempDir] = tempFiles();
    const invalidFile = path.join(tempDir, 'document.invalid');
    fs.writeFileSync(invalidFile, 'Test');
    await expect(makeTranslator().translateDocument(invalidFile, outputDocumentPath, null, 'ja')).rejects.toThrow(
      /(nvalid file)|(file extension)/,
    );
  });

  it('should support low level use', async () => {
    const translator = makeTranslator();
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    let handle = await translator.uploadDocument(exampleDocument, null, 'ja');
    let status = await translator.getDocumentStatus(handle);
    expect(status.ok()).toBe(true);
    handle = { documentId: handle.documentId, documentKey: handle.documentKey }; // recreating the handle as an object
    status = await translator.getDocumentStatus(handle);
    expect(status.ok()).toBe(true);
    while (status.ok() && !status.done()) {
      status = await translator.getDocumentStatus(handle);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status.ok()).toBe(true);
    expect(status.done()).toBe(true);
    await translator.downloadDocument(handle, outputDocumentPath);
    expect(fs.readFileSync(outputDocumentPath).toString()).toBe(await native(INPUT));
  });

  it('should provide billed characters in document status', async () => {
    const translator = makeTranslator();
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    const handle = await translator.uploadDocument(exampleDocument, null, 'ja');
    const { handle: handleResult, status } = await translator.isDocumentTranslationComplete(handle);
    expect(handleResult).toEqual(handle);
    expect(status.ok() && status.done()).toBe(true);
    expect(status.billedCharacters).toBe(INPUT.length);
    await translator.downloadDocument(handle, outputDocumentPath);
    expect(fs.readFileSync(outputDocumentPath).toString()).toBe(await native(INPUT));
  });

  it('should reject not found document handles', async () => {
    const handle = { documentId: '1234'.repeat(8), documentKey: '5678'.repeat(16) };
    await expect(makeTranslator().getDocumentStatus(handle)).rejects.toThrow('Not found');
  });
});

describe('beyond the suite', () => {
  it("translateDocument() round-trips a .docx: every part but the paragraphs' runs byte for byte", async () => {
    const [, , , dir] = tempFiles();
    const body = `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:i/></w:rPr><w:t>${INPUT}</w:t></w:r></w:p>`;
    const parts = {
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/styles.xml': strToU8('<w:styles/>'),
      'word/document.xml': strToU8(`<w:document xmlns:w="w"><w:body>${body}</w:body></w:document>`),
    };
    fs.writeFileSync(`${dir}/in.docx`, zipSync(parts));
    await makeTranslator().translateDocument(`${dir}/in.docx`, `${dir}/out.docx`, 'en', 'ja');
    const out = unzipSync(fs.readFileSync(`${dir}/out.docx`));
    expect(Object.keys(out)).toEqual(Object.keys(parts));
    expect(strFromU8(out['word/styles.xml']!)).toBe('<w:styles/>');
    expect(strFromU8(out['word/document.xml']!)).toBe(
      `<w:document xmlns:w="w"><w:body><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">${await native(INPUT)}</w:t></w:r></w:p></w:body></w:document>`,
    );
  });

  it("a document's status and result survive a restart of npm start", async () => {
    const translator = makeTranslator();
    const [exampleDocument, , outputDocumentPath] = tempFiles();
    const handle = await translator.uploadDocument(exampleDocument, null, 'ja');
    await translator.isDocumentTranslationComplete(handle);
    const expected = await native(INPUT);
    await server.stop();
    server = await start();
    const status = await makeTranslator().getDocumentStatus(handle);
    expect(status.done()).toBe(true);
    expect(status.billedCharacters).toBe(INPUT.length);
    await makeTranslator().downloadDocument(handle, outputDocumentPath);
    expect(fs.readFileSync(outputDocumentPath).toString()).toBe(expected);
    await expect(makeTranslator().getDocumentStatus(handle)).rejects.toThrow('Not found'); // downloaded: gone
  });
});
