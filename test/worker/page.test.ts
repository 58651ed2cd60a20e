// The page's routes inside workerd: GET / and /docs (HTML, cross-origin isolated, nothing from other origins) and
// GET /models/<direction>/files/<path>, the live model's files for the in-browser translator.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/open-artifact.js';
import { seedVersion, url, type TestArtifact } from './seed.js';

let artifact: TestArtifact;

beforeAll(async () => {
  artifact = await seedVersion('page-v1');
});

describe('GET / and GET /docs', () => {
  it.each(['/', '/docs'])('%s is HTML, cross-origin isolated, with a same-origin-only policy', async (path) => {
    const res = await SELF.fetch(url(path));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(res.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html.match(/(?:src|href)="(?!\/|#)[^"]*"/g)).toBeNull(); // every URL is on this origin
  });

  it('labels every control of the page and offers the served directions', async () => {
    const html = await (await SELF.fetch(url('/'))).text();
    for (const id of ['source', 'direction', 'beam', 'offline']) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('<option value="auto">');
    expect(html).toContain('<option value="en-ja">');
    expect(html).toContain('name="viewport"');
  });
});

describe('GET /models/<direction>/files/<path>', () => {
  it('serves the live manifest and every file it lists, as stored', async () => {
    const res = await SELF.fetch(url('/models/en-ja/files/manifest.json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Model-Version')).toBe('page-v1');
    expect(await res.json()).toEqual(artifact.manifest);
    for (const [path, entry] of Object.entries(artifact.manifest.files)) {
      const file = await SELF.fetch(url(`/models/en-ja/files/${path}`));
      expect(file.status, path).toBe(200);
      expect(await sha256Hex(new Uint8Array(await file.arrayBuffer()))).toBe(entry.sha256);
    }
  });

  it('serves nothing else: other R2 keys, path tricks, directions not served', async () => {
    for (const path of [
      '/models/en-ja/files/other.bin',
      '/models/en-ja/files/..%2Fcurrent%2Fen-ja.json',
      '/models/fr-de/files/manifest.json',
    ]) {
      const res = await SELF.fetch(url(path));
      expect([400, 404], path).toContain(res.status);
      expect((await res.json<{ error: { code: string } }>()).error.code).toMatch(/^(not_found|invalid_request)$/);
    }
  });
});
