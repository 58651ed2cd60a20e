// The translation page in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against
// `npm start`: type a sentence, see the Japanese translation, the n-best list and the attention heatmap, switch the
// beam, paste paragraphs and get paragraphs, translate inside the browser (tfjs-wasm, SIMD, threads), read the API docs. No request leaves the Worker's
// origin. Saves test-results/page.png. Uses the shipped model-artifacts/en-ja, else a small random model.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { words } from '../helpers/random-model.js';
import { artifactDir } from './artifact-dir.js';
import { startDevServer, type DevServer } from './dev-server.js';

const CHROMIUM = '/usr/bin/chromium'; // apt-get install chromium (.ci/run does)
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let scratch: string;
let server: DevServer;
let browser: Browser;
let page: Page;
let shipped: boolean;
const foreign: string[] = []; // requests to any other origin than the Worker's

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
  page = await browser.newPage({ viewport: { width: 412, height: 915 } }); // a phone
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('blob:') && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  await page.goto(server.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

const sentence = () => (shipped ? 'i like green tea .' : 'wa wb wc');

describe('the translation page in Chromium', () => {
  it('translates as you type, with alternatives and the attention heatmap', async () => {
    await page.getByLabel('Text to translate').fill(sentence());
    await expect.poll(() => page.locator('#status').getAttribute('data-path'), { timeout: 60_000 }).toBe('worker');
    const translation = await page.locator('#translation').textContent();
    if (shipped) expect(translation).toMatch(JAPANESE);
    expect(await page.locator('#status').textContent()).toMatch(/Answered by the Worker in [\d.]+ ms/);
    expect(await page.locator('#nbest li').count()).toBe(4); // the default beam, all shown
    const rows = await page.locator('#heatmap tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(await page.locator('#heatmap thead th[scope=col]').count()).toBe(sentence().split(' ').length);
  });

  it('switches the beam width with the keyboard', async () => {
    await page.getByLabel('Beam width').focus();
    await page.keyboard.press('Home'); // range input: to its minimum, 1
    await expect.poll(() => page.locator('#nbest li').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('#beam-value').textContent()).toBe('1');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/page.png', fullPage: true });
  });

  it('keeps the lines of a pasted text, with a heatmap per sentence', async () => {
    const w = words(6).map((word) => word.charAt(0).toUpperCase() + word.slice(1));
    const text = shipped ? 'I like green tea. Where is the station?\n\nIt is raining today.' : `${w[0]} ${w[1]}. ${w[2]} ${w[3]}.\n\n${w[4]} ${w[5]}.`;
    await page.getByLabel('Text to translate').fill(text);
    await expect.poll(async () => (await page.locator('#translation').textContent())?.split('\n'), { timeout: 60_000 }).toEqual([expect.any(String), '', expect.any(String)]);
    expect(await page.locator('#heatmap table').count()).toBe(3);
    expect(await page.locator('#heatmap caption').allTextContents()).toEqual(['Sentence 1', 'Sentence 2', 'Sentence 3']);
    await page.getByLabel('Text to translate').fill(sentence());
  });

  it('translates inside the browser on tfjs-wasm with SIMD and threads', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByLabel('Translate in this browser').check();
    await expect.poll(() => page.locator('#status').getAttribute('data-path'), { timeout: 120_000 }).toBe('browser');
    expect(await page.locator('#status').textContent()).toMatch(/this browser \(tfjs-wasm, SIMD, \d+ threads?, after loading the model in \d+ ms\) in [\d.]+ ms/);
    if (shipped) expect(await page.locator('#translation').textContent()).toMatch(JAPANESE);
    await page.screenshot({ path: 'test-results/page-offline.png', fullPage: true });
  });

  it('renders the API docs from /openapi.json', async () => {
    await page.goto(`${server.url}/docs`);
    await expect.poll(() => page.locator('h3', { hasText: 'POST /translate' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('#schema-TranslateRequest').textContent()).toContain('nbest');
    for (const tag of ['DeepL API v2', 'LibreTranslate']) expect(await page.locator('h2', { hasText: tag }).count()).toBe(1);
    expect(await page.locator('section', { has: page.locator('h2', { hasText: 'DeepL API v2' }) }).locator('h3').allTextContents()).toContain('POST /v2/translate');
  });

  it('loaded nothing from another origin', () => {
    expect(foreign).toEqual([]);
  });
});
