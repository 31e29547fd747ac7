/**
 * Falsification signatures (issue 19): for each, the true case and look-alikes that must not fire.
 * Pure steps over hand-built readings (test-kit): no clock, no I/O.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import type { FactorValue, Reading } from '../domain/reading';
import type { RuleOverrides } from '../domain/rule-pack';
import { copiedDataStep, copyIndexFor } from './copied-data-rule';
import { nearLimitStep } from './near-limit-rule';
import { o2AmbientStep } from './o2-ambient-rule';
import { NO_SUSPECT } from './rule-state';
import { emptyStepDrop, stepDropNote, stepDropStep } from './step-drop-rule';
import { CEMS, ctx, MIN, reading, run, S, source, T0, v } from './test-kit';
import { zsMismatchStep } from './zs-mismatch-rule';

const brief = (fs: (readonly Finding[])[]) => fs.flat().map((f) => `${f.factor} ${f.type}`);

/** CEMS (o2Ref 6 %) samples every 30 s: SO2 measured, its zs, O2 and flow per sample index. */
function cems(n: number, f: (i: number) => { so2: number; zs?: number; o2: number; flow?: number; so2Flag?: FactorValue['flag'] }) {
  return Array.from({ length: n }, (_, i) => {
    const x = f(i);
    const factors: Reading['factors'] = {
      a21026: v(x.so2, x.so2Flag ?? 'N', x.zs === undefined ? {} : { zs: x.zs }),
      a19001: v(x.o2),
      a00000: v(x.flow ?? 80),
    };
    return reading(CEMS, '2011', T0 + i * 30 * S, factors);
  });
}
/** The converted value DOMAIN §5 gives for the CEMS source's o2Ref 6 %. */
const conv = (measured: number, o2: number) => (measured * (21 - 6)) / (21 - o2);

describe('zs-mismatch: converted value inconsistent with measured value and O2', () => {
  const judge = (rs: Reading[], overrides?: RuleOverrides, src = CEMS) => {
    const c = ctx(src, overrides);
    return run({}, rs, (s, r: Reading) => zsMismatchStep(s, r, c));
  };

  it('zs reported as the measured value (no conversion) for 6 samples → suspected, with the numbers', () => {
    // SO2 20 mg/m³ at O2 10 %: converted 27.27, reported 20 (27 % low).
    const { perInput } = judge(cems(6, () => ({ so2: 20, zs: 20, o2: 10 })));
    expect(perInput.slice(0, 5).flat()).toEqual([]);
    expect(perInput[5]).toEqual([
      {
        type: 'exceeded',
        mn: CEMS.mn,
        factor: 'a21026',
        rule: 'zs-mismatch',
        severity: 'major',
        value: 7.273,
        limit: 2.727,
        unit: 'mg/m³',
        ts: T0 + 5 * 30 * S,
        evidence: { reportedZs: 20, measured: 20, o2: 10, o2Ref: 6, recomputed: 27.273, tolerancePct: 10, samples: 6, since: T0 },
      },
    ]);
  });

  it.each([
    // A real step change: SO2 jumps 20 → 60 and zs follows it, consistent with O2.
    [
      'a real step change with zs consistent: nothing',
      (i: number) => ({ so2: i < 10 ? 20 : 60, zs: conv(i < 10 ? 20 : 60, 10), o2: 10 }),
      [],
    ],
    // zs within 10 % (logger rounding, a slightly different O2 sample): nothing.
    ['zs 5 % off: within the tolerance', () => ({ so2: 20, zs: conv(20, 10) * 1.05, o2: 10 }), []],
    ['5 mismatching samples then a consistent one: not raised', (i: number) => ({ so2: 20, zs: i < 5 ? 20 : conv(20, 10), o2: 10 }), []],
    // Near zero the relative tolerance means nothing: 0.4 off is within epsilon 0.5.
    ['values near 0 (0.4 off, within epsilon): nothing', () => ({ so2: 0.5, zs: 0.9, o2: 10 }), []],
    ['O2 at the cap (start-up): not judged', () => ({ so2: 20, zs: 20, o2: 19.5 }), []],
    ['no zs sent: not judged', () => ({ so2: 20, o2: 10 }), []],
    ['SO2 flagged M: not judged', () => ({ so2: 20, zs: 20, o2: 10, so2Flag: 'M' as const }), []],
    [
      'raised, then consistent again: cleared',
      (i: number) => ({ so2: 20, zs: i < 8 ? 20 : conv(20, 10), o2: 10 }),
      ['a21026 exceeded', 'a21026 normal'],
    ],
  ])('%s', (_n, f, expected) => {
    expect(brief(judge(cems(12, f)).perInput)).toEqual(expected);
  });

  it('a source without o2Ref is not judged; repeat and tolerance come from the pack', () => {
    const noRef = source({ mn: CEMS.mn, kind: 'cems' });
    expect(
      brief(
        judge(
          cems(12, () => ({ so2: 20, zs: 20, o2: 10 })),
          {},
          noRef,
        ).perInput,
      ),
    ).toEqual([]);
    expect(
      brief(
        judge(
          cems(3, () => ({ so2: 20, zs: 20, o2: 10 })),
          { zsMismatch: { repeat: 3 } },
        ).perInput,
      ),
    ).toEqual(['a21026 exceeded']);
    expect(
      brief(
        judge(
          cems(12, () => ({ so2: 20, zs: 20, o2: 10 })),
          { zsMismatch: { tolerancePct: 30 } },
        ).perInput,
      ),
    ).toEqual([]);
  });
});

