// The page's file section (src/page/documents.ts) in Chromium against `npm start` on the shipped models (or a random
// one): a chosen file is uploaded, its progress shown, and its translation offered for download; a file that cannot
// be translated shows the API's reason. Run: npx vitest run --project e2e test/e2e/documents-page.test.ts
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactRoot } from './artifact-dir.js';
import { startDevServer, type DevServer } from './dev-server.js';

const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('the page translates a file', () => {
  let scratch: string;
  let server: DevServer;
  let browser: Browser;
  let page: Page;
  let sample: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'e2e-documents-page-'));
    const { root, models } = await artifactRoot(scratch);
    sample = models['en-ja'].sample;
    server = await startDevServer({
      command: ['npm', 'start', '--', '--log-level', 'warn'],
      env: { MODEL_DIR: root, PERSIST_TO: join(scratch, 'state') },
      timeoutMs: 240_000,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ acceptDownloads: true });
    await page.goto(server.url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('uploads a chosen file, shows its progress and offers the translation for download', async () => {
    const file = join(scratch, 'notes.txt');
    await writeFile(file, `${sample}\n\n${sample}\n`);
    await page.selectOption('#document-target', 'JA');
    await page.setInputFiles('#document-file', file);
    const link = page.locator('#document-download');
    await link.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.textContent('#document-status')).toMatch(/^Translated \d+ characters in [\d.]+ s\.$/);
    expect(await page.getAttribute('#document-progress', 'value')).toBe('1');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('notes.txt');
    const translated = await readFile((await download.path())!, 'utf8');
    // Documents decode at DOCUMENT_BEAM with the whole ensemble; a request that waits for its members to load is
    // answered by the first model alone (X-Model-Partial, docs/serving.md), so ask until the answer is whole.
    const ask = () =>
      fetch(`${server.url}/translate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: sample, direction: 'en-ja', beam: 2 }),
      });
    let res = await ask();
    for (let tries = 0; res.headers.has('X-Model-Partial') && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      res = await ask();
    }
    const { translation } = (await res.json()) as { translation: string };
    expect(translated).toBe(`${translation}\n\n${translation}\n`);
  });

  it("shows the API's reason for a file it cannot translate", async () => {
    const file = join(scratch, 'tool.exe');
    await writeFile(file, 'MZ');
    await page.setInputFiles('#document-file', file);
    await page.waitForFunction(
      () => document.getElementById('document-status')?.textContent?.startsWith('Error:'),
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.textContent('#document-status')).toMatch(
      /^Error: Invalid file data\. "tool\.exe" has a file extension that cannot be translated/,
    );
  });
});
