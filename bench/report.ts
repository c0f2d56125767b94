import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { GatewayReport } from './gateway-bench.ts';
import { targets } from './gateway-bench.ts';
import type { SoakReport } from './gateway-soak.ts';
import type { IntakeReport } from './intake-bench.ts';
import type { ProfileSummary } from './kit/cpu-profile.ts';
import type { PipelineReport } from './pipeline-bench.ts';
import { shapes } from './shapes.ts';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** 1-minute load averages at the start and end of the run: other work on the machine shows here. */
  loadAverageStart: number;
  loadAverageEnd: number;
}

export function machineInfo(loadAverageStart: number): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    loadAverageStart,
    loadAverageEnd: os.loadavg()[0]!,
  };
}

export interface Ratio {
  value: number | null;
  target: string;
  met: boolean | null;
  means: string;
}

export interface BenchReport {
  date: string;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  /** One entry per target: the headline shape's medians. */
  targets: Record<
    string,
    {
      title: string;
      requestsPerSecond: number;
      p50Ms: number;
      p99Ms: number;
      cpuMsPerRequest: number;
      peakRssMb: number;
      latencyAtOneConnectionP50Ms: number | null;
      identicalBytes: boolean | null;
    }
  >;
  ratios: Record<string, Ratio | Record<string, Record<string, number>>>;
  gateway: GatewayReport | null;
  intake: IntakeReport | null;
  pipeline: PipelineReport | null;
  soak: SoakReport | null;
  profile: (ProfileSummary & { file: string; requestsPerSecond: number }) | null;
  intakeProfile: (ProfileSummary & { file: string; casesPerSecond: number }) | null;
}

const mb = (bytes: number) => bytes / 2 ** 20;

function ratio(value: number | null, target: string, test: (v: number) => boolean, means: string): Ratio {
  const ok = value !== null && Number.isFinite(value);
  return { value: ok ? value : null, target, met: ok ? test(value) : null, means };
}

export function buildReport(parts: Omit<BenchReport, 'targets' | 'ratios'>): BenchReport {
  const g = parts.gateway;
  const at = (target: string, shape = 'list-20') =>
    g?.results.find((r) => r.target === target && r.shape === shape);
  const rps = (target: string) => at(target)?.median.requestsPerSecond ?? null;
  const lat = (target: string) => g?.latency.find((l) => l.target === target)?.medianP50Ms ?? null;
  const div = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

  const report: BenchReport = { ...parts, targets: {}, ratios: {} };
  for (const t of targets) {
    const r = at(t.id);
    if (!r) continue;
    report.targets[t.id] = {
      title: t.title,
      requestsPerSecond: r.median.requestsPerSecond,
      p50Ms: r.median.p50Ms,
      p99Ms: r.median.p99Ms,
      cpuMsPerRequest: r.median.cpuMsPerRequest,
      peakRssMb: mb(g!.peakRssBytes[t.id] ?? r.median.peakRssBytes),
      latencyAtOneConnectionP50Ms: lat(t.id),
      identicalBytes: r.check?.identicalBytes ?? null,
    };
  }
  const perHop: Record<string, Record<string, number>> = {};
  for (const c of g?.checks ?? []) {
    if (c.target === 'our-gateway' && Object.keys(c.check.upstreamPerHop).length > 0)
      perHop[c.shape] = c.check.upstreamPerHop;
  }
  const hopShapes = ['list-1', 'list-20', 'list-200', 'chain-3'].filter((s) => perHop[s]);
  report.ratios = {
    gateway_vs_hive_router: ratio(
      div(rps('our-gateway'), rps('hive-gateway-router')),
      '≥ 1.5',
      (v) => v >= 1.5,
      'our req/s ÷ Hive Gateway with the router runtime, merged list of 20',
    ),
    gateway_vs_hive: ratio(
      div(rps('our-gateway'), rps('hive-gateway')),
      '> 1',
      (v) => v > 1,
      'our req/s ÷ Hive Gateway (stitching runtime)',
    ),
    gateway_vs_one_process: ratio(
      div(rps('our-gateway'), rps('one-process')),
      '≥ 0.35',
      (v) => v >= 0.35,
      'our req/s ÷ the same query answered in one process',
    ),
    gateway_added_latency_p50: ratio(
      div(lat('our-gateway'), lat('direct-subgraph')),
      '≤ 1.5',
      (v) => v <= 1.5,
      'our p50 at one connection ÷ the cases subgraph asked directly',
    ),
    // Not a target of its own: the literal ratio above counts the merge hop's own upstream time as
    // latency "added"; this one takes both hops asked directly away, leaving the gateway's own share.
    gateway_own_latency_p50: {
      ...ratio(
        div(
          lat('our-gateway') === null || lat('direct-subgraph') === null || lat('direct-merge') === null
            ? null
            : lat('our-gateway')! - lat('direct-subgraph')! - lat('direct-merge')!,
          lat('direct-subgraph'),
        ),
        '(informative)',
        () => true,
        '(our p50 at one connection − the two hops asked directly) ÷ the cases subgraph asked directly',
      ),
      met: null,
    },
    upstream_requests_per_hop: ratio(
      hopShapes.length ? Math.max(...hopShapes.flatMap((s) => Object.values(perHop[s]!))) : null,
      '= 1 per hop at lists of 1, 20, 200 and the 3-hop chain',
      (v) => v === 1 && hopShapes.every((s) => Object.values(perHop[s]!).every((n) => n === 1)),
      'the most upstream requests any hop took per gateway request (counted at the subgraphs)',
    ),
    upstream_requests_per_hop_by_shape: perHop,
    intake_vs_sql: ratio(
      div(parts.intake?.api.medianCasesPerSecond ?? null, parts.intake?.sql.medianCasesPerSecond ?? null),
      '≥ 0.3',
      (v) => v >= 0.3,
      'cases/s through the GraphQL API ÷ the same rows by plain SQL',
    ),
    pipeline_vs_bullmq_noop: ratio(
      div(
        parts.pipeline?.ours.medianJobsPerSecond ?? null,
        parts.pipeline?.bullmqNoop.medianJobsPerSecond ?? null,
      ),
      '≥ 0.5',
      (v) => v >= 0.5,
      'transfer jobs/s end to end ÷ BullMQ no-op jobs/s on the same Redis',
    ),
  };
  return report;
}

