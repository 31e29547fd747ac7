/**
 * What the cluster suite (tests/cluster/) uses beside the cluster itself (tests/helpers/local-cluster.ts):
 * its registry (ammonia-slip analysers, limit 8 mg/m³, in two groups: a few probes for single
 * readings and the load group that covers every partition), dashboard sockets that behave as the
 * dashboard's (client/src/api/socket.ts and realtime.ts: reconnect by themselves, say the last
 * alert change they applied in the handshake) and record every alert change, readings as stored
 * in InfluxDB, alerts as stored in PostgreSQL, and HJ 212 uploads.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import {
  ALERT_EVENT_KINDS,
  type AlertEvent,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ServerToClientEvents,
} from '../../server/domain/events';
import { RULE_IDS } from '../../server/domain/rule-ids';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import { telemetryOf } from '../../server/storage/influx/influx-retention';

export const ENTERPRISE = 'cluster-test';
/** NH3 slip (a21001) of an ammonia source: the rule pack's limit is 8 mg/m³. */
export const FACTOR = 'a21001';
/** The rule of a real-time value over its limit. */
export const LIMIT_RULE = RULE_IDS.limitInstant;

const mnOf = (i: number) => `370300NH300000000001${String(i).padStart(4, '0')}`;
const source = (i: number) => ({
  mn: mnOf(i),
  enterpriseId: ENTERPRISE,
  name: `氨逃逸${i}`,
  kind: 'ammonia',
  lat: 36.8,
  lon: 118.05,
  intervalS: 30,
  mqttPassword: `cluster-test-mqtt-${i}`,
  pw: `CLUSTERTESTPW${String(i).padStart(11, '0')}`,
});
/** Probes: single readings (alerts across processes, the web restart's stream, the gateway). */
export const PROBES = Array.from({ length: 8 }, (_, i) => source(i + 1));
/** The load group of the worker's death. */
export const LOADED = Array.from({ length: 32 }, (_, i) => source(i + 101));

/** Writes the suite's registry (JSON is YAML) into `dir`; returns its path. */
export function writeClusterRegistry(dir: string): string {
  const file = join(dir, 'registry.yaml');
  writeFileSync(
    file,
    JSON.stringify({ enterprises: [{ id: ENTERPRISE, name: '集群测试企业', district: '张店区' }], sources: [...PROBES, ...LOADED] }),
  );
  return file;
}

export type DashboardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A dashboard's connection and what it received. */
export interface RecordedDashboard {
  socket: DashboardSocket;
  /** The numbers of the snapshots it received (one on the first connect; a resumed reconnect gets none). */
  snapshots: number[];
  /** The numbers of the alert changes it received, in order. */
  seqs: number[];
  /** The alerts it saw open: `mn`. */
  opened: string[];
  /** The last number it applied (snapshot or change): what it says at a reconnect. */
  last(): number | null;
  disconnects: string[];
  connects: number;
  close(): void;
}

/**
 * A socket that behaves as the dashboard's: WebSocket, reconnecting by itself (quickly here),
 * `auth: {seq}` of the last change applied at each (re)connect; when the server closed the session
 * on purpose (`io server disconnect`), a snapshot is owed and it connects again, as the dashboard does.
 */
export async function dashboard(baseUrl: string, cookie: string): Promise<RecordedDashboard> {
  let seq: number | null = null;
  const socket: DashboardSocket = io(baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
    auth: (cb: (auth: HandshakeAuth) => void) => cb(seq === null ? {} : { seq }),
  });
  const rec: RecordedDashboard = {
    socket,
    snapshots: [],
    seqs: [],
    opened: [],
    last: () => seq,
    disconnects: [],
    connects: 0,
    close: () => void socket.disconnect(),
  };
  socket.on('connect', () => rec.connects++);
  socket.on('state:snapshot', (s) => (rec.snapshots.push(s.seq), (seq = s.seq)));
  for (const kind of ALERT_EVENT_KINDS)
    socket.on(`alert:${kind}`, (e: AlertEvent) => {
      rec.seqs.push(e.seq);
      if (kind === 'opened') rec.opened.push(e.alert.mn);
      seq = e.seq;
    });
  socket.on('disconnect', (reason) => {
    rec.disconnects.push(reason);
    if (reason === 'io server disconnect') {
      seq = null;
      socket.connect();
    }
  });
  await new Promise<void>((res, rej) => {
    socket.once('state:snapshot', () => res());
    socket.once('connect_error', rej);
  });
  return rec;
}

/** The numbers of `seqs` that break the run `from + 1, from + 2, …` (a gap, a repeat or a step back). */
export function breaks(from: number, seqs: readonly number[]): string[] {
  const out: string[] = [];
  let expected = from + 1;
  for (const s of seqs) {
    if (s !== expected) out.push(`${s} where ${expected} was due`);
    expected = s + 1;
  }
  return out;
}

/** The instants of each source's a21001 readings in InfluxDB from `from` on. */
export async function storedInstants(influx: InfluxHttp, from: number): Promise<Map<string, number[]>> {
  const [series = []] = await influx.query(`SELECT ${FACTOR}_rtd, mn FROM ${telemetryOf('2011')} WHERE time >= ${from}ms`);
  const byMn = new Map<string, number[]>();
  for (const s of series) for (const [time, , mn] of s.values) byMn.set(mn as string, [...(byMn.get(mn as string) ?? []), time as number]);
  return byMn;
}

export interface AlertRowSeen {
  id: number;
  mn: string;
  factor: string;
  rule: string;
  closed_at: string | null;
}

/** The alerts of a rule in the cluster's database, oldest first. */
export async function alertsInStore(databaseUrl: string, rule: string): Promise<AlertRowSeen[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<AlertRowSeen>('SELECT id, mn, factor, rule, closed_at FROM alerts WHERE rule = $1 ORDER BY id', [
      rule,
    ]);
    return rows;
  } finally {
    await client.end();
  }
}

/** A real-time NH3 upload at instant `at` asking for an answer (flag 5), signed with the source's PW. */
export function hj212Upload(src: { mn: string; pw: string }, at: number, rtd: number): { qn: string; frame: string } {
  const qn = formatQn(at);
  const cp = { params: { DataTime: formatHjTime(at) }, factors: [{ code: FACTOR, fields: { Rtd: String(rtd), Flag: 'N' } }] };
  return { qn, frame: encodeFrameText({ qn, st: '31', cn: '2011', pw: src.pw, mn: src.mn, flag: 5, cp }) };
}

/** A Prometheus gauge or counter's value in a /metrics text (0 when absent). */
export function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}
