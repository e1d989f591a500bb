// Runs the real `candour` binary for the browser tests: `serve` on a loopback port with a
// fresh data folder, and the offline subcommands (`import`, `count`) while it is stopped.
// Every wait has a time limit; a started server is always stopped (SIGTERM, then SIGKILL).
import { spawn, execFile } from 'node:child_process';

const LISTENING = /Candour is listening on (http:\/\/127\.0\.0\.1:\d+)/;

function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// One running `candour serve`. Use Server.start(); always call stop().
export class Server {
  constructor(child) {
    this.child = child;
    this.stdout = '';
    this.stderr = '';
    // A binary that cannot be started emits 'error' and never 'exit': that ends it too.
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    this.exitedNow = false;
    this.exited.then(() => { this.exitedNow = true; });
    child.stdout.setEncoding('utf8').on('data', (d) => { this.stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { this.stderr += d; });
  }

  static async start(binary, { dataDir, keyFile, extraArgs = [], timeoutMs = 20000 }) {
    const args = ['serve', '--data', dataDir, '--key-file', keyFile, '--listen', '127.0.0.1:0',
      '--demo-responses', '0', ...extraArgs];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new Server(child);
    const spawnError = new Promise((_, reject) => child.once('error', reject));
    const listening = new Promise((resolve, reject) => {
      const check = () => {
        const m = LISTENING.exec(server.stdout);
        if (m) resolve(m[1]);
      };
      child.stdout.on('data', check);
      server.exited.then(({ code, signal }) => reject(new Error(
        `candour serve exited (code ${code}, signal ${signal}) before listening:\n${server.stdout}${server.stderr}`)));
    });
    try {
      server.url = await withTimeout(Promise.race([listening, spawnError]), timeoutMs, 'candour serve start-up');
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  // SIGTERM (graceful), then SIGKILL if it has not stopped within the limit.
  async stop(timeoutMs = 10000) {
    if (this.exitedNow || this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    try {
      return await withTimeout(this.exited, timeoutMs, 'candour serve shutdown');
    } catch (e) {
      this.child.kill('SIGKILL');
      await withTimeout(this.exited, 5000, 'candour serve SIGKILL');
      throw e;
    }
  }

  // For process.on('exit'): synchronous last resort.
  killNow() {
    if (!this.exitedNow && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
  }
}

// Asks for `path` until it is no longer 503 "being prepared" (a survey's first release is built
// in the background; the first request only starts it), for up to `timeoutMs`. Resolves with
// the last status.
export async function waitForRelease(base, path, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (res.status !== 503 || Date.now() > deadline) return res.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Runs an offline subcommand; resolves with stdout, rejects with its output on failure.
// With `at` (a Date), it runs under libfaketime (`faketime`, Debian's package of that name)
// with its clock set to that moment, as if it had been run then.
export function runCandour(binary, args, timeoutMs = 60000, { at } = {}) {
  const [file, argv] = at
    ? ['faketime', [at.toISOString().slice(0, 19).replace('T', ' '), binary, ...args]]
    : [binary, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20,
      env: { ...process.env, TZ: 'UTC' } },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`candour ${args.join(' ')} failed (${error.code ?? error.signal}):\n${stdout}${stderr}`));
        } else {
          resolve(stdout);
        }
      });
  });
}

// `candour count`: Map survey id -> number of stored responses.
export async function countResponses(binary, { dataDir, keyFile }) {
  const out = await runCandour(binary, ['count', '--data', dataDir, '--key-file', keyFile]);
  const counts = new Map();
  for (const line of out.split('\n')) {
    const m = /^(\S+) (\d+)$/.exec(line.trim());
    if (m) counts.set(m[1], Number(m[2]));
  }
  return counts;
}
