/**
 * What a power-data file lands as (issue 16): each row of a meter the registry knows becomes the
 * power signal of that meter facility — on its logger (`mn`), channel `gkw<channel>` — as a 15-min
 * aggregate: data kind 2051 at the interval's start, `avg` = kWh × 4 (mean kW over ¼ h), `cou` = kWh,
 * flag N, `origin` 'import' (historical: the rules judge it per interval, not as live data). Rows
 * of one logger at one instant (several meters on its channels) make one reading. The readings go
 * through the same sink as live readings (the pipeline: store + rules), and the store
 * keeps one point per series and instant, so importing a file again overwrites rather than
 * duplicates. Refused rows: a meter no facility has (`unknown_meter`), one two facilities claim
 * (`ambiguous_meter`), one whose facility names no logger and channel (`meter_without_logger`), and
 * a meter's interval given twice in the file (`duplicate`: the first row counts). Pure.
 */
import { facilitiesByLogger } from '../../domain/facility-signals';
import type { Reading } from '../../domain/reading';
import type { Facility, Registry, Source } from '../../domain/registry';
import { signalCode, SIGNAL } from '../../domain/working-condition';
import type { PowerRow, PowerRowError } from './power-rows';

export interface PowerMeterSummary {
  meterNo: string;
  facilityId: string;
  facilityName: string;
  enterpriseId: string;
  mn: string;
  code: string;
  rows: number;
}

export interface PowerPlan {
  /** Rows read from the file (accepted + refused). */
  rows: number;
  accepted: number;
  meters: PowerMeterSummary[];
  /** Meter numbers of the file no facility has. */
  unknownMeters: string[];
  /** Distinct 15-min intervals among the accepted rows, and their span (epoch ms; null when none). */
  intervals: number;
  from: number | null;
  to: number | null;
  duplicates: number;
  errors: PowerRowError[];
  readings: Reading[];
}

/** kWh of 15 minutes → mean kW: × 4. Rounded to 0.001 (float noise such as 12.3 × 4 = 49.199999…). */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function planPowerImport(
  read: { rows: PowerRow[]; errors: PowerRowError[] },
  registry: Pick<Registry, 'facilities' | 'sources'>,
): PowerPlan {
  const facilities = registry.facilities ?? [];
  const byMeter = new Map<string, Facility[]>();
  for (const f of facilities) if (f.meterNo !== undefined) byMeter.set(f.meterNo.trim(), [...(byMeter.get(f.meterNo.trim()) ?? []), f]);
  const sources = new Map<string, Source>(registry.sources.map((s) => [s.mn, s]));
  const logged = facilitiesByLogger(facilities);
  const errors = [...read.errors];
  const unknown = new Set<string>();
  const meters = new Map<string, PowerMeterSummary>();
  const seen = new Set<string>();
  const readings = new Map<string, Reading>();
  let duplicates = 0;
  for (const r of read.rows) {
    const refuse = (code: PowerRowError['code'], reason: string) => errors.push({ row: r.row, code, reason, meterNo: r.meterNo });
    const claimed = byMeter.get(r.meterNo) ?? [];
    if (claimed.length === 0) {
      unknown.add(r.meterNo);
      refuse('unknown_meter', `电表编号「${r.meterNo}」不在档案中（设施的“电表编号”）`);
      continue;
    }
    if (claimed.length > 1) {
      refuse('ambiguous_meter', `电表编号「${r.meterNo}」在档案中对应多个设施：${claimed.map((f) => f.name).join('、')}`);
      continue;
    }
    const f = claimed[0] as Facility;
    const source = f.mn === undefined ? undefined : sources.get(f.mn);
    if (f.mn === undefined || f.channel === undefined || !source || logged.get(f.mn)?.get(f.channel)?.id !== f.id) {
      refuse('meter_without_logger', `设施「${f.name}」未登记数据采集仪（MN）和通道，无法落库：请先在档案中补充`);
      continue;
    }
    const key = `${r.meterNo}|${r.start}`;
    if (seen.has(key)) {
      duplicates++;
      refuse('duplicate', '同一电表同一时段在文件中重复出现（以第一行为准）');
      continue;
    }
    seen.add(key);
    const code = signalCode(SIGNAL.power, f.channel);
    const meter = meters.get(r.meterNo) ?? {
      meterNo: r.meterNo,
      facilityId: f.id,
      facilityName: f.name,
      enterpriseId: f.enterpriseId,
      mn: f.mn,
      code,
      rows: 0,
    };
    meter.rows++;
    meters.set(r.meterNo, meter);
    const at = `${f.mn}|${r.start}`;
    const reading = readings.get(at) ?? {
      mn: f.mn,
      enterpriseId: source.enterpriseId,
      kind: source.kind,
      cn: '2051',
      ts: r.start,
      factors: {},
      origin: 'import',
    };
    reading.factors[code] = { avg: round3(r.kwh * 4), cou: r.kwh, flag: 'N' };
    readings.set(at, reading);
  }
  const starts = [...new Set([...readings.values()].map((r) => r.ts))];
  errors.sort((a, b) => a.row - b.row);
  return {
    rows: read.rows.length + read.errors.length,
    accepted: [...meters.values()].reduce((n, m) => n + m.rows, 0),
    meters: [...meters.values()],
    unknownMeters: [...unknown],
    intervals: starts.length,
    from: starts.length ? starts.reduce((a, b) => Math.min(a, b)) : null,
    to: starts.length ? starts.reduce((a, b) => Math.max(a, b)) : null,
    duplicates,
    errors,
    readings: [...readings.values()].sort((a, b) => a.ts - b.ts),
  };
}
