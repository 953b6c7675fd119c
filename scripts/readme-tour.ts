// Runs the README's API tour against a freshly started server, as a newcomer would, and checks every answer.
//
//   npm run tour                 (tsx scripts/readme-tour.ts [--verbose])
//
// 1. Starts `npm start` with no settings but a new temporary DATA_DIR (and its outbox) and a free PORT, so the
//    embedded database is new and the demo data is loaded; reads the admin key from what it prints and waits for
//    /health.
// 2. Reads the tour's ```sh blocks (test/readme/tour.ts says how commands and `# →` expectations are read).
//    The README's `export API=http://localhost:3000 KEY=rk_…` line is checked against what the server printed and
//    run with the real port and key.
// 3. Runs the commands in order in one bash session (`set -euo pipefail`), from a temporary folder whose `data` is
//    the server's DATA_DIR (so `ls data/outbox` means what it says). `curl` is a function there that runs the real
//    curl, passes its answer through unchanged and records its status and body; after each command the answers
//    are checked: every curl a 2xx, or the status the expectation gives, and the last answer against the
//    expectation's JSON.
// 4. Stops the server (also on failure or Ctrl-C) and prints which command failed, with its output and answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockCommands, checkAnswer, tourBlocks, type Command } from '../test/readme/tour.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
const VERBOSE = process.argv.includes('--verbose');
const START_TIMEOUT_MS = 180_000;
const COMMAND_TIMEOUT_MS = 60_000;
const DEFAULT_PORT = 3000; // PORT's default: the port the README's API URL names

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (s: string) => process.stdout.write(`${s}\n`);
const indent = (s: string, max = 4000) => (s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters)` : s).replace(/^/gm, '    ');

class TourFailure extends Error {}
/** A command that stopped the session (set -e) or ran out of time, with what it printed. */
class CommandFailure extends TourFailure {
  constructor(message: string, readonly output: string) {
    super(message);
  }
}

// ---- the server ----

function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const probe = createServer();
    probe.on('error', ko);
    probe.listen(0, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? ok(address.port) : ko(new Error('no port'))));
    });
  });
}

/** The environment of a newcomer's shell: none of the app's settings (src/config.ts), whatever this one has. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const settings = new Set(['HOST', 'PORT', 'DATA_DIR', 'OUTBOX_DIR', 'DATABASE_URL', 'PUBLIC_URL', 'ADMIN_API_KEY', 'DEMO_DATA']);
  for (const m of readFileSync(join(ROOT, 'src/config.ts'), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+): z\./gm)) settings.add(m[1]);
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (settings.has(name) || /^(BRAND|EMAIL|SMS|SES|TWILIO|CLOUDFLARE_HYPERDRIVE)_/.test(name)) delete env[name];
  }
  return env;
}

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: NodeJS.ProcessEnv): Server {
  // Its own process group, so that npm, sh, tsx and node all stop together.
  const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, output: () => output, exited };
}

async function stopServer(server: Server): Promise<void> {
  const group = server.child.pid;
  if (group === undefined || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-group, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timeout = new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 10_000).unref());
  if ((await Promise.race([server.exited, timeout])) === 'timeout') {
    signal('SIGKILL');
    await server.exited;
  }
}

async function waitUntilServing(server: Server, port: number): Promise<{ api: string; key: string }> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new TourFailure(`npm start exited before serving:\n${indent(server.output())}`);
    const key = server.output().match(/Admin key\s+(rk_\S+)/)?.[1];
    const api = server.output().match(/^\s*API\s+(http\S+)/m)?.[1];
    if (key && api) {
      try {
        const health = await fetch(`http://127.0.0.1:${port}/health`);
        const body = (await health.json()) as { status?: string };
        if (health.ok && body.status === 'ok') return { api, key };
      } catch {
        /* not yet */
      }
    }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new TourFailure(`npm start did not print its admin key and API URL and answer /health within ${START_TIMEOUT_MS / 1000} s:\n${indent(server.output())}`);
}

// ---- the README's API and KEY ----

const EXPORT = /^export API=(\S+) KEY=(\S+)/;

/** Replaces the README's `export API=… KEY=…` line with the real values, after checking it says what npm start printed. */
function mirrorExport(commands: Command[], printed: { api: string; key: string }, port: number): string {
  const command = commands.find((c) => EXPORT.test(c.text));
  if (!command) throw new TourFailure('the tour no longer has its `export API=… KEY=…` line');
  const [, api, key] = command.text.match(EXPORT)!;
  const where = `README line ${command.line}`;
  const readmeApi = api.replace(`:${DEFAULT_PORT}`, `:${port}`);
  if (`${readmeApi}/v1` !== printed.api) {
    throw new TourFailure(`${where}: API=${api}, but npm start (on PORT ${DEFAULT_PORT}) prints "API ${printed.api.replace(`:${port}`, `:${DEFAULT_PORT}`)}"`);
  }
  const [prefix] = key.split('…');
  if (!key.endsWith('…') || !printed.key.startsWith(prefix)) {
    throw new TourFailure(`${where}: KEY=${key} does not look like the key npm start prints (${printed.key.slice(0, 6)}…)`);
  }
  command.text = `export API=${readmeApi} KEY=${printed.key}`;
  return readmeApi;
}

// ---- the bash session ----

const PREAMBLE = `
exec 2>&1
set -euo pipefail
export API KEY
curl() {
  local body status
  body=$(mktemp "$TOUR_LOG/answer.XXXXXX")
  status=$(command curl -sS -o "$body" -w '%{http_code}' "$@") || { echo "curl failed: curl $*"; return 1; }
  printf '%s %s\\n' "$status" "$body" >> "$TOUR_LOG/answers"
  cat "$body"
}
`;

