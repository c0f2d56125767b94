import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Client } from 'undici';

/** CPU time and memory of one process, read from /proc (Linux). */
export interface ProcessSample {
  /** User + system CPU time since the process started, in ms. */
  cpuMs: number;
  rssBytes: number;
  /** Peak resident set size since the process started (VmHWM). */
  peakRssBytes: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU time in ms from the text of /proc/<pid>/stat. */
function cpuMsOfStat(stat: string): number {
  // Fields after the command name (which may contain spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / TICKS_PER_SECOND;
}

export function sampleProcess(pid: number): ProcessSample {
  const cpuMs = cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { cpuMs, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/**
 * CPU time used so far by every process of one command name (`postgres`, `redis-server`), in ms: a
 * server that works in several processes, and processes that come and go (PostgreSQL's backends),
 * are summed, so two readings' difference is what the server used in between. On a shared machine it
 * includes other users' work on the same server.
 */
export function commandCpuMs(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command) total += cpuMsOfStat(stat);
    } catch {
      // gone between the listing and the read
    }
  }
  return total;
}

/** Samples the processes' RSS every `everyMs` while `work` runs; answers CPU used and peak RSS seen. */
export async function watchProcesses<T>(
  pids: Record<string, number>,
  work: () => Promise<T>,
  everyMs = 200,
): Promise<{
  result: T;
  cpuMs: Record<string, number>;
  peakRssBytes: Record<string, number>;
  rssSeries: Record<string, number[]>;
}> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, sampleProcess(pid)]));
  const peak: Record<string, number> = Object.fromEntries(
    Object.entries(before).map(([k, s]) => [k, s.rssBytes]),
  );
  const series: Record<string, number[]> = Object.fromEntries(Object.keys(pids).map((k) => [k, []]));
  const timer = setInterval(() => {
    for (const [k, pid] of Object.entries(pids)) {
      try {
        const rss = sampleProcess(pid).rssBytes;
        series[k]!.push(rss);
        peak[k] = Math.max(peak[k]!, rss);
      } catch {
        // the process is gone; its last sample stands
      }
    }
  }, everyMs);
  try {
    const result = await work();
    const cpuMs: Record<string, number> = {};
    for (const [k, pid] of Object.entries(pids)) cpuMs[k] = sampleProcess(pid).cpuMs - before[k]!.cpuMs;
    return { result, cpuMs, peakRssBytes: peak, rssSeries: series };
  } finally {
    clearInterval(timer);
  }
}

export interface LoadResult {
  /** Successful (2xx) responses per second over the run. */
  requestsPerSecond: number;
  completed: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Closed-loop load from autocannon on loopback: `connections` keep-alive connections, each sending the
 * next request when the previous answer arrived, for `seconds`. Bounded in time; stops by itself.
 */
export async function runLoad(options: {
  url: string;
  body: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/]/.test(options.url)) {
    throw new Error(`the bench only loads loopback addresses, not ${options.url}`);
  }
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 30,
  });
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / (result.duration || options.seconds),
    completed: ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

export interface LatencyResult {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * One connection, one request at a time, for `seconds`: the latency a single caller sees, timed per
 * request with a microsecond clock (autocannon's histogram counts whole milliseconds).
 */
export async function measureLatency(options: {
  url: string;
  body: string;
  seconds: number;
}): Promise<LatencyResult> {
  const url = new URL(options.url);
  const client = new Client(url.origin, { pipelining: 1, keepAliveTimeout: 30_000 });
  const times: number[] = [];
  const until = performance.now() + options.seconds * 1000;
  try {
    while (performance.now() < until) {
      const start = performance.now();
      const response = await client.request({
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.body,
      });
      await response.body.arrayBuffer();
      times.push(performance.now() - start);
      if (response.statusCode !== 200) throw new Error(`${options.url} answered ${response.statusCode}`);
    }
  } finally {
    await client.close();
  }
  times.sort((a, b) => a - b);
  return { count: times.length, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function median(values: number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}
