import { describe, expect, it } from 'vitest';
import { maintenanceQuiets, reviewDeclaration, type Declaration, type Declarer, type ReviewOutcome } from './maintenance-review';
import { RULE_IDS } from './rule-pack';

const H = 3_600_000;
const NOW = 1_000 * H;
const policy = { autoApproveMaxMs: 24 * H, officerBackdateMaxMs: 6 * H };
const ok = (status: 'approved' | 'pending'): ReviewOutcome => ({ ok: true, status });
const no = (field: 'from' | 'to', message: string): ReviewOutcome => ({ ok: false, field, message });

describe('review of a maintenance declaration', () => {
  const M = 60_000;
  it.each<[string, Declaration, Declarer, ReviewOutcome]>([
    ['enterprise, one outlet, 2 h from now → in effect', { mn: 'M1', from: NOW, to: NOW + 2 * H }, 'enterprise', ok('approved')],
    ['enterprise, one outlet, exactly 24 h → in effect', { mn: 'M1', from: NOW + H, to: NOW + 25 * H }, 'enterprise', ok('approved')],
    ['enterprise, one outlet, 24 h + 1 ms → pending', { mn: 'M1', from: NOW + H, to: NOW + 25 * H + 1 }, 'enterprise', ok('pending')],
    ['enterprise, whole company, 1 h → pending', { mn: null, from: NOW, to: NOW + H }, 'enterprise', ok('pending')],
    ['enterprise, whole company, 31 days → pending', { mn: null, from: NOW, to: NOW + 31 * 24 * H }, 'enterprise', ok('pending')],
    ['enterprise, 4 min ago (clock skew) → in effect', { mn: 'M1', from: NOW - 4 * M, to: NOW + H }, 'enterprise', ok('approved')],
    ['enterprise, 6 min ago → refused', { mn: 'M1', from: NOW - 6 * M, to: NOW + H }, 'enterprise', no('from', 'must not be in the past')],
    [
      'enterprise, change keeping a past start → whole length judged',
      { mn: 'M1', from: NOW - 2 * H, to: NOW + H, keepsStart: true },
      'enterprise',
      ok('approved'),
    ],
    [
      'enterprise, change keeping a past start, too long → pending',
      { mn: 'M1', from: NOW - 2 * H, to: NOW + 23 * H, keepsStart: true },
      'enterprise',
      ok('pending'),
    ],
    ['bureau, whole company, 31 days → in effect', { mn: null, from: NOW, to: NOW + 31 * 24 * H }, 'bureau', ok('approved')],
    ['bureau, started 6 h ago → in effect', { mn: 'M1', from: NOW - 6 * H, to: NOW + H }, 'bureau', ok('approved')],
    [
      'bureau, 6 h + 1 ms ago → refused',
      { mn: 'M1', from: NOW - 6 * H - 1, to: NOW + H },
      'bureau',
      no('from', 'may start at most 6 h in the past'),
    ],
    ['31 days + 1 ms → refused', { mn: null, from: NOW, to: NOW + 31 * 24 * H + 1 }, 'bureau', no('to', 'a window lasts at most 31 days')],
    ['ends before it starts → refused', { mn: 'M1', from: NOW + 2 * H, to: NOW + H }, 'enterprise', no('from', 'must be before to')],
    ['already over → refused', { mn: 'M1', from: NOW - 3 * H, to: NOW }, 'bureau', no('to', 'must be in the future')],
  ])('%s', (_name, d, by, expected) => {
    expect(reviewDeclaration(d, by, NOW, policy)).toEqual(expected);
  });
});

describe('what a maintenance window may quiet', () => {
  // Every rule the engine knows is in this table: a new rule must be placed on one side on purpose.
  it.each<[string, boolean]>([
    ['limit', true],
    [RULE_IDS.limitInstant, true],
    [RULE_IDS.limitHour, true],
    [RULE_IDS.limitDay, true],
    [RULE_IDS.maintenanceFlag, true],
    [RULE_IDS.removalEfficiency, true],
    [RULE_IDS.alRatio, true],
    [RULE_IDS.tankPressure, true],
    [RULE_IDS.flareTemperature, true],
    [RULE_IDS.bypass, false],
    [RULE_IDS.offline, false],
    [RULE_IDS.instrumentFault, false],
    [RULE_IDS.flatLine, false],
    [RULE_IDS.overRange, false],
    [RULE_IDS.zsMismatch, false],
    [RULE_IDS.o2Ambient, false],
    [RULE_IDS.nearLimit, false],
    [RULE_IDS.copiedData, false],
    [RULE_IDS.stepDrop, false],
    [RULE_IDS.noRawHj212, false],
    [RULE_IDS.relay, false],
    // Ambient air (issue 17): a station's own approved maintenance window quiets them like a limit.
    [RULE_IDS.aqiOffScale, true],
    [RULE_IDS.hotspot, true],
    [RULE_IDS.ozone8h, true],
    // Working condition (issue 16): never; construction dust quiets like a limit.
    [RULE_IDS.treatmentOff, false],
    [RULE_IDS.startOrder, false],
    [RULE_IDS.reductantStopped, false],
    [RULE_IDS.combustionTempLow, false],
    [RULE_IDS.flareUpset, false],
    [RULE_IDS.fgrClosed, false],
    [RULE_IDS.bypassOpen, false],
    [RULE_IDS.declaredStopRunning, false],
    [RULE_IDS.adsorbentOverdue, false],
    [RULE_IDS.unplannedStartStop, false],
    [RULE_IDS.dustMean, true],
    [RULE_IDS.measureNoncompliance, false],
  ])('%s → %s', (rule, quiets) => {
    expect(maintenanceQuiets(rule)).toBe(quiets);
  });

  it('the table covers every rule id', () => {
    expect(Object.values(RULE_IDS).length).toBe(35);
  });
});