class Bash {
  private child: ChildProcess;
  private out = '';
  private exit: number | null | undefined;
  private waiting?: () => void;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('bash', ['--noprofile', '--norc'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const take = (d: string) => {
      this.out += d;
      this.waiting?.();
    };
    this.child.stdout!.setEncoding('utf8').on('data', take);
    this.child.stderr!.setEncoding('utf8').on('data', take);
    this.child.on('exit', (code) => {
      this.exit = code;
      this.waiting?.();
    });
    this.child.stdin!.write(PREAMBLE);
  }

  /** Runs a file of commands in the session; resolves with its output, or rejects when bash exits or time runs out. */
  async run(file: string, n: number): Promise<string> {
    const marker = `__readme_tour_done_${n}__`;
    const from = this.out.length;
    this.child.stdin!.write(`. '${file}' </dev/null; printf '\\n${marker}\\n'\n`);
    const deadline = Date.now() + COMMAND_TIMEOUT_MS;
    for (;;) {
      const at = this.out.indexOf(`\n${marker}\n`, from);
      if (at >= 0) return this.out.slice(from, at);
      if (this.exit !== undefined) throw new CommandFailure(`the command failed: bash (set -euo pipefail) exited with status ${this.exit}`, this.out.slice(from));
      if (Date.now() > deadline) throw new CommandFailure(`the command did not finish within ${COMMAND_TIMEOUT_MS / 1000} s`, this.out.slice(from));
      await new Promise<void>((ok) => {
        this.waiting = ok;
        setTimeout(ok, 500).unref();
      });
      this.waiting = undefined;
    }
  }

  close() {
    this.child.stdin!.end();
    if (this.exit === undefined) this.child.kill('SIGTERM');
  }
}

// ---- the tour ----

async function main(): Promise<number> {
  const blocks = tourBlocks(readFileSync(README, 'utf8'));
  const commands = blocks.flatMap((b) => blockCommands(b));
  if (!commands.length) throw new TourFailure('the README has no tour to run');

  const work = mkdtempSync(join(tmpdir(), 'readme-tour-'));
  const log = join(work, 'log');
  const dataDir = join(work, 'data');
  const port = await freePort();
  const env = newcomerEnv();
  const server = startServer({ ...env, PORT: String(port), DATA_DIR: dataDir, OUTBOX_DIR: join(dataDir, 'outbox') });
  let bash: Bash | undefined;
  let failed = true;
  const interrupted = () => {
    bash?.close();
    void stopServer(server).then(() => {
      rmSync(work, { recursive: true, force: true });
      say('\nREADME tour interrupted; the server is stopped');
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    say(`README tour: ${commands.length} commands in ${blocks.length} blocks; starting npm start on port ${port} (DATA_DIR ${dataDir})`);
    const printed = await waitUntilServing(server, port);
    const written = commands.map((c) => c.text); // as the README writes them, for messages (the key stays out of logs)
    const api = mirrorExport(commands, printed, port);
    say(`  server ready after ${seconds()}`);

    mkdirSync(log);
    writeFileSync(join(log, 'answers'), '');
    bash = new Bash(work, { ...env, API: api, KEY: printed.key, TOUR_LOG: log });
    let seen = 0;
    let checked = 0;
    for (const [n, command] of commands.entries()) {
      const file = join(log, `command-${n + 1}.sh`);
      writeFileSync(file, `${command.text}\n`);
      const title = `block ${command.block}, README line ${command.line}: ${written[n].split('\n')[0].slice(0, 100)}`;
      const fail = (why: string, output: string, answer?: { status: number; body: string }) => {
        say(`\n✗ ${title}\n  ${why}`);
        say(`  command:\n${indent(command.text)}`);
        if (command.expectation) say(`  expected (README line ${command.expectation.line}):\n${indent(`# → ${command.expectation.text}`)}`);
        if (answer) say(`  actual answer (status ${answer.status}):\n${indent(answer.body)}`);
        if (output.trim() && output !== answer?.body) say(`  output:\n${indent(output)}`);
        throw new TourFailure(`the tour failed at README line ${command.line}`);
      };
      const newAnswers = () => {
        const lines = readFileSync(join(log, 'answers'), 'utf8').split('\n').filter(Boolean);
        const answers = lines.slice(seen).map((l) => {
          const [status, path] = l.split(' ');
          return { status: Number(status), body: readFileSync(path, 'utf8') };
        });
        seen = lines.length;
        return answers;
      };
      let output: string;
      try {
        output = await bash.run(file, n + 1);
      } catch (err) {
        if (!(err instanceof CommandFailure)) throw err;
        return fail(err.message, err.output, newAnswers().at(-1));
      }
      const answers = newAnswers();
      if (command.expectation && !answers.length) fail('the README gives an answer for this command, but it ran no curl', output);
      for (const [i, answer] of answers.entries()) {
        const last = i === answers.length - 1;
        const why = checkAnswer(last ? command.expectation : undefined, answer.status, answer.body);
        if (why) fail(why, output, answer);
      }
      if (command.expectation) checked++;
      if (VERBOSE) say(`✓ ${title}${output.trim() ? `\n${indent(output.trim(), 600)}` : ''}`);
      else say(`  ✓ ${title}`);
    }
    failed = false;
    say(`README tour passed: ${commands.length} commands, ${checked} answers checked against the README, in ${seconds()}`);
    return 0;
  } finally {
    bash?.close();
    await stopServer(server);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    if (failed) {
      say(`\nServer output:\n${indent(server.output().slice(-6000), 6000)}`);
      say(`Files kept in ${work}`);
    } else rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(err instanceof TourFailure ? `\nREADME tour FAILED: ${err.message}` : `\nREADME tour crashed: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
