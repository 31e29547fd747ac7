/**
 * A power-data import judged interval by interval (issue 16): treatment-off from the treatment
 * facility's and its line's meters, declared-stop-running from a line's meter inside an approved
 * maintenance window. The tables are the spec: `kW` lists are the 15-min means of the file's
 * intervals from T0 (null: the row is missing); findings are `type@minutes after T0`.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, MaintenanceWindow } from '../domain/alert';
import type { Reading } from '../domain/reading';
import { facilitySchema, type Facility } from '../domain/registry';
import type { RuleParams } from '../domain/rule-pack';
import { judgeImportedPower } from './imported-power';
import { MIN, source, subject, T0, v } from './test-kit';

const Q = 15 * MIN;
const LOGGER = source({ mn: '211300GKJK00000000000001', kind: 'condition', intervalS: 60 });
const GRID = source({ mn: '211300GKJK00000000000009', kind: 'condition', intervalS: 900 });
const fac = (fields: Partial<Facility> & Pick<Facility, 'id' | 'kind' | 'name'>): Facility =>
  facilitySchema.parse({ enterpriseId: 'e', ...fields });
const FACILITIES = [
  fac({ id: 'line', kind: 'production-line', name: '涂装线', mn: LOGGER.mn, channel: '01', runningKw: 80 }),
  fac({ id: 'rto', kind: 'treatment', name: 'RTO', serves: 'line', mn: LOGGER.mn, channel: '02', runningKw: 40 }),
  fac({ id: 'm-line', kind: 'power-meter', name: '涂装线电表', serves: 'line', meterNo: '3703001', mn: GRID.mn, channel: '01' }),
  fac({ id: 'm-rto', kind: 'power-meter', name: 'RTO电表', serves: 'rto', meterNo: '3703002', mn: GRID.mn, channel: '02' }),
];
const PARAMS = subject(LOGGER).params;

/** The import's readings: per interval one 2051 reading of the grid logger with each meter's mean kW. */
function file(line: readonly (number | null)[], rto: readonly (number | null)[]): Reading[] {
  return Array.from({ length: Math.max(line.length, rto.length) }, (_, i) => {
    const factors: Reading['factors'] = {};
    if (line[i] != null) factors.gkw01 = { ...v(0), avg: line[i] as number, cou: (line[i] as number) / 4 };
    if (rto[i] != null) factors.gkw02 = { ...v(0), avg: rto[i] as number, cou: (rto[i] as number) / 4 };
    return {
      mn: GRID.mn,
      enterpriseId: 'e',
      kind: 'condition' as const,
      cn: '2051' as const,
      ts: T0 + i * Q,
      factors,
      origin: 'import' as const,
    };
  }).filter((r) => Object.keys(r.factors).length > 0);
}

function judge(readings: Reading[], opts: { windows?: MaintenanceWindow[]; params?: RuleParams } = {}): Finding[] {
  const params = opts.params ?? PARAMS;
  const out = judgeImportedPower({
    facilities: FACILITIES,
    readings,
    intervalMs: Q,
    paramsOf: () => params,
    windows: opts.windows ?? [],
    importId: 'pi-1',
  });
  return out.flatMap((e) => e.findings);
}
const brief = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule).map((f) => `${f.type}@${(f.ts - T0) / MIN}`);

