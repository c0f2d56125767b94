import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const READY = 'BENCH_READY ';
const benchDir = path.resolve(import.meta.dirname, '..');
export const repoDir = path.resolve(benchDir, '..');

/**
 * Child side. Announces what the process serves, and ties its life to the harness: when the
 * harness's end of stdin closes (it stopped, or died), the child cleans up and exits, so no
 * server outlives a bench run.
 */
export function serveUntilParentGoes(info: Record<string, unknown>, cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    try {
      await cleanup();
    } finally {
      process.exit(0);
    }
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${READY}${JSON.stringify(info)}\n`);
}

export interface BenchChild<Info> {
  name: string;
  pid: number;
  info: Info;
  child: ChildProcess;
  /** Ends the process (closing its stdin, then SIGTERM, then SIGKILL) and waits for its exit. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
/** Last resort when the harness itself is interrupted: no child is left behind. */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Harness side. Starts `node <script> [args]` from bench/ with the repository's Node and
 * NODE_ENV=production, waits for the ready line and answers what the child announced.
 */
export async function startChild<Info>(
  name: string,
  script: string,
  options: {
    args?: string[];
    env?: Record<string, string>;
    nodeArgs?: string[];
    timeoutMs?: number;
    /** Every later line the child prints. */
    onLine?: (line: string) => void;
  } = {},
): Promise<BenchChild<Info>> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(benchDir, script), ...(options.args ?? [])],
    {
      cwd: repoDir,
      // As production runs: graphql-js, Express and others take faster paths under NODE_ENV=production.
      env: { ...process.env, NODE_ENV: 'production', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));
  const stderr: string[] = [];
  child.stderr!.on('data', (c: Buffer) => {
    stderr.push(c.toString());
    if (stderr.length > 50) stderr.shift();
  });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${stderr.join('')}`),
        ),
      options.timeoutMs ?? 60_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr.join('')}`));
    });
    lines.on('line', (line) => {
      if (line.startsWith(READY)) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY.length)) as Info);
      }
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  // Keep reading its output so that a chatty child never blocks on a full pipe.
  if (options.onLine) lines.on('line', options.onLine);
  child.stdout!.resume();
  return {
    name,
    pid: child.pid!,
    info,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const term = setTimeout(() => child.kill('SIGTERM'), 8000);
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    },
  };
}
