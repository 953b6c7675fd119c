// The real Node server as a child process (`node --import tsx src/entry/node.ts`), on a free port, with its data and
// outbox in `dir`: for tests of what only a whole process shows (memory, signals, shutdown).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** Everything it printed, for failure messages. */
  output: string[];
  /** SIGTERM, then SIGKILL after 10 s; nothing when it has already exited. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts it and waits for /health (60 s at most), or, for a `script` that serves no HTTP (`src/entry/sender.ts`), for
 * `ready` in what it prints. The test's DATABASE_URL is not passed on: give it in `env`.
 */
export async function startServer(options: { dir: string; env: Record<string, string>; nodeArgs?: string[]; script?: string; ready?: RegExp }): Promise<ServerProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', options.script ?? 'src/entry/node.ts'], {
    cwd: ROOT,
    env: {
      ...inherited, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: options.dir, OUTBOX_DIR: join(options.dir, 'outbox'),
      PUBLIC_URL: base, DEMO_DATA: 'false', ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const deadline = Date.now() + 60_000;
  const ready = options.ready;
  const isReady = () => (ready ? Promise.resolve(ready.test(output.join(''))) : fetch(`${base}/health`).then((r) => r.ok, () => false));
  while (!(await isReady())) {
    if (!running()) throw new Error(`the server exited at start:\n${output.join('')}`);
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base, child, output,
    async stop() {
      if (!running()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (running()) child.kill('SIGKILL');
    },
  };
}
