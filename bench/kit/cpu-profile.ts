import { readFileSync } from 'node:fs';

/** A V8 CPU profile as `node --cpu-prof` writes it. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package (node_modules/<package>, node: internals, our folders, GC, idle). */
  byPackage: ProfileEntry[];
  /** Self time by function. */
  selfByFunction: ProfileEntry[];
  /** Time on the stack (self + callees) by function, each counted once per sample. */
  inclusiveByFunction: ProfileEntry[];
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: (runtime)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const ours =
    /\/work\/[^/]+\/([^/]+)\//.exec(url) ?? /\/(gateway|schema|adapters|jobs|db|bench)\//.exec(url);
  return ours ? `ours: ${ours[1]}/` : url;
}

function label(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const where = frame.url
    ? `${packageOf(frame.url, frame.functionName)} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`
    : '';
  return `${frame.functionName || '(anonymous)'}${where ? ` — ${where}` : ''}`;
}

/**
 * Summarises a profile: where the CPU went by package and by function. Samples of the first `skipMs`
 * (start-up: module loading, schema building) are left out.
 */
export function summariseCpuProfile(file: string, skipMs = 0, top = 25): ProfileSummary {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  let at = raw.startTime;
  const keep = raw.samples.flatMap((id, i) => {
    at += raw.timeDeltas[i] ?? 0;
    return at - raw.startTime >= skipMs * 1000 ? [{ id, at }] : [];
  });
  const profile = {
    ...raw,
    samples: keep.map((k) => k.id),
    startTime: keep[0]?.at ?? raw.startTime,
    endTime: keep.at(-1)?.at ?? raw.endTime,
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totalSamples = profile.samples.length;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = totalMs / Math.max(1, totalSamples);

  const self = new Map<string, number>();
  const pkg = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const sampleCounts = new Map<number, number>();
  for (const id of profile.samples) sampleCounts.set(id, (sampleCounts.get(id) ?? 0) + 1);
  for (const [id, count] of sampleCounts) {
    const node = byId.get(id)!;
    const name = label(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + count);
    const p = packageOf(node.callFrame.url, node.callFrame.functionName);
    pkg.set(p, (pkg.get(p) ?? 0) + count);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!;
      const l = label(n.callFrame);
      if (seen.has(l) || l.startsWith('(root)')) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + count);
    }
  }
  const entries = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, samples]) => ({
        name,
        ms: samples * msPerSample,
        share: samples / Math.max(1, totalSamples),
      }));
  return {
    totalMs,
    byPackage: entries(pkg, top),
    selfByFunction: entries(self, top),
    inclusiveByFunction: entries(inclusive, top * 2),
  };
}
