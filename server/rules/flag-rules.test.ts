import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { DataFlag, Reading } from '../domain/reading';
import { instrumentFaultStep } from './instrument-fault-rule';
import { maintenanceFlagStep } from './maintenance-flag-rule';
import { overRangeStep } from './over-range-rule';
import { AMMONIA, ctx, reading, run, S, T0, v } from './test-kit';

const flagged = (flags: DataFlag[]): Reading[] => flags.map((f, i) => reading(AMMONIA, '2011', T0 + i * 30 * S, { a21001: v(3, f) }));
const describeAll = (fs: readonly Finding[]) =>
  fs.map((f) => `${f.rule} ${f.type}${f.type === 'exceeded' ? ` ${f.severity}` : ''}`).join(',') || '-';

function both(flags: DataFlag[]): string[] {
  let fault = {};
  let maint = {};
  return flagged(flags).map((r) => {
    const a = instrumentFaultStep(fault, r);
    const b = maintenanceFlagStep(maint, r);
    fault = a.state;
    maint = b.state;
    return describeAll([...a.findings, ...b.findings]);
  });
}

describe('instrument-fault and maintenance-flag', () => {
  it.each([
    ['D → fault (major), N clears it', ['D', 'N'], ['instrument-fault exceeded major', 'instrument-fault normal']],
    [
      'B → fault too (logger–instrument link)',
      ['B', 'B', 'N'],
      ['instrument-fault exceeded major', 'instrument-fault exceeded major', 'instrument-fault normal'],
    ],
    ['M → maintenance-flag (info), N clears it', ['M', 'N'], ['maintenance-flag exceeded info', 'maintenance-flag normal']],
    ['C (calibration) → maintenance-flag', ['C', 'N'], ['maintenance-flag exceeded info', 'maintenance-flag normal']],
    ['N with nothing raised says nothing', ['N', 'N'], ['-', '-']],
    ['F, S, T raise neither (T is over-range’s)', ['F', 'S', 'T'], ['-', '-', '-']],
    [
      'a fault is not cleared by M, only by N',
      ['D', 'M', 'N'],
      ['instrument-fault exceeded major', 'maintenance-flag exceeded info', 'instrument-fault normal,maintenance-flag normal'],
    ],
  ] as const)('%s', (_n, flags, expected) => {
    expect(both([...flags])).toEqual(expected);
  });

  it('is per factor: a fault on NH3 is not cleared by a valid O2', () => {
    const r1 = reading(AMMONIA, '2011', T0, { a21001: v(3, 'D'), a19001: v(8) });
    const r2 = reading(AMMONIA, '2011', T0 + 30 * S, { a19001: v(8) });
    const { perInput, state } = run({}, [r1, r2], instrumentFaultStep);
    expect(perInput.map(describeAll)).toEqual(['instrument-fault exceeded major', '-']);
    expect(state).toEqual({ a21001: true });
  });
});

describe('over-range (flag T, issue 12 domain 5)', () => {
  const step =
    (c = ctx(AMMONIA)) =>
    (s: Record<string, boolean>, r: Reading) =>
      overRangeStep(s, r, c);
  it.each([
    ['T → over-range (major), N clears it', ['T', 'N'], ['over-range exceeded major', 'over-range normal']],
    [
      'T repeated updates it, M does not clear it',
      ['T', 'T', 'M', 'N'],
      ['over-range exceeded major', 'over-range exceeded major', '-', 'over-range normal'],
    ],
    ['D, M, C, F, S, B raise nothing', ['D', 'M', 'C', 'F', 'S', 'B'], ['-', '-', '-', '-', '-', '-']],
  ] as const)('%s', (_n, flags, expected) => {
    expect(run({}, flagged([...flags]), step()).perInput.map(describeAll)).toEqual(expected);
  });

  it('severity from the rule pack, and structured evidence: the flag, the reported value, the limit in force', () => {
    const r = reading(AMMONIA, '2011', T0, { a21001: v(20, 'T'), a19001: v(8, 'T') });
    const { findings } = overRangeStep({}, r, ctx(AMMONIA, { overRange: { severity: 'critical' } }));
    expect(findings).toEqual([
      expect.objectContaining({
        factor: 'a21001',
        rule: 'over-range',
        severity: 'critical',
        value: 20,
        limit: 8,
        evidence: { flag: 'T', reported: 20, limitMax: 8 },
      }),
      expect.objectContaining({
        factor: 'a19001',
        rule: 'over-range',
        severity: 'critical',
        value: 8,
        limit: 0,
        evidence: { flag: 'T', reported: 8, limitMax: null },
      }),
    ]);
  });
});
