// Starts the Worker under `wrangler dev` (through `npm start`, or a given wrangler config) on a free port of
// 127.0.0.1, waits until it answers, and stops the whole process group it started. Used by the e2e test and bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface DevServer {
  url: string;
  pid: number; // the process group leader: npm or wrangler
  output: () => string; // everything it printed so far (for failure messages)
  stop(): Promise<void>;
}

export interface DevServerOptions {
  command: string[]; // e.g. ['npm', 'start'] or ['npx', 'wrangler', 'dev', '-c', ...]
  env?: Record<string, string>; // PORT is added
  readyPath?: string; // polled until it answers (any status); default /health
  timeoutMs?: number;
}

/** No network in tests: no Request.cf download, no telemetry. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = await freePort();
  const [command = 'npm', ...args] = options.command;
  const child = spawn(command, [...args.map((a) => a.replace('{port}', String(port)))], {
    env: { ...process.env, ...OFFLINE_ENV, ...options.env, PORT: String(port) },
    detached: true, // its own process group, so stop() reaches wrangler and workerd too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const server: DevServer = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    output: () => log,
    stop: () => stop(child),
  };
  try {
    await waitUntilAnswering(server, child, options.readyPath ?? '/health', options.timeoutMs ?? 120_000);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

async function waitUntilAnswering(
  server: DevServer,
  child: ChildProcess,
  path: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dev server exited with ${child.exitCode}:\n${server.output()}`);
    try {
      await (await fetch(server.url + path)).arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`dev server did not answer on ${server.url}${path} within ${timeoutMs} ms:\n${server.output()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((done) => child.once('exit', done));
  try {
    process.kill(-child.pid, 'SIGTERM'); // the group this helper started, by its id
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
