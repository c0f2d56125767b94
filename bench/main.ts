import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type GatewayReport, runGatewayBench } from './gateway-bench.ts';
import { runProfile, runSoak, type SoakReport } from './gateway-soak.ts';
import { type IntakeReport, runIntakeBench, runIntakeProfile } from './intake-bench.ts';
import { BENCH_REDIS_URL, createBenchDatabase } from './kit/bench-database.ts';
import { killAllChildren } from './kit/child-process.ts';
import { type PipelineReport, runPipelineBench } from './pipeline-bench.ts';
import { type BenchReport, buildReport, machineInfo, toMarkdown } from './report.ts';

/**
 * `npm run bench [-- options]`: everything it measures starts on loopback, runs in interleaved rounds
 * bounded in time, and stops; the report goes to bench/results/. See bench/README.md.
 */
const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    only: { type: 'string', default: '' },
    skip: { type: 'string', default: '' },
    soak: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    'profile-seconds': { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});

if (opts.help) {
  process.stdout.write(`npm run bench -- [options]
  --quick                 one short round of everything (about 2 minutes): for development
  --rounds N              interleaved rounds (default 3)
  --seconds S             seconds of load per target and shape per round (default 2; the headline shape gets 2 S)
  --only a,b              gateway shapes to run (list-20, list-1, list-200, chain-3, large, slow-department, department-down)
  --skip a,b              parts to skip: gateway, intake, pipeline
  --soak                  also soak our gateway (--soak-minutes, default 3; the issue's soak is --soak-minutes 10)
  --profile               also CPU-profile our gateway under the headline shape and under intake (--profile-seconds, default 10),
                          and the pipeline's hub process in one more throughput run
`);
  process.exit(0);
}

const quick = opts.quick;
const rounds = Number(opts.rounds ?? (quick ? 1 : 3));
const seconds = Number(opts.seconds ?? (quick ? 1 : 2));
const skip = new Set(opts.skip.split(',').filter(Boolean));
const resultsDir = path.join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

const loadAverageStart = os.loadavg()[0]!;
const startedAt = Date.now();
const settings = {
  rounds,
  secondsPerRun: seconds,
  headlineSeconds: seconds * 2,
  latencySeconds: seconds,
  warmupSeconds: quick ? 0.5 : 1,
  intakeSeconds: quick ? 2 : 5,
  intakeWarmupSeconds: quick ? 1 : 10,
  intakeConcurrency: 4,
  pipelineJobs: quick ? 60 : 600,
  pipelinePacedRate: 20,
  pipelinePacedSeconds: quick ? 2 : 4,
};
log(`bench: ${rounds} round(s), ${seconds} s per run; machine load average ${loadAverageStart.toFixed(2)}`);

const db = await createBenchDatabase();
let gateway: GatewayReport | null = null;
let intake: IntakeReport | null = null;
let pipeline: PipelineReport | null = null;
let soak: SoakReport | null = null;
let profile: BenchReport['profile'] = null;
let intakeProfile: BenchReport['intakeProfile'] = null;
try {
  const common = { databaseUrl: db.url, redisUrl: BENCH_REDIS_URL };
  if (!skip.has('gateway')) {
    gateway = await runGatewayBench(
      {
        ...common,
        rounds,
        seconds,
        headlineSeconds: settings.headlineSeconds,
        latencySeconds: settings.latencySeconds,
        warmupSeconds: settings.warmupSeconds,
        resultsDir,
        only: opts.only.split(',').filter(Boolean),
        ourGatewayNodeArgs: [],
      },
      log,
    );
  }
  if (!skip.has('intake')) {
    intake = await runIntakeBench(
      {
        ...common,
        rounds,
        seconds: settings.intakeSeconds,
        warmupSeconds: settings.intakeWarmupSeconds,
        concurrency: settings.intakeConcurrency,
      },
      log,
    );
  }
  if (!skip.has('pipeline')) {
    pipeline = await runPipelineBench(
      {
        ...common,
        rounds,
        jobs: settings.pipelineJobs,
        pacedRate: settings.pipelinePacedRate,
        pacedSeconds: settings.pipelinePacedSeconds,
        profileDir: opts.profile
          ? path.join(resultsDir, 'profiles', `pipeline-${new Date().toISOString().replaceAll(':', '-')}`)
          : null,
      },
      log,
    );
  }
  if (opts.profile) {
    profile = await runProfile({ ...common, seconds: Number(opts['profile-seconds']), resultsDir }, log);
    intakeProfile = await runIntakeProfile(
      {
        ...common,
        rounds: 1,
        seconds: Number(opts['profile-seconds']),
        warmupSeconds: settings.intakeWarmupSeconds,
        concurrency: settings.intakeConcurrency,
        resultsDir,
      },
      log,
    );
  }
  if (opts.soak) soak = await runSoak({ ...common, minutes: Number(opts['soak-minutes']) }, log);
} finally {
  killAllChildren();
  await db.drop();
}

const report = buildReport({
  date: new Date().toISOString(),
  machine: machineInfo(loadAverageStart),
  settings: { ...settings, durationS: Math.round((Date.now() - startedAt) / 1000) },
  gateway,
  intake,
  pipeline,
  soak,
  profile,
  intakeProfile,
});
const stamp = report.date.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
const markdown = toMarkdown(report);
writeFileSync(path.join(resultsDir, `bench-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(resultsDir, `bench-${stamp}.md`), `${markdown}\n`);
writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(resultsDir, 'latest.md'), `${markdown}\n`);
log(`\n${markdown}`);
log(`report: bench/results/bench-${stamp}.{json,md} (and latest.{json,md})`);
process.exit(0);
