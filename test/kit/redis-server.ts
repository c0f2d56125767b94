import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface OwnRedisOptions {
  /** Listen on this port (e.g. one a hub was pointed at before Redis existed); default a free one. */
  port?: number;
}

export interface OwnRedis {
  url: string;
  port: number;
  /** The server's data directory (AOF, RDB); it outlives `shutdown` and `start`, `stop` removes it. */
  dir: string;
  /** Whether a redis-server is running now. */
  readonly running: boolean;
  /**
   * Shuts the server down and keeps its data directory: SIGTERM is Redis's own graceful shutdown,
   * SIGKILL a crash (only what is already in the AOF survives it).
   */
  shutdown(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port, data directory and arguments, and waits until it answers. */
  start(): Promise<void>;
  /** Shuts it down and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a loopback port, for tests that need a Redis configured
 * differently or one they may stop and start again; the machine's shared Redis is never touched.
 * Later arguments override the defaults (e.g. `['--appendonly', 'yes', '--appendfsync', 'always']`).
 */
export async function startOwnRedis(args: string[] = [], options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(path.join(tmpdir(), 'owh-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const argv = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  argv.push('--dir', dir, ...args);
  let child: ChildProcess | null = null;
  // Should the test process end without `stop` (a crash, a timeout), its server goes with it.
  const killOnExit = () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  async function start(): Promise<void> {
    if (child) throw new Error(`redis-server on port ${port} is already running`);
    let output = '';
    const started = spawn('redis-server', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Kept for the error message only; reading the pipes also keeps a chatty server from blocking.
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    started.once('error', (error) => keep(Buffer.from(error.message)));
    started.once('exit', () => {
      if (child === started) child = null;
    });
    child = started;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        // Answers LOADING until the AOF is read back.
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        if (Date.now() > deadline || started.exitCode !== null) {
          started.kill('SIGKILL');
          throw new Error(`redis-server on port ${port} did not start:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function shutdown(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) {
      child = null;
      return;
    }
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    await exited;
  }

  try {
    await start();
  } catch (error) {
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    dir,
    get running() {
      return child !== null;
    },
    shutdown,
    start,
    async stop() {
      await shutdown();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
