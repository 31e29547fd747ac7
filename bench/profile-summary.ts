/**
 * Where the server's CPU time goes: sums the self time of a V8 .cpuprofile (written by the server
 * child under `--profile`) by package / project file and by function. Idle time is left out.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileShare {
  name: string;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  busySeconds: number;
  byPlace: ProfileShare[];
  byFunction: ProfileShare[];
}

/** A package (mqtt, zod, socket.io, …), a project file, a node: module or a V8 bucket. */
function placeOf(node: ProfileNode, root: string): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:');
  // A page's script (a browser profile): its path on the server, e.g. /assets/index-….js.
  if (/^https?:/.test(url)) return new URL(url).pathname;
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const [a = '', b = ''] = path.slice(nm + 14).split('/');
    return a.startsWith('@') ? `${a}/${b}` : a;
  }
  return relative(root, path);
}

const top = (m: Map<string, number>, total: number, n: number): ProfileShare[] =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, hits]) => ({ name, percent: Math.round((1000 * hits) / total) / 10 }));

export function summariseProfile(file: string, root: string, n = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const h = hits.get(node.id) ?? 0;
    if (h === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += h;
    const place = placeOf(node, root);
    byPlace.set(place, (byPlace.get(place) ?? 0) + h);
    // No line numbers: tsx's output does not keep the source's.
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${place}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + h);
  }
  const secondsPerSample = (profile.endTime - profile.startTime) / 1e6 / Math.max(1, profile.samples.length);
  return {
    file: relative(root, file),
    busySeconds: Math.round(busy * secondsPerSample * 10) / 10,
    byPlace: top(byPlace, busy, n),
    byFunction: top(byFunction, busy, n),
  };
}

/** The summary as lines: by place on one line, then the busiest functions. */
export function printProfile(what: string, p: ProfileSummary, print: (s: string) => void): void {
  print(`\n${what} CPU profile (${p.file}, ${p.busySeconds} s busy), self time:`);
  print(`  by place:    ${p.byPlace.map((s) => `${s.name} ${s.percent}%`).join(' · ')}`);
  for (const f of p.byFunction) print(`  ${String(f.percent).padStart(5)}%  ${f.name}`);
}

// `npx tsx bench/profile-summary.ts file.cpuprofile…`: each profile's busy time and top places and functions.
if (process.argv[1]?.endsWith('profile-summary.ts')) {
  for (const file of process.argv.slice(2)) console.log(JSON.stringify(summariseProfile(file, process.cwd(), 25), null, 1));
}
