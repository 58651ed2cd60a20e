// The translation page and the API reference in a real headless Chromium (Debian's `chromium`, driven by
// playwright-core) against `npm start`: type a sentence, see the Japanese translation, the n-best list and the
// attention heatmap, switch the beam, paste paragraphs and get paragraphs, translate inside the browser (tfjs-wasm,
// SIMD, threads), make a glossary and see its terms applied, read the API reference and send a request from it. No request leaves the Worker's origin, none
// fails. Screenshots at a phone's width (390 px) and a desktop's go to test-results/ (page-*.png, docs-*.png). Uses
// the shipped model-artifacts/en-ja, else a small random model. Without /usr/bin/chromium the file is skipped.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/http/examples.js';
import { words } from '../helpers/random-model.js';
import { artifactDir } from './artifact-dir.js';
import { startDevServer, type DevServer } from './dev-server.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM)
  console.warn(
    `test/e2e/page.test.ts skipped: no ${CHROMIUM} (apt-get install chromium fonts-ipafont-gothic; .ci/run does)`,
  );

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SHOTS = 'test-results';

describe.skipIf(!HAS_CHROMIUM)('the translation page in Chromium', () => {
  let scratch: string;
  let server: DevServer;
  let browser: Browser;
  let page: Page;
  let shipped: boolean;
  const foreign: string[] = []; // requests to any other origin than the Worker's
  const failed: string[] = []; // responses of 400 and above

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'e2e-page-'));
    const model = await artifactDir(scratch);
    shipped = model.shipped;
    server = await startDevServer({
      command: ['npm', 'start', '--', '--log-level', 'warn'],
      env: { MODEL_DIR: model.dir, PERSIST_TO: join(scratch, 'state') },
      timeoutMs: 240_000, // builds the page, uploads 8 MB and starts wrangler: slow on a busy 2-core machine
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }); // root in CI
    page = await browser.newPage({ viewport: PHONE });
    page.on('request', (request) => {
      if (
        !request.url().startsWith(server.url) &&
        !request.url().startsWith('blob:') &&
        !request.url().startsWith('data:')
      )
        foreign.push(request.url());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await mkdir(SHOTS, { recursive: true });
    await page.goto(server.url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const sentence = () => (shipped ? 'i like green tea .' : 'wa wb wc');
  const visibleSections = () =>
    page.locator('main > section:visible').evaluateAll((sections) => sections.map((s) => s.id));

  it('shows only the translator before anything is typed, with a favicon', async () => {
    expect(await visibleSections()).toEqual(['translator', 'glossaries', 'documents']);
    const icon = await page.request.get(`${server.url}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0])); // an ICO file
    expect(
      (await page.request.get(`${server.url}${await page.locator('link[rel=icon]').getAttribute('href')}`)).status(),
    ).toBe(200);
  });

  it('translates as you type, with alternatives and the attention heatmap', async () => {
    await page.getByLabel('Text to translate').fill(sentence());
    await expect.poll(() => page.locator('#status').getAttribute('data-path'), { timeout: 60_000 }).toBe('worker');
    const translation = await page.locator('#translation').textContent();
    if (shipped) expect(translation).toMatch(JAPANESE);
    expect(await page.locator('#status').textContent()).toMatch(/Answered by the Worker in [\d.]+ ms/);
    expect(await page.locator('#nbest li').count()).toBe(4); // the default beam, all shown
    expect(await page.locator('#heatmap tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#heatmap thead th[scope=col]').count()).toBe(sentence().split(' ').length);
    expect(await visibleSections()).toEqual(['translator', 'alternatives', 'attention', 'glossaries', 'documents']);
  });

  it('marks what came through by rule in the translation, titled with its source', async () => {
    await page.getByLabel('Text to translate').fill('The shop opens at 10 am.');
    const mark = page.locator('#translation mark.entity');
    await expect.poll(() => mark.textContent(), { timeout: 60_000 }).toBe('午前10時');
    expect(await mark.getAttribute('title')).toBe('entity: 10 am → 午前10時');
    await page.getByLabel('Text to translate').fill(sentence());
    await expect.poll(() => page.locator('#translation mark').count(), { timeout: 60_000 }).toBe(0);
  });

  it('is readable on a phone: nothing wider than the screen, heatmap labels horizontal and whole', async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const labels = await page.locator('#heatmap th').evaluateAll((cells) =>
      cells.map((cell) => ({
        text: cell.textContent,
        writing: getComputedStyle(cell).writingMode,
        transform: getComputedStyle(cell).transform,
        clipped: cell.scrollWidth > cell.clientWidth,
      })),
    );
    for (const label of labels)
      expect(label, String(label.text)).toMatchObject({ writing: 'horizontal-tb', transform: 'none', clipped: false });
    await page.screenshot({ path: `${SHOTS}/page-phone.png`, fullPage: true });
  });

  it('switches the beam width with the keyboard; one output is the translation alone', async () => {
    await page.getByLabel('Beam width').focus();
    await page.keyboard.press('Home'); // range input: to its minimum, 1
    await expect.poll(() => page.locator('#beam-value').textContent()).toBe('1');
    await expect.poll(() => page.locator('#alternatives').isHidden(), { timeout: 30_000 }).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('#nbest li').count(), { timeout: 30_000 }).toBe(10);
    for (const key of ['Home', 'ArrowRight', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(key); // back to 4
  });

  it('asks for a Japanese register, which a model without registers answers in its default', async () => {
    const sent = page.waitForRequest(
      (request) => request.url().endsWith('/translate') && request.postDataJSON()?.formality === 'prefer_more',
    );
    await page.getByLabel('Japanese register').selectOption('prefer_more');
    await sent;
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 30_000 })
      .toMatch(/^Answered by the Worker/);
    await page.getByLabel('Japanese register').selectOption('default');
  });

  it('keeps the lines of a pasted text, with a heatmap per sentence and no empty section', async () => {
    const w = words(6).map((word) => word.charAt(0).toUpperCase() + word.slice(1));
    const text = shipped
      ? 'I like green tea. Where is the station?\n\nIt is raining today.'
      : `${w[0]} ${w[1]}. ${w[2]} ${w[3]}.\n\n${w[4]} ${w[5]}.`;
    await page.getByLabel('Text to translate').fill(text);
    await expect
      .poll(async () => (await page.locator('#translation').textContent())?.split('\n'), { timeout: 60_000 })
      .toEqual([expect.any(String), '', expect.any(String)]);
    expect(await page.locator('#heatmap table').count()).toBe(3);
    expect(await page.locator('#heatmap caption').allTextContents()).toEqual([
      'Sentence 1',
      'Sentence 2',
      'Sentence 3',
    ]);
    expect(await visibleSections()).toEqual(['translator', 'attention', 'glossaries', 'documents']); // several sentences: no n-best list
    await page.setViewportSize(DESKTOP);
    const [source, output] = await Promise.all(['#source', '#translation'].map((id) => page.locator(id).boundingBox()));
    expect(output!.x).toBeGreaterThan(source!.x + source!.width); // side by side
    await page.screenshot({ path: `${SHOTS}/page-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.getByLabel('Text to translate').fill(sentence());
  });

  it('translates inside the browser on tfjs-wasm with SIMD and threads', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByLabel('Translate in this browser').check();
    await expect.poll(() => page.locator('#status').getAttribute('data-path'), { timeout: 120_000 }).toBe('browser');
    expect(await page.locator('#status').textContent()).toMatch(
      /this browser \(tfjs-wasm, SIMD, \d+ threads?, after loading the model in \d+ ms\) in [\d.]+ ms/,
    );
    if (shipped) expect(await page.locator('#translation').textContent()).toMatch(JAPANESE);
  });

  it('serves an API reference of /openapi.json with every face, and sends its example request to the Worker', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.url}/docs`);
    for (const tag of ['Edge translator API', 'DeepL API v2', 'DeepL glossaries', 'LibreTranslate']) {
      await expect
        .poll(() => page.locator('[data-sidebar-id]', { hasText: tag }).count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
    }
    await page.screenshot({ path: `${SHOTS}/docs-desktop.png` });
    await page.locator('[data-sidebar-id$="/POST/translate"]').first().click();
    await page.getByRole('button', { name: /Test Request\s*\(post \/translate\)/ }).click();
    const sent = page.waitForResponse(
      (response) => response.url() === `${server.url}/translate` && response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: /^Send/ }).first().click();
    const response = await sent;
    expect(response.status()).toBe(200);
    expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({ text: EXAMPLES.translateRequest.text }); // the documented example
    expect(Object.keys(await response.json())).toContain('translation');
    await page.screenshot({ path: `${SHOTS}/docs-request.png` });
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/docs`);
    await expect.poll(() => page.getByText('Edge translator').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/docs-phone.png` });
  });

  it('makes a glossary, adds a term, applies it and lists it as applied, removes it and deletes the glossary', async () => {
    page.once('dialog', (dialog) => void dialog.accept()); // "Delete the glossary ...?"
    await page.goto(server.url); // back from the API reference
    const [source, target] = shipped ? ['tea', 'ティー'] : ['wb', 'ZZZ'];
    await page.fill('#glossary-name', 'Drinks');
    await page.click('#glossary-create button');
    await page.locator('#glossary-editor').waitFor({ state: 'visible' });
    expect(await page.locator('#glossary option:checked').textContent()).toBe('Drinks');
    await page.fill('#glossary-source', source);
    await page.fill('#glossary-target', target);
    await page.click('#glossary-add button');
    await page.locator('#glossary-terms tbody tr').first().waitFor();
    expect(await page.locator('#glossary-terms tbody td').allTextContents()).toEqual([source, target, 'Remove']);
    await page.fill('#source', sentence());
    await page.waitForFunction((t) => document.querySelector('#translation')?.textContent?.includes(t), target, {
      timeout: 60_000,
    });
    await expect
      .poll(() => page.locator('#glossary-applied').textContent())
      .toBe(`Glossary terms applied: ${source} → ${target}`);
    await page.screenshot({ path: join(SHOTS, 'page-glossary-phone.png'), fullPage: true });
    await page.click(`#glossary-terms button[aria-label="Remove ${source}"]`);
    await expect.poll(() => page.locator('#glossary-terms tbody tr').count()).toBe(0);
    await page.click('#glossary-delete');
    await expect.poll(() => page.locator('#glossary option').allTextContents()).toEqual(['None']);
    expect(await page.locator('#glossary-editor').isHidden()).toBe(true);
  });

  it('loaded nothing from another origin, and nothing failed', () => {
    expect(foreign).toEqual([]);
    expect(failed).toEqual([]);
  });
});
