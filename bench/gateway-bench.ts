import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execute, parse } from 'graphql';
import { type BenchChild, startChild } from './kit/child-process.ts';
import {
  type LatencyResult,
  type LoadResult,
  measureLatency,
  median,
  runLoad,
  sampleProcess,
  watchProcesses,
} from './kit/load.ts';
import { DIRECT_SUBGRAPH_QUERY, directMergeBody, type QueryShape, requestBody, shapes } from './shapes.ts';
import type { SubgraphCounts, SubgraphFaults } from './subgraphs/subgraph-server.ts';
import { composeBenchSupergraph } from './subgraphs/supergraph.ts';
import { buildOneProcessSchema } from './targets/one-process-schema.ts';

export interface GatewayTarget {
  id: 'bare-http' | 'one-process' | 'hive-gateway' | 'hive-gateway-router' | 'our-gateway';
  title: string;
  /** Calls the subgraphs (and so can play every shape). */
  gateway: boolean;
}

export const targets: GatewayTarget[] = [
  { id: 'bare-http', title: 'bare node:http returning the precomputed bytes', gateway: false },
  { id: 'one-process', title: 'one process, merged schema, no gateway (graphql-js)', gateway: false },
  { id: 'hive-gateway', title: 'Hive Gateway (stitching runtime)', gateway: true },
  {
    id: 'hive-gateway-router',
    title: 'Hive Gateway with the Hive Router runtime (Rust query planner)',
    gateway: true,
  },
  {
    id: 'our-gateway',
    title: 'our gateway: Express 5 + Apollo Server 5 + @graphql-tools/stitch',
    gateway: true,
  },
];

type Hop = QueryShape['hops'][number];
const SUBGRAPHS: Hop[] = ['cases', 'real_estate', 'certificates'];

export interface BenchSettings {
  rounds: number;
  /** Seconds of load per target per shape per round (the headline shape gets `headlineSeconds`). */
  seconds: number;
  headlineSeconds: number;
  latencySeconds: number;
  warmupSeconds: number;
  databaseUrl: string;
  redisUrl: string;
  resultsDir: string;
  /** Shapes to run (ids); all when empty. */
  only: string[];
  /** Node flags for our gateway's process (e.g. --cpu-prof). */
  ourGatewayNodeArgs: string[];
}

export interface ShapeCheck {
  status: number;
  bytes: number;
  /** The response bytes equal the one-process reference's exactly. */
  identicalBytes: boolean;
  /** Parsed, the responses are equal (differences are only in formatting). */
  identicalJson: boolean;
  /** What differs when the bytes do not, in a few words. */
  difference: string | null;
  /** Upstream requests per gateway request at each hop's subgraph (sequential requests, exact). */
  upstreamPerHop: Record<string, number>;
}

export interface TargetShapeResult {
  target: string;
  shape: string;
  rounds: (LoadResult & { cpuMsPerRequest: number; subgraphCpuMsPerRequest: number; peakRssBytes: number })[];
  median: {
    requestsPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    cpuMsPerRequest: number;
    subgraphCpuMsPerRequest: number;
    peakRssBytes: number;
    non2xx: number;
    errors: number;
  };
  check: ShapeCheck | null;
}

export interface GatewayReport {
  supergraphSubgraphs: string[];
  results: TargetShapeResult[];
  latency: { target: string; rounds: LatencyResult[]; medianP50Ms: number; medianP99Ms: number }[];
  peakRssBytes: Record<string, number>;
  checks: { target: string; shape: string; check: ShapeCheck }[];
}

