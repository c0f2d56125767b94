import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type BenchChild, startChild } from './kit/child-process.ts';
import { type ProfileSummary, summariseCpuProfile } from './kit/cpu-profile.ts';
import { runLoad } from './kit/load.ts';
import { requestBody, shapes } from './shapes.ts';

/** Subgraphs and our gateway alone, for the soak and the CPU profile. */
async function withOurGateway<T>(
  settings: { databaseUrl: string; redisUrl: string },
  options: { nodeArgs?: string[]; env?: Record<string, string>; onLine?: (line: string) => void },
  work: (url: string, gateway: BenchChild<{ url: string }>) => Promise<T>,
): Promise<T> {
  const subgraphs = await startChild<Record<string, string>>('subgraphs', 'subgraphs/serve-subgraphs.ts');
  let gateway: BenchChild<{ url: string }> | null = null;
  try {
    gateway = await startChild<{ url: string }>('our-gateway', 'targets/our-gateway.ts', {
      args: ['--subgraphs', JSON.stringify(subgraphs.info)],
      env: { BENCH_DATABASE_URL: settings.databaseUrl, BENCH_REDIS_URL: settings.redisUrl, ...options.env },
      ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
      ...(options.onLine ? { onLine: options.onLine } : {}),
    });
    return await work(gateway.info.url, gateway);
  } finally {
    await gateway?.stop();
    await subgraphs.stop();
  }
}

const headline = shapes.find((s) => s.id === 'list-20')!;

export interface SoakReport {
  minutes: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  samples: { atS: number; rssMb: number; heapUsedMb: number }[];
  /** Least-squares slopes after the first fifth (warm-up), in MB per minute. */
  rssSlopeMbPerMin: number;
  heapSlopeMbPerMin: number;
  peakRssMb: number;
  /** No growth trend: both slopes under 1 MB/min and the last quarter's RSS within 5 % of the second's. */
  noGrowthTrend: boolean;
}

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** Our gateway under the headline shape at 50 connections for `minutes`, its memory read every 5 s. */
export async function runSoak(
  settings: { databaseUrl: string; redisUrl: string; minutes: number },
  log: (line: string) => void,
): Promise<SoakReport> {
  const samples: SoakReport['samples'] = [];
  let t0 = 0;
  return withOurGateway(
    settings,
    {
      env: { BENCH_MEMORY_EVERY_MS: '5000' },
      nodeArgs: ['--expose-gc'],
      onLine: (line) => {
        if (!line.startsWith('BENCH_MEMORY ')) return;
        const m = JSON.parse(line.slice('BENCH_MEMORY '.length)) as {
          at: number;
          rss: number;
          heapUsed: number;
        };
        if (!t0) return;
        samples.push({ atS: (m.at - t0) / 1000, rssMb: m.rss / 2 ** 20, heapUsedMb: m.heapUsed / 2 ** 20 });
      },
    },
    async (url) => {
      t0 = Date.now();
      log(`soak: our gateway, ${headline.id}, ${headline.connections} connections, ${settings.minutes} min`);
      const load = await runLoad({
        url,
        body: requestBody(headline),
        connections: headline.connections,
        seconds: Math.round(settings.minutes * 60),
      });
      const after = samples.filter((s) => s.atS >= (settings.minutes * 60) / 5);
      const rssSlope = slope(after.map((s) => ({ x: s.atS / 60, y: s.rssMb })));
      const heapSlope = slope(after.map((s) => ({ x: s.atS / 60, y: s.heapUsedMb })));
      const quarter = (k: number) => {
        const part = after.slice(
          Math.floor((after.length * k) / 4),
          Math.floor((after.length * (k + 1)) / 4),
        );
        return part.reduce((a, s) => a + s.rssMb, 0) / Math.max(1, part.length);
      };
      const report: SoakReport = {
        minutes: settings.minutes,
        connections: headline.connections,
        requests: load.completed,
        requestsPerSecond: load.requestsPerSecond,
        non2xx: load.non2xx,
        errors: load.errors,
        samples,
        rssSlopeMbPerMin: rssSlope,
        heapSlopeMbPerMin: heapSlope,
        peakRssMb: Math.max(0, ...samples.map((s) => s.rssMb)),
        noGrowthTrend: Math.abs(rssSlope) < 1 && Math.abs(heapSlope) < 1 && quarter(3) <= quarter(1) * 1.05,
      };
      log(
        `soak: ${load.requestsPerSecond.toFixed(0)} req/s, RSS slope ${rssSlope.toFixed(2)} MB/min, heap slope ${heapSlope.toFixed(2)} MB/min, ` +
          `peak RSS ${report.peakRssMb.toFixed(0)} MB → ${report.noGrowthTrend ? 'no growth trend' : 'GROWTH'}`,
      );
      return report;
    },
  );
}

/**
 * Our gateway under the headline shape with `node --cpu-prof`: where its CPU goes. The profile is
 * written when the process exits; the summary names the top costs by package and by function.
 */
export async function runProfile(
  settings: { databaseUrl: string; redisUrl: string; seconds: number; resultsDir: string },
  log: (line: string) => void,
): Promise<ProfileSummary & { file: string; requestsPerSecond: number }> {
  const dir = path.join(settings.resultsDir, 'profiles', new Date().toISOString().replaceAll(':', '-'));
  mkdirSync(dir, { recursive: true });
  const spawnedAt = Date.now();
  let profiledFrom = 0;
  const load = await withOurGateway(
    settings,
    { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] },
    async (url) => {
      // Start-up and warm-up are in the profile too; the summary leaves them out.
      await runLoad({ url, body: requestBody(headline), connections: headline.connections, seconds: 3 });
      profiledFrom = Date.now() - spawnedAt;
      log(`profile: our gateway under ${headline.id} for ${settings.seconds} s`);
      return runLoad({
        url,
        body: requestBody(headline),
        connections: headline.connections,
        seconds: settings.seconds,
      });
    },
  );
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written to ${dir}`);
  // The process's clock starts a little after the spawn: leaving out a little less is the safe side.
  const summary = summariseCpuProfile(path.join(dir, file), Math.max(0, profiledFrom - 500));
  return { ...summary, file: path.join(dir, file), requestsPerSecond: load.requestsPerSecond };
}
