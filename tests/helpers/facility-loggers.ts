/**
 * Working-condition loggers for the facility-rule suites (issue 16): the tests' registry plus
 * qilu-power's condition loggers and facilities, and a logger that sends signal frames over the
 * real HJ 212 TCP listener (CRC, Flag=5; real-time or minute data) and waits for each frame's 9014 (the reading is durable).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import type { Registry } from '../../server/domain/registry';
import { TEST_REGISTRY_FILE } from './fixtures';

/** qilu-power unit 1's CEMS (o2Ref 6 %, NOx limit 50 mg/m³ converted) and its HJ 212 password. */
export const QILU_CEMS = { mn: '370300CEMS00000000000101', pw: 'GG33E76YPJ4U8GVPP43NJQAB' } as const;

export interface ConditionLogger {
  mn: string;
  pw: string;
}

/** A facility's registry fields (its enterprise is qilu-power). */
export interface FacilityFields {
  id: string;
  kind: 'production-line' | 'treatment' | 'power-meter';
  name: string;
  [field: string]: unknown;
}
/** A facility on a logger's channel. */
export type FacilitySpec = FacilityFields & { mn: string; channel: string };

/**
 * Writes the tests' registry plus qilu-power's condition loggers (intervalS 60) and these facilities
 * (each on its logger's channel) to `dir`; returns the file for REGISTRY_FILE.
 */
export function qiluRegistry(dir: string, loggers: readonly ConditionLogger[], facilities: readonly FacilitySpec[]): string {
  const reg = parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8')) as Registry;
  for (const { mn, pw } of loggers) {
    reg.sources.push({
      mn,
      pw,
      enterpriseId: 'qilu-power',
      name: '工况用电监控',
      kind: 'condition',
      lat: 36.827,
      lon: 118.305,
      intervalS: 60,
    } as never);
  }
  const added = facilities.map((f) => ({ enterpriseId: 'qilu-power', ...f }));
  reg.facilities = [...(reg.facilities ?? []), ...added] as Registry['facilities'];
  const file = join(dir, 'registry.yaml');
  writeFileSync(file, stringify(reg));
  return file;
}

export interface HjSignalLogger {
  /**
   * Sends one frame of these values (Flag N) at `ts` and resolves once its 9014 arrived: real-time
   * data (CN 2011, Rtd) unless `cn` is '2051' (minute data, Avg).
   */
  send(ts: number, values: Record<string, number>, cn?: '2011' | '2051'): Promise<void>;
  close(): void;
}

/** A logger connected to the HJ 212 TCP listener, sending as `mn` with its password. */
export async function hjSignalLogger(port: number, { mn, pw }: ConditionLogger): Promise<HjSignalLogger> {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (b) => (received += b.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let sent = 0;
  return {
    async send(ts, values, cn = '2011') {
      const qn = formatQn(ts + (sent++ % 1000)); // one QN per frame, even for frames of one instant
      const field = cn === '2051' ? 'Avg' : 'Rtd';
      const factors = Object.entries(values).map(([code, v]) => ({ code, fields: { [field]: String(v), Flag: 'N' } }));
      socket.write(encodeFrameText({ qn, st: '31', cn, pw, mn, flag: 5, cp: { params: { DataTime: formatHjTime(ts) }, factors } }));
      for (let spins = 0; !received.includes(`QN=${qn}`); spins++) {
        if (spins > 10_000) throw new Error(`no 9014 for QN ${qn}: ${received.slice(-200)}`);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    close: () => void socket.destroy(),
  };
}