async function control(subgraphUrl: string, what: 'counts' | 'reset' | 'faults', body?: unknown) {
  const response = await fetch(new URL(`/__bench/${what}`, subgraphUrl), {
    method: what === 'counts' ? 'GET' : 'POST',
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await response.json()) as SubgraphCounts;
}

async function countsOf(urls: Record<string, string>) {
  return Object.fromEntries(
    await Promise.all(SUBGRAPHS.map(async (s) => [s, await control(urls[s]!, 'counts')] as const)),
  ) as Record<Hop, SubgraphCounts>;
}

async function resetCounts(urls: Record<string, string>) {
  await Promise.all(SUBGRAPHS.map((s) => control(urls[s]!, 'reset')));
}

function describeDifference(actual: string, expected: string): string {
  if (actual.trimEnd() === expected) return `a trailing ${JSON.stringify(actual.slice(expected.length))}`;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  return `from byte ${i}: ${JSON.stringify(actual.slice(i, i + 60))} instead of ${JSON.stringify(expected.slice(i, i + 60))}`;
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** The gateway bench: every target on every shape, in interleaved rounds, with checks before load. */
export async function runGatewayBench(
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<GatewayReport> {
  const selected = shapes.filter((s) => settings.only.length === 0 || settings.only.includes(s.id));
  const oneProcessSchema = buildOneProcessSchema();
  const expected = new Map<string, string>();
  for (const shape of shapes) {
    const result = execute({
      schema: oneProcessSchema,
      document: parse(shape.query),
      variableValues: shape.variables,
    });
    expected.set(shape.id, JSON.stringify(result));
  }
  const answersFile = path.join(settings.resultsDir, 'bare-http-answers.json');
  writeFileSync(
    answersFile,
    JSON.stringify(Object.fromEntries(shapes.map((s) => [requestBody(s), expected.get(s.id)!]))),
  );

  const children: BenchChild<{ url: string }>[] = [];
  let subgraphs: BenchChild<Record<string, string>> | null = null;
  try {
    subgraphs = await startChild<Record<string, string>>('subgraphs', 'subgraphs/serve-subgraphs.ts');
    const urls = subgraphs.info;
    const supergraph = composeBenchSupergraph(urls);
    log(`subgraphs up: ${SUBGRAPHS.map((s) => `${s} ${urls[s]}`).join(', ')}`);
    const started: Record<string, BenchChild<{ url: string }>> = {};
    const start = async (target: GatewayTarget['id'], script: string, args: string[], extra = {}) => {
      const child = await startChild<{ url: string }>(target, script, { args, ...extra });
      children.push(child);
      started[target] = child;
    };
    await start('bare-http', 'targets/bare-http.ts', [answersFile]);
    await start('one-process', 'targets/one-process.ts', []);
    await start('hive-gateway', 'targets/hive-gateway.ts', [JSON.stringify(supergraph)]);
    await start('hive-gateway-router', 'targets/hive-gateway.ts', [JSON.stringify(supergraph), '--router']);
    await start('our-gateway', 'targets/our-gateway.ts', ['--subgraphs', JSON.stringify(urls)], {
      env: { BENCH_DATABASE_URL: settings.databaseUrl, BENCH_REDIS_URL: settings.redisUrl },
      nodeArgs: settings.ourGatewayNodeArgs,
    });
    log(`targets up: ${targets.map((t) => `${t.id} (pid ${started[t.id]!.pid})`).join(', ')}`);

    const plays = (target: GatewayTarget, shape: QueryShape) =>
      target.gateway || (!shape.gatewaysOnly && (target.id !== 'bare-http' || shape.id === 'list-20'));
    const setFaults = (shape: QueryShape) =>
      control(urls.real_estate!, 'faults', {
        delayMs: null,
        down: false,
        ...shape.realEstateFaults,
      } satisfies SubgraphFaults);

    // Checks first: the same bytes from every target, and the upstream requests each hop costs.
    const checks: { target: string; shape: string; check: ShapeCheck }[] = [];
    for (const shape of selected) {
      await setFaults(shape);
      for (const target of targets.filter((t) => plays(t, shape))) {
        const url = started[target.id]!.info.url;
        const send = () =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: requestBody(shape),
          });
        await (await send()).text(); // first request builds plans and caches
        await resetCounts(urls);
        const n = 3;
        let last = { status: 0, text: '' };
        for (let i = 0; i < n; i++) {
          const response = await send();
          last = { status: response.status, text: await response.text() };
        }
        const counts = await countsOf(urls);
        const want = expected.get(shape.id)!;
        const identicalBytes = last.text === want;
        const check: ShapeCheck = {
          status: last.status,
          bytes: Buffer.byteLength(last.text),
          identicalBytes,
          identicalJson: sameJson(last.text, want),
          difference: identicalBytes ? null : describeDifference(last.text, want),
          upstreamPerHop: target.gateway
            ? Object.fromEntries(shape.hops.map((h) => [h, counts[h].requests / n]))
            : {},
        };
        checks.push({ target: target.id, shape: shape.id, check });
        log(
          `check ${shape.id.padEnd(16)} ${target.id.padEnd(20)} HTTP ${check.status} ${check.bytes} B ` +
            `${shape.bytesMayDiffer ? `(${JSON.parse(last.text).errors?.length ?? 0} errors)` : identicalBytes ? 'identical bytes' : `differs: ${check.difference}`}` +
            (target.gateway ? ` upstream/hop ${JSON.stringify(check.upstreamPerHop)}` : ''),
        );
      }
    }

    const pids = Object.fromEntries(Object.values(started).map((c) => [c.name, c.pid]));
    const runOne = async (target: GatewayTarget, shape: QueryShape, seconds: number) => {
      const watched = await watchProcesses({ target: pids[target.id]!, subgraphs: subgraphs!.pid }, () =>
        runLoad({
          url: started[target.id]!.info.url,
          body: requestBody(shape),
          connections: shape.connections,
          seconds,
        }),
      );
      const done = Math.max(1, watched.result.completed + watched.result.non2xx);
      return {
        ...watched.result,
        cpuMsPerRequest: watched.cpuMs.target! / done,
        subgraphCpuMsPerRequest: target.gateway ? watched.cpuMs.subgraphs! / done : 0,
        peakRssBytes: watched.peakRssBytes.target!,
      };
    };

    // Warm-up (not recorded): JIT, plan caches, connection pools.
    if (settings.warmupSeconds > 0) {
      for (const shape of selected) {
        await setFaults(shape);
        for (const target of targets.filter((t) => plays(t, shape)))
          await runOne(target, shape, settings.warmupSeconds);
      }
      log('warm-up done');
    }

    const results = new Map<string, TargetShapeResult>();
    const latency = new Map<string, LatencyResult[]>();
    // A department that is down trips our gateway's circuit breaker for a while: that shape runs last.
    const phases = [
      selected.filter((s) => !s.realEstateFaults?.down),
      selected.filter((s) => s.realEstateFaults?.down),
    ];
    for (const phase of phases) {
      for (let round = 0; round < settings.rounds; round++) {
        for (const shape of phase) {
          await setFaults(shape);
          const playing = targets.filter((t) => plays(t, shape));
          // Interleaved: each round starts with another target.
          const order = playing.map((_, i) => playing[(i + round) % playing.length]!);
          for (const target of order) {
            const seconds = shape.id === 'list-20' ? settings.headlineSeconds : settings.seconds;
            const run = await runOne(target, shape, seconds);
            const key = `${target.id}|${shape.id}`;
            const entry = results.get(key) ?? {
              target: target.id,
              shape: shape.id,
              rounds: [],
              median: {} as TargetShapeResult['median'],
              check: checks.find((c) => c.target === target.id && c.shape === shape.id)?.check ?? null,
            };
            entry.rounds.push(run);
            results.set(key, entry);
            log(
              `round ${round + 1} ${shape.id.padEnd(16)} ${target.id.padEnd(20)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s ` +
                `p50 ${run.p50Ms} ms p99 ${run.p99Ms} ms cpu ${run.cpuMsPerRequest.toFixed(3)} ms/req` +
                (run.non2xx || run.errors ? ` non-2xx ${run.non2xx} errors ${run.errors}` : ''),
            );
          }
        }
        // One connection: what a single caller waits, against the cases subgraph asked directly.
        if (phase === phases[0] && selected.some((s) => s.id === 'list-20')) {
          await setFaults(shapes.find((s) => s.id === 'list-20')!);
          const headline = shapes.find((s) => s.id === 'list-20')!;
          const latencyTargets = [
            ...targets.map((t) => ({ id: t.id, url: started[t.id]!.info.url, body: requestBody(headline) })),
            {
              id: 'direct-subgraph',
              url: urls.cases!,
              body: JSON.stringify({ query: DIRECT_SUBGRAPH_QUERY, variables: { first: 20 } }),
            },
            // The merge hop asked directly: with the cases' p50, what the two hops cost without a gateway.
            { id: 'direct-merge', url: urls.real_estate!, body: directMergeBody(20) },
          ];
          const order = latencyTargets.map((_, i) => latencyTargets[(i + round) % latencyTargets.length]!);
          for (const t of order) {
            const measured = await measureLatency({
              url: t.url,
              body: t.body,
              seconds: settings.latencySeconds,
            });
            latency.set(t.id, [...(latency.get(t.id) ?? []), measured]);
            log(
              `round ${round + 1} latency@1 ${t.id.padEnd(20)} p50 ${measured.p50Ms.toFixed(3)} ms p99 ${measured.p99Ms.toFixed(3)} ms`,
            );
          }
        }
      }
    }
    await control(urls.real_estate!, 'faults', { delayMs: null, down: false });

    for (const entry of results.values()) {
      const pick = (f: (r: TargetShapeResult['rounds'][number]) => number) => median(entry.rounds.map(f));
      entry.median = {
        requestsPerSecond: pick((r) => r.requestsPerSecond),
        p50Ms: pick((r) => r.p50Ms),
        p99Ms: pick((r) => r.p99Ms),
        cpuMsPerRequest: pick((r) => r.cpuMsPerRequest),
        subgraphCpuMsPerRequest: pick((r) => r.subgraphCpuMsPerRequest),
        peakRssBytes: Math.max(...entry.rounds.map((r) => r.peakRssBytes)),
        non2xx: entry.rounds.reduce((a, r) => a + r.non2xx, 0),
        errors: entry.rounds.reduce((a, r) => a + r.errors, 0),
      };
    }
    const peakRssBytes = Object.fromEntries(
      Object.values(started).map((c) => [c.name, sampleProcess(c.pid).peakRssBytes]),
    );
    return {
      supergraphSubgraphs: SUBGRAPHS,
      results: [...results.values()],
      latency: [...latency.entries()].map(([target, rounds]) => ({
        target,
        rounds,
        medianP50Ms: median(rounds.map((r) => r.p50Ms)),
        medianP99Ms: median(rounds.map((r) => r.p99Ms)),
      })),
      peakRssBytes,
      checks,
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await subgraphs?.stop();
  }
}