describe('o2-ambient: O2 near 20.9 % while the flow shows the unit running', () => {
  const judge = (rs: Reading[], overrides?: RuleOverrides) => {
    const c = ctx(CEMS, overrides);
    return run(NO_SUSPECT, rs, (s, r: Reading) => o2AmbientStep(s, r, c));
  };

  it('O2 20.8 % with flow 80 m³/s for 30 min → suspected, raised once, with the evidence', () => {
    const { perInput } = judge(cems(70, () => ({ so2: 5, o2: 20.8, flow: 80 })));
    const raised = perInput.flatMap((fs, i) => fs.map((f) => ({ i, f })));
    expect(raised).toHaveLength(1);
    expect(raised[0]?.i).toBe(60); // 60 × 30 s = 30 min after the first sample
    expect(raised[0]?.f).toEqual({
      type: 'exceeded',
      mn: CEMS.mn,
      factor: 'a19001',
      rule: 'o2-ambient',
      severity: 'major',
      value: 20.8,
      limit: 20,
      unit: '%',
      ts: T0 + 30 * MIN,
      evidence: { since: T0, windowEnd: T0 + 30 * MIN, samples: 61, flow: 80, flowMin: 1, durationS: 1800 },
    });
  });

  it.each([
    // A stopped unit: a cold stack full of air reads ambient O2 — legitimate.
    ['O2 20.9 % with flow 0 (unit stopped): nothing', () => ({ so2: 0, o2: 20.9, flow: 0 }), []],
    ['O2 20.8 % for 25 min only: nothing', (i: number) => ({ so2: 5, o2: i < 50 ? 20.8 : 9, flow: 80 }), []],
    // A lean-burn process at high but not ambient O2.
    ['O2 steady at 18 % while running: nothing', () => ({ so2: 5, o2: 18, flow: 80 }), []],
    [
      'raised, then O2 back to 9 %: cleared',
      (i: number) => ({ so2: 5, o2: i < 65 ? 20.8 : 9, flow: 80 }),
      ['a19001 exceeded', 'a19001 normal'],
    ],
    [
      'the unit stops mid-way: the count restarts (not raised in 40 min)',
      (i: number) => ({ so2: 5, o2: 20.8, flow: i >= 40 && i < 42 ? 0 : 80 }),
      [],
    ],
  ])('%s', (_n, f, expected) => {
    expect(brief(judge(cems(80, f)).perInput)).toEqual(expected);
  });

  it('o2Min and durationS from the pack', () => {
    expect(
      brief(
        judge(
          cems(80, () => ({ so2: 5, o2: 18, flow: 80 })),
          { o2Ambient: { o2Min: 17.5 } },
        ).perInput,
      ),
    ).toEqual(['a19001 exceeded']);
    expect(
      brief(
        judge(
          cems(80, () => ({ so2: 5, o2: 20.8, flow: 80 })),
          { o2Ambient: { durationS: 3600 } },
        ).perInput,
      ),
    ).toEqual([]);
  });
});

