import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './kit/redis-server.ts';
import { TEST_REDIS_URL } from './kit/services.ts';

const root = path.resolve(import.meta.dirname, '..');

interface Run {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function run(script: string, env: Record<string, string>): Run {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'PORT', 'NODE_ENV', 'AUTH_JWKS']) delete base[k];
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: root,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(runOf: Run, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(runOf.output());
    if (match) return match;
    if (runOf.child.exitCode !== null)
      throw new Error(`process exited ${runOf.child.exitCode}:\n${runOf.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${runOf.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('entry points', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the all-in-one start runs on embedded PGlite, serves the catalogue, keeps its data and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'owh-pglite-'));
    dirs.push(dataDir);
    const env = {
      DATA_DIR: dataDir,
      PORT: '0',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `test-aio-${process.pid}`,
      LOG_LEVEL: 'warn',
    };
    for (const round of [1, 2]) {
      const hub = run('gateway/all-in-one.ts', env);
      const [, url] = await waitFor(hub, /GraphQL +(http:\/\/\S+)\/graphql/, 60_000);
      expect(hub.output()).toMatch(/embedded PGlite/);
      expect(hub.output()).toMatch(/simulated tax +http:\/\/127\.0\.0\.1:\d+/);
      expect(hub.output()).toMatch(/clerk +王敏\n +ey[\w-]+\.[\w-]+\.[\w-]+/);
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ zones { name } windowCoverage { overall { itemCount } } }' }),
      });
      const body = (await response.json()) as {
        data: { zones: { name: string }[]; windowCoverage: { overall: { itemCount: number } } };
      };
      expect(body.data.zones.map((z) => z.name)).toContain('不动产交易登记');
      expect(body.data.windowCoverage.overall.itemCount).toBeGreaterThanOrEqual(30);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
      if (round === 2) expect(hub.output()).not.toMatch(/"versionsCreated":[1-9]/);
    }
  }, 120_000);

  it('a bad setting stops the start with the variable named', async () => {
    const bad = run('gateway/main.ts', { PORT: 'eighty', REDIS_URL: 'localhost:6379' });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/PORT:/);
    expect(bad.output()).toMatch(/REDIS_URL: must be a redis:\/\//);
  });

  it('in production a department without its URL stops the start, naming the variable', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'owh-prod-'));
    dirs.push(dataDir);
    const jwks = JSON.stringify({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'k1' }],
    });
    const gateway = run('gateway/main.ts', {
      NODE_ENV: 'production',
      AUTH_JWKS: jwks,
      DATA_DIR: dataDir,
      PORT: '0',
      REDIS_URL: TEST_REDIS_URL,
    });
    expect(await gateway.exited).toBe(2);
    expect(gateway.output()).toMatch(/TAX_BASE_URL: the URL of the tax system is required/);
  }, 60_000);

  it('an unreachable Redis stops the start with how to start one', async () => {
    const port = await freePort();
    const worker = run('jobs/main.ts', { REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toMatch(/unreachable/);
    expect(worker.output()).toMatch(/redis-server/);
  });
});
