import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** A Node process of the hub's (or a test script) started by a test, with its output kept. */
export interface HubProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Waits until the output matches; fails when the process exits first or the time is up. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGKILL, at once: the process gets no chance to finish anything. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a graceful exit (SIGKILL after `timeoutMs`); answers the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/**
 * Starts `script` (a path from the repository root) with the Node running the tests and only the
 * given settings on top of a cleaned environment (no database, port or department URLs inherited).
 */
export function startHubProcess(script: string, env: Record<string, string>): HubProcess {
  const base = { ...process.env };
  for (const key of Object.keys(base)) {
    if (/^(DATABASE_URL|REDIS_URL|QUEUE_PREFIX|PORT|NODE_ENV|AUTH_JWKS)$|_BASE_URL$/.test(key))
      delete base[key];
  }
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: root,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid!,
    output: () => text,
    exited,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(text);
        if (match) return match;
        if (!running()) throw new Error(`${script} exited (${child.exitCode ?? child.signalCode}):\n${text}`);
        if (Date.now() > deadline) throw new Error(`${script}: timed out waiting for ${pattern}:\n${text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 15_000) {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
}

/** A worker process (`npm run start:worker`), started and ready: its relay and workers run. */
export async function startWorkerProcess(env: Record<string, string>): Promise<HubProcess> {
  const worker = startHubProcess('jobs/main.ts', { NODE_ENV: 'test', LOG_LEVEL: 'info', ...env });
  try {
    await worker.waitFor(/workers running/, 60_000);
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}