describe('near-limit: values parked at 90–100 % of the limit', () => {
  /** CEMS NOx (limit 50, converted at o2Ref 6 %, zs sent) every minute for `hours`. */
  function nox(hours: number, zs: (i: number) => number, overrides?: RuleOverrides) {
    const c = ctx(CEMS, overrides);
    const rs = Array.from({ length: hours * 60 + 1 }, (_, i) =>
      reading(CEMS, '2011', T0 + i * MIN, { a21002: v(zs(i) * 0.8, 'N', { zs: zs(i) }), a19001: v(9.75), a00000: v(80) }),
    );
    return run({}, rs, (s, r: Reading) => nearLimitStep(s, r, c));
  }

  it('NOx at 46–49 mg/m³ (limit 50) for 4 h → suspected (warning), with the band as evidence', () => {
    const { perInput } = nox(5, (i) => 46 + (i % 4));
    const all = perInput.flatMap((fs, i) => fs.map((f) => ({ i, f })));
    expect(all).toHaveLength(1);
    expect(all[0]?.i).toBe(240);
    expect(all[0]?.f).toEqual({
      type: 'exceeded',
      mn: CEMS.mn,
      factor: 'a21002',
      rule: 'near-limit',
      severity: 'warning',
      value: 46,
      limit: 50,
      unit: 'mg/m³',
      ts: T0 + 240 * MIN,
      evidence: { since: T0, windowEnd: T0 + 240 * MIN, samples: 241, bandLow: 45, bandHigh: 50, o2Converted: true, durationS: 14400 },
    });
  });

  it.each([
    // A steady process legitimately near the limit: it varies and dips below 90 % now and then.
    ['near but not parked: 40–49, below 45 every 20 min', (i: number) => (i % 20 === 0 ? 40 : 47), []],
    ['parked for 3 h 59 min: nothing yet', (i: number) => (i < 239 ? 47 : 30), []],
    ['well below the limit, steady: nothing', () => 30, []],
    // Above the limit is an exceedance (limit rules), not "just under".
    ['above the limit: not this rule', () => 52, []],
    ['parked, then back to 30: cleared', (i: number) => (i < 270 ? 47 : 30), ['a21002 exceeded', 'a21002 normal']],
  ])('%s', (_n, zs, expected) => {
    expect(brief(nox(5, zs).perInput)).toEqual(expected);
  });

  it('band and duration from the pack', () => {
    expect(brief(nox(5, () => 42, { nearLimit: { bandLowPct: 80 } }).perInput)).toEqual(['a21002 exceeded']);
    expect(brief(nox(5, () => 47, { nearLimit: { durationS: 6 * 3600 } }).perInput)).toEqual([]);
  });
});