const f = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);

/** The report as Markdown: the tables BASELINE.md repeats. */
export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push(`# Bench run ${report.date}`, '');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}. ` +
      `Load average (1 min) ${m.loadAverageStart.toFixed(2)} at the start, ${m.loadAverageEnd.toFixed(2)} at the end.`,
    '',
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join(', ')}.`,
    '',
  );
  lines.push(
    '## Ratios (targets of issue 7)',
    '',
    '| ratio | value | target | met | what |',
    '|---|---|---|---|---|',
  );
  for (const [name, r] of Object.entries(report.ratios)) {
    if (!('target' in r)) continue;
    const ratio = r as Ratio;
    lines.push(
      `| \`${name}\` | ${f(ratio.value, 3)} | ${ratio.target} | ${ratio.met === null ? '—' : ratio.met ? 'yes' : '**no**'} | ${ratio.means} |`,
    );
  }
  lines.push('');
  const g = report.gateway;
  if (g) {
    lines.push(
      '## Merged list of 20, 50 connections (medians of the rounds)',
      '',
      '| target | req/s | p50 ms | p99 ms | CPU ms/req (target process) | peak RSS MB | p50 at 1 connection ms | bytes = reference |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const [id, t] of Object.entries(report.targets)) {
      lines.push(
        `| ${id} | ${f(t.requestsPerSecond)} | ${f(t.p50Ms, 1)} | ${f(t.p99Ms, 1)} | ${f(t.cpuMsPerRequest, 3)} | ${f(t.peakRssMb)} | ${f(t.latencyAtOneConnectionP50Ms, 3)} | ${t.identicalBytes === null ? '—' : t.identicalBytes ? 'yes' : 'no'} |`,
      );
    }
    const direct = g.latency.find((l) => l.target === 'direct-subgraph');
    if (direct)
      lines.push(`| direct-subgraph (cases, its part only) | | | | | | ${f(direct.medianP50Ms, 3)} | |`);
    const merge = g.latency.find((l) => l.target === 'direct-merge');
    if (merge)
      lines.push(
        `| direct-merge (the real-estate hop, asked directly) | | | | | | ${f(merge.medianP50Ms, 3)} | |`,
      );
    lines.push('', '## Every shape (medians of the rounds)', '');
    lines.push(
      '| shape | target | req/s | p50 ms | p99 ms | CPU ms/req | subgraphs CPU ms/req | non-2xx | upstream requests per hop | bytes |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const shape of shapes) {
      for (const r of g.results.filter((x) => x.shape === shape.id)) {
        const c = r.check;
        lines.push(
          `| ${shape.id} | ${r.target} | ${f(r.median.requestsPerSecond)} | ${f(r.median.p50Ms, 1)} | ${f(r.median.p99Ms, 1)} | ${f(r.median.cpuMsPerRequest, 3)} | ${f(r.median.subgraphCpuMsPerRequest, 3)} | ${r.median.non2xx} | ${
            c && Object.keys(c.upstreamPerHop).length
              ? Object.entries(c.upstreamPerHop)
                  .map(([h, n]) => `${h} ${f(n, 2)}`)
                  .join(', ')
              : '—'
          } | ${c ? (c.identicalBytes ? 'identical' : shape.bytesMayDiffer ? `${c.bytes} B (differs by design)` : `differs: ${c.difference}`) : '—'} |`,
        );
      }
    }
    lines.push('');
  }
  if (report.intake) {
    const i = report.intake;
    lines.push(
      '## Front-desk intake',
      '',
      `Register + check + accept a ${i.item} case with ${i.materials} materials, ${i.concurrency} clerks at once. One case writes ${Object.entries(
        i.rowsPerCase,
      )
        .map(([t, n]) => `${n} ${t}`)
        .join(', ')} (plus 2 counter upserts).`,
      '',
      '| path | cases/s (median) | rounds | gateway CPU ms/case | PostgreSQL CPU ms/case | load generator CPU ms/case |',
      '|---|---|---|---|---|---|',
      `| GraphQL API (our gateway, hub subschema) | ${f(i.api.medianCasesPerSecond, 1)} | ${i.api.rounds.map((r) => f(r, 1)).join(', ')} | ${f(i.api.gatewayCpuMsPerCase, 2)} | ${f(i.api.postgresCpuMsPerCase, 2)} | ${f(i.api.clientCpuMsPerCase, 2)} |`,
      `| plain SQL script, same rows | ${f(i.sql.medianCasesPerSecond, 1)} | ${i.sql.rounds.map((r) => f(r, 1)).join(', ')} | | ${f(i.sql.postgresCpuMsPerCase, 2)} | ${f(i.sql.clientCpuMsPerCase, 2)} |`,
      '',
    );
  }
  if (report.pipeline) {
    const p = report.pipeline;
    lines.push(
      '## Material-transfer pipeline',
      '',
      `Worker concurrency ${p.workerConcurrency}; throughput: ${p.jobsPerRun} jobs released at once; latency: released at ${p.pacedRate}/s.`,
      '',
      '| pipeline | jobs/s (median) | rounds | p50 ms | p95 ms (end to end) |',
      '|---|---|---|---|---|',
      `| outbox → relay → queue → adapter → simulator → handover row | ${f(p.ours.medianJobsPerSecond, 1)} | ${p.ours.throughput.map((r) => f(r, 1)).join(', ')} | ${f(p.ours.medianP50Ms)} | ${f(p.ours.medianP95Ms)} |`,
      `| BullMQ no-op job, same Redis | ${f(p.bullmqNoop.medianJobsPerSecond, 0)} | ${p.bullmqNoop.throughput.map((r) => f(r, 0)).join(', ')} | ${f(p.bullmqNoop.medianP50Ms)} | ${f(p.bullmqNoop.medianP95Ms)} |`,
      '',
      'CPU ms per job in the throughput runs (medians), by process: their sum against the 2 cores bounds what any of the processes can reach.',
      '',
      '| pipeline | hub process | PostgreSQL | Redis | department simulator | sum |',
      '|---|---|---|---|---|---|',
      ...(
        [
          ['outbox → … → handover row', p.ours.cpuPerJob],
          ['BullMQ no-op job', p.bullmqNoop.cpuPerJob],
        ] as const
      ).map(
        ([name, c]) =>
          `| ${name} | ${f(c.hub, 2)} | ${f(c.postgres, 2)} | ${f(c.redis, 2)} | ${f(c.department, 2)} | ${f(c.hub + c.postgres + c.redis + c.department, 2)} |`,
      ),
      '',
    );
  }
  if (report.soak) {
    const s = report.soak;
    lines.push(
      '## Soak',
      '',
      `${s.minutes} min at ${s.connections} connections, ${f(s.requestsPerSecond)} req/s, ${s.requests} requests (${s.non2xx} non-2xx, ${s.errors} errors). ` +
        `After warm-up: RSS ${f(s.rssSlopeMbPerMin, 2)} MB/min, heap ${f(s.heapSlopeMbPerMin, 2)} MB/min; peak RSS ${f(s.peakRssMb)} MB → ${s.noGrowthTrend ? 'no growth trend' : '**growth**'}.`,
      '',
    );
  }
  const profileTables = (p: ProfileSummary) => {
    lines.push('| package (self time) | share |', '|---|---|');
    for (const e of p.byPackage.slice(0, 15)) lines.push(`| ${e.name} | ${f(e.share * 100, 1)} % |`);
    lines.push('', '| function (time on stack) | share |', '|---|---|');
    for (const e of p.inclusiveByFunction.slice(0, 30))
      lines.push(`| ${e.name.replaceAll('|', '\\|')} | ${f(e.share * 100, 1)} % |`);
    lines.push('', '| function (self time) | share |', '|---|---|');
    for (const e of p.selfByFunction.slice(0, 20))
      lines.push(`| ${e.name.replaceAll('|', '\\|')} | ${f(e.share * 100, 1)} % |`);
    lines.push('');
  };
  if (report.profile) {
    const p = report.profile;
    lines.push(
      '## Where our gateway spends its CPU (node --cpu-prof, merged list of 20)',
      '',
      `${f(p.requestsPerSecond)} req/s while profiled; ${p.file}`,
      '',
    );
    profileTables(p);
  }
  if (report.pipeline?.profile) {
    const p = report.pipeline.profile;
    lines.push(
      "## Where the pipeline's hub process spends its CPU (V8 profiler, one more throughput run)",
      '',
      `${f(p.jobsPerSecond, 1)} jobs/s while profiled; ${p.file}`,
      '',
    );
    profileTables(p);
  }
  if (report.intakeProfile) {
    const p = report.intakeProfile;
    lines.push(
      "## Where intake spends our gateway's CPU (node --cpu-prof, register + accept)",
      '',
      `${f(p.casesPerSecond, 1)} cases/s while profiled; ${p.file}`,
      '',
    );
    profileTables(p);
  }
  return lines.join('\n');
}