describe('treatment-off judged on an import', () => {
  it.each<[string, (number | null)[], (number | null)[], string[]]>([
    [
      'the RTO at 0 for one interval under the running line: raised 5 min in, cleared at the next',
      [300, 300, 300],
      [60, 0, 60],
      ['normal@0', 'exceeded@20', 'normal@30'],
    ],
    ['both run: nothing to raise (the first interval clears what an earlier import left open)', [300, 300], [60, 62], ['normal@0']],
    ['a look-alike: the line off too', [5, 5, 5], [0, 0, 0], ['normal@0']],
    ['off to the file’s end: stays raised (the time after the file is unknown)', [300, 300], [60, 0], ['normal@0', 'exceeded@20']],
    ['a missing interval: a raised condition stays raised across it', [300, null, 300], [0, null, 0], ['exceeded@5']],
    ['the line’s meter not in the file: nothing is judged', [], [0, 0, 0], []],
    ['the RTO’s meter not in the file: nothing is judged', [300, 300], [], []],
  ])('%s', (_case, line, rto, want) => {
    expect(brief(judge(file(line, rto)), 'treatment-off')).toEqual(want);
  });

  it('a wait longer than an interval raises inside a later one: 20 min → 20 min after the first interval off', () => {
    const params = { ...PARAMS, treatmentOff: { ...PARAMS.treatmentOff, durationS: 1200 } };
    expect(brief(judge(file([300, 300, 300], [0, 0, 60]), { params }), 'treatment-off')).toEqual(['exceeded@20', 'normal@30']);
    expect(brief(judge(file([300, 300], [60, 0]), { params }), 'treatment-off')).toEqual(['normal@0']);
    // A missing interval restarts a count not yet raised: 15 min off, a gap, 15 min off raise nothing.
    expect(brief(judge(file([300, null, 300], [0, null, 0]), { params }), 'treatment-off')).toEqual([]);
  });

  it('keys the alert on the RTO’s meter and names the meters and the import in its evidence', () => {
    const [raised] = judge(file([300, 300], [60, 2])).filter((f) => f.type === 'exceeded');
    expect(raised).toMatchObject({
      mn: GRID.mn,
      factor: 'gkw02',
      rule: 'treatment-off',
      value: 2,
      limit: 40,
      unit: 'kW',
      ts: T0 + Q + 5 * MIN,
    });
    expect(raised).toMatchObject({
      evidence: {
        ...{ facilityId: 'rto', facility: 'RTO', meterId: 'm-rto', meter: 'RTO电表', meterNo: '3703002', since: T0 + Q },
        ...{ line: '涂装线', lineRunning: true, linePowerKw: 300, lineMeter: '涂装线电表', lineMeterNo: '3703001' },
        ...{ importId: 'pi-1', intervalMinutes: 15 },
      },
    });
  });

  it('is deterministic: the same file judged twice gives the same findings, in time order', () => {
    const readings = file([300, 300, 300, 300], [60, 0, 0, 60]);
    expect(judge(readings)).toEqual(judge([...readings].reverse()));
  });
});

describe('declared-stop-running judged on an import', () => {
  const window = (fields: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
    ...{ id: 1, enterpriseId: 'e', mn: null, from: T0 + 10 * MIN, to: T0 + 70 * MIN, reason: '检修', declaredBy: 'e' },
    ...{
      createdAt: T0 - 86_400_000,
      status: 'approved',
      reviewedBy: 'officer',
      reviewedAt: T0,
      reviewNote: null,
      endedBy: null,
      endedAt: null,
    },
    ...fields,
  });
  it.each<[string, MaintenanceWindow[], (number | null)[], string[]]>([
    [
      'the line at 300 kW from the window’s start: raised 10 min in, cleared when it stops',
      [window()],
      [300, 300, 300, 5],
      ['normal@0', 'exceeded@20', 'normal@45'],
    ],
    ['cleared when the window ends while it runs', [window()], [300, 300, 300, 300, 300, 300], ['normal@0', 'exceeded@20', 'normal@70']],
    ['a look-alike: the line stopped through the window', [window()], [300, 5, 5, 5, 300], ['normal@0']],
    ['a window not approved says nothing', [window({ status: 'pending' })], [300, 300, 300], ['normal@0']],
    ['a window for another outlet says nothing', [window({ mn: '211300CEMS00000000000001' })], [300, 300, 300], ['normal@0']],
  ])('%s', (_case, windows, line, want) => {
    expect(brief(judge(file(line, []), { windows }), 'declared-stop-running')).toEqual(want);
  });

  it('keys the alert on the line’s meter, naming the meter, the window and the import', () => {
    const [raised] = judge(file([300, 300], []), { windows: [window()] }).filter((f) => f.type === 'exceeded');
    expect(raised).toMatchObject({ mn: GRID.mn, factor: 'gkw01', value: 300, limit: 80, ts: T0 + 20 * MIN });
    expect(raised).toMatchObject({
      evidence: { facilityId: 'line', windowId: 1, meter: '涂装线电表', meterNo: '3703001', importId: 'pi-1' },
    });
  });
});