describe('copied-data: a window of readings repeating an earlier one exactly', () => {
  /** CEMS samples every minute: SO2, NOx, O2, flow from `f` (a "day" of noisy but deterministic data). */
  const noisy = (i: number) => ({ a21026: 20 + ((i * 37) % 11) / 10, a21002: 30 + ((i * 53) % 17) / 10, a19001: 9 + ((i * 29) % 7) / 10 });
  /** Every window judged (indexEvery 1) unless `overrides` says otherwise; `sampled`: the pack's defaults. */
  function judge(values: (i: number) => Record<string, number>, n: number, overrides?: RuleOverrides, sampled = false) {
    const exact = { indexEvery: 1, maxWindows: 2880 };
    const c = ctx(CEMS, sampled ? overrides : { ...overrides, copiedData: { ...exact, ...overrides?.copiedData } });
    const index = copyIndexFor(undefined, c);
    const rs = Array.from({ length: n }, (_, i) =>
      reading(CEMS, '2011', T0 + i * MIN, Object.fromEntries(Object.entries(values(i)).map(([k, x]) => [k, v(x)]))),
    );
    return { index, perInput: rs.map((r) => copiedDataStep(index, r, c)) };
  }

  it('the readings of 10:00–10:29 replayed from 12:00: suspected copy, with both windows as evidence', () => {
    // 2 h of own data, then the first half hour replayed, then own data again.
    const f = (i: number) => (i < 120 ? noisy(i) : i < 150 ? noisy(i - 120) : noisy(i + 1000));
    const { perInput } = judge(f, 180);
    const raised = perInput.flatMap((fs, i) => fs.map((x) => ({ i, x })));
    expect(raised.map(({ i, x }) => `${i} ${x.type}`)).toEqual(['129 exceeded', '150 normal']);
    expect(raised[0]?.x).toEqual({
      type: 'exceeded',
      mn: CEMS.mn,
      factor: '*',
      rule: 'copied-data',
      severity: 'major',
      value: 10,
      limit: 10,
      unit: '',
      ts: T0 + 129 * MIN,
      evidence: {
        windowStart: T0 + 120 * MIN,
        windowEnd: T0 + 129 * MIN,
        samples: 10,
        copiedFromStart: T0 + 0 * MIN,
        copiedFromEnd: T0 + 9 * MIN,
      },
    });
  });

  it.each([
    ['own data, never repeated: nothing', (i: number) => noisy(i), 300],
    // Periodic but not identical: the same daily shape with measurement noise on top.
    ['periodic (period 60) with noise: nothing', (i: number) => ({ ...noisy(i % 60), a00000: 80 + ((i * 7919) % 101) / 100 }), 300],
    // Identical only in some factors: SO2 and NOx replayed, O2 not.
    ['only some factors repeat: nothing', (i: number) => ({ ...noisy(i % 60), a19001: 9 + ((i * 7919) % 101) / 100 }), 300],
    ['9 readings replayed (K is 10): nothing', (i: number) => (i < 120 ? noisy(i) : i < 129 ? noisy(i - 120) : noisy(i + 1000)), 180],
    // A stopped unit sending the same zeros all along is a flat line, not a copy.
    ['all readings the same (a stopped unit): nothing', () => ({ a21026: 0, a21002: 0, a19001: 20.9 }), 300],
  ])('%s', (_n, f, n) => {
    expect(judge(f, n).perInput.flat()).toEqual([]);
  });

  it('with the defaults (one window in 4 indexed), a replay of 30 readings is still found, with the same evidence shape', () => {
    const f = (i: number) => (i < 120 ? noisy(i) : i < 150 ? noisy(i - 120) : noisy(i + 1000));
    const { perInput, index } = judge(f, 180, undefined, true);
    const raised = perInput.flat().filter((x) => x.type === 'exceeded');
    expect(raised).toHaveLength(1);
    const e = raised[0]?.type === 'exceeded' ? raised[0].evidence : undefined;
    expect(Number(e?.['windowStart']) - Number(e?.['copiedFromStart'])).toBe(120 * MIN);
    expect(Number(e?.['windowEnd'])).toBeLessThan(T0 + 150 * MIN);
    expect(index.indexed).toBeLessThan(80); // about a quarter of the 171 windows
  });

  it('order of the factors does not hide a copy; the look-back and the index are bounded', () => {
    const reordered = (i: number) => {
      const x = i < 120 ? noisy(i) : i < 150 ? noisy(i - 120) : noisy(i + 1000);
      return i < 120 ? x : { a19001: x.a19001, a21002: x.a21002, a21026: x.a21026 };
    };
    expect(brief([judge(reordered, 150).perInput.flat()])).toEqual(['* exceeded']);
    // Replayed 2 h later but the look-back is 1 h: nothing.
    const f = (i: number) => (i < 120 ? noisy(i) : i < 150 ? noisy(i - 120) : noisy(i + 1000));
    expect(judge(f, 180, { copiedData: { lookbackS: 3600 } }).perInput.flat()).toEqual([]);
    // At most maxWindows windows are kept: with 50, the windows of 10:00 are gone by 12:00.
    const small = judge(f, 180, { copiedData: { maxWindows: 50 } });
    expect(small.perInput.flat()).toEqual([]);
    expect(small.index.indexed).toBe(50);
  });
});

