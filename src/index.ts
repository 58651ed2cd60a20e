// Worker entry point. Local: `npm start` (wrangler dev, R2 seeded from model-artifacts/); deploy: `npx wrangler deploy`.
import { createApp } from './app.js';

export default createApp();
export { DocumentJobs } from './store/document-jobs.js'; // the Durable Object of document jobs (wrangler.toml)
