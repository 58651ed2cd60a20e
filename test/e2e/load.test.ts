// A short run of the load test (bench/load.ts) over HTTP: a few connections for 12 s against wrangler dev with a
// small random model. Same code and the same pass criteria as `npm run bench:load`, only smaller.
import { expect, it } from 'vitest';
import { loadTest, problems } from '../../bench/load.js';

it('serves mixed concurrent load with no error, no non-2xx and no growth of tensors or WASM heap', async () => {
  const report = await loadTest({ connections: 4, seconds: 12 });
  expect(problems(report)).toEqual([]);
  expect(report.requests).toBeGreaterThan(0);
});