describe('step-drop: the hourly mean falls in a step right after an alert opens', () => {
  const alertAt = T0 + 60 * MIN;
  const opened: Finding = {
    type: 'exceeded',
    mn: CEMS.mn,
    factor: 'a21026',
    rule: 'limit-instant',
    severity: 'warning',
    value: 40,
    limit: 35,
    unit: 'mg/m³',
    ts: alertAt,
  };
  /** CEMS SO2 (limit 35, converted: zs sent) every minute for 2 h 10 min; the alert opens at minute 60 unless `alert` is false. */
  function judge(
    zs: (i: number) => number,
    opts: { alert?: boolean; flag?: (i: number) => FactorValue['flag']; overrides?: RuleOverrides } = {},
  ) {
    const c = ctx(CEMS, opts.overrides);
    let state = emptyStepDrop();
    const out: (readonly Finding[])[] = [];
    for (let i = 0; i <= 130; i++) {
      const r = reading(CEMS, '2011', T0 + i * MIN, {
        a21026: v(zs(i) * 0.8, opts.flag?.(i) ?? 'N', { zs: zs(i) }),
        a19001: v(9.75),
        a00000: v(80),
      });
      const step = stepDropStep(state, r, c);
      state = step.state;
      out.push(step.findings);
      if (i === 60 && opts.alert !== false) state = stepDropNote(state, [opened], c);
    }
    return out;
  }

  it('SO2 from 40 to 10 mg/m³ the minute after an alert → suspected, with both means and the alert', () => {
    const out = judge((i) => (i <= 60 ? 40 : 10));
    const all = out.flatMap((fs, i) => fs.map((f) => ({ i, f })));
    expect(all.map(({ i, f }) => `${i} ${f.type}`)).toEqual(['120 exceeded', '121 normal']);
    expect(all[0]?.f).toEqual({
      type: 'exceeded',
      mn: CEMS.mn,
      factor: 'a21026',
      rule: 'step-drop',
      severity: 'warning',
      value: 10,
      limit: 40,
      unit: 'mg/m³',
      ts: T0 + 120 * MIN,
      evidence: { alertAt, alertRule: 'limit-instant', meanBefore: 40, meanAfter: 10, dropPct: 75, thresholdPct: 50, windowS: 3600 },
    });
  });

  it.each([
    ['a 25 % fall after the alert: nothing', (i: number) => (i <= 60 ? 40 : 30), {}],
    ['the same fall with no alert: nothing', (i: number) => (i <= 60 ? 40 : 10), { alert: false }],
    ['a fall 65 min after the alert (outside the hour): nothing', (i: number) => (i < 125 ? 40 : 10), {}],
    // The unit stops after the alert: values flagged F are not valid, the hour after has too few.
    ['the unit stops after the alert (flag F): nothing', (i: number) => (i <= 60 ? 40 : 0), { flag: (i: number) => (i <= 60 ? 'N' : 'F') }],
    ['a 60 % fall with dropPct 70: nothing', (i: number) => (i <= 60 ? 40 : 16), { overrides: { stepDrop: { dropPct: 70 } } }],
  ] as const)('%s', (_n, zs, opts) => {
    expect(judge(zs, opts as never).flat()).toEqual([]);
  });

  it('the engine anchors on its own findings: a condition raised once, forgotten when normal', () => {
    const c = ctx(CEMS);
    const s1 = stepDropNote(emptyStepDrop(), [opened], c);
    expect(s1.anchor).toMatchObject({ at: alertAt, rule: 'limit-instant', factor: 'a21026' });
    // Raised again (the same condition still on): no new anchor; after normal, a new opening anchors only once the window is over.
    const again = { ...opened, ts: alertAt + 10 * MIN };
    expect(stepDropNote(s1, [again], c).anchor?.at).toBe(alertAt);
    const cleared = stepDropNote(
      s1,
      [{ type: 'normal', mn: CEMS.mn, factor: 'a21026', rule: 'limit-instant', value: 5, ts: alertAt + MIN }],
      c,
    );
    expect(cleared.raised).toEqual({});
    expect(stepDropNote(cleared, [again], c).anchor?.at).toBe(alertAt);
    expect(stepDropNote(cleared, [{ ...opened, ts: alertAt + 61 * MIN }], c).anchor?.at).toBe(alertAt + 61 * MIN);
  });
});
