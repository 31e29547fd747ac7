/**
 * Scenarios: what happens to which source, and when. A scenario is a list of events, each an
 * effect on one source (by MN) active from `startS` seconds after the fleet starts, for
 * `durationS` seconds, repeating every `everyS` seconds if set. Pure data plus pure functions.
 */
import type { DataFlag } from '../server/domain/reading';
import type { Registry, Source } from '../server/domain/registry';
import type { SourceKind } from '../server/domain/source-kinds';
import type { FacilityCondition, FacilityConditions } from './kinds/facility';
import { KIND_FACTORS } from './kinds/index';
import { PRIMARY_FACTOR } from './limits';

export const SCENARIO_NAMES = ['normal', 'exceedance', 'offline', 'flatline', 'maintenance', 'malformed', 'demo'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export type Effect =
  /** Force a factor above its limit: `value`, or 1.15–1.5 × the limit (on zs where converted). */
  | { type: 'exceedance'; factor: string; value?: number }
  /** The logger stops publishing. */
  | { type: 'offline' }
  /** A factor stuck at `value`, or at the value it had when the event began. */
  | { type: 'flatline'; factor: string; value?: number }
  /** Every factor flagged (M maintenance, C calibration, D fault...). */
  | { type: 'flag'; flag: DataFlag }
  /** Broken payloads published besides the normal data. */
  | { type: 'malformed' }
  /** A registered facility on this logger switched off or on, cooled, its reductant stopped... (kinds/facility.ts). */
  | { type: 'facility'; facility: string; condition: FacilityCondition }
  /** Factors multiplied (noise kept): a dust episode at a site boundary. */
  | { type: 'scale'; factors: readonly string[]; times: number };

export interface ScenarioEvent {
  mn: string;
  effect: Effect;
  /** Seconds after the fleet started. */
  startS: number;
  /** Seconds the event lasts; Infinity until the fleet stops. */
  durationS: number;
  /** Repeat period in seconds; absent: the event happens once. */
  everyS?: number;
  /** The demo upset this event belongs to (an upset may take several events). */
  upset?: string;
}

export interface Scenario {
  name: string;
  events: readonly ScenarioEvent[];
}

/** Knobs of the single-event scenarios (CLI --mn --factor --value --start --duration --every). */
export interface ScenarioKnobs {
  mn?: string;
  factor?: string;
  value?: number;
  startS?: number;
  durationS?: number;
  everyS?: number;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export function isActive(event: ScenarioEvent, elapsedMs: number): boolean {
  let t = elapsedMs / 1000 - event.startS;
  if (t < 0) return false;
  if (event.everyS !== undefined) t %= event.everyS;
  return t < event.durationS;
}

/** The effects on source `mn` at `elapsedMs` after the fleet started. */
export function activeEffects(scenario: Scenario, mn: string, elapsedMs: number): Effect[] {
  return scenario.events.filter((e) => e.mn === mn && isActive(e, elapsedMs)).map((e) => e.effect);
}

/** The facility conditions among a logger's effects, per facility id. */
export function facilityConditions(effects: readonly Effect[]): FacilityConditions {
  const out = new Map<string, FacilityCondition[]>();
  for (const e of effects) if (e.type === 'facility') out.set(e.facility, [...(out.get(e.facility) ?? []), e.condition]);
  return out;
}

/**
 * The demo sources by MN in config/registry.yaml (Chaoyang); another registry falls back to the first
 * source of each kind (the first with a declared bypass, the first flare).
 */
export const DEMO_TARGETS = {
  /** 北票示范水泥 窑尾SNCR出口 */
  ammoniaSlip: '211300NH3000000000000003',
  /** 朝阳示范集中供热 燃气调峰锅炉 */
  noxBoiler: '211300CEMS00000000000027',
  /** 双塔示范汽车零部件 喷涂线排口 */
  maintenance: '211300VOCS00000000000012',
  /** 朝阳示范成品油库 发油台油气回收 */
  offline: '211300VRS000000000000007',
  /** 凌源示范焦化 焦炉烟囱 (declared bypass, sealed) */
  bypass: '211300CEMS00000000000010',
  /** 柳城示范化工 工艺尾气火炬 */
  flare: '211300VOCS00000000000006',
} as const;

/** Bypass flow the demo opens (m³/s) and the flare temperature it lets drop to (°C, under the 760 °C minimum). */
const DEMO_BYPASS_FLOW = 2.4;
const DEMO_FLARE_COLD = 640;

type Timing = Pick<ScenarioEvent, 'startS' | 'durationS' | 'everyS'>;

/** Default target (an MN, else the first source of a kind, else the first source) and timing. */
const SINGLE: Record<Exclude<ScenarioName, 'normal' | 'demo'>, { target?: { kind?: SourceKind; mn?: string }; timing: Timing }> = {
  exceedance: { target: { mn: DEMO_TARGETS.ammoniaSlip, kind: 'ammonia' }, timing: { startS: 0, durationS: 120, everyS: 600 } },
  offline: { timing: { startS: 60, durationS: 300 } },
  flatline: { timing: { startS: 0, durationS: Infinity } },
  maintenance: { timing: { startS: 0, durationS: 600 } },
  malformed: { timing: { startS: 0, durationS: Infinity } },
};

function targetSource(registry: Registry, mn: string | undefined, preferred: { kind?: SourceKind; mn?: string }): Source {
  if (mn !== undefined) {
    const found = registry.sources.find((s) => s.mn === mn);
    if (!found) throw new ScenarioError(`MN "${mn}" is not in the registry`);
    return found;
  }
  const first =
    registry.sources.find((s) => s.mn === preferred.mn) ?? registry.sources.find((s) => s.kind === preferred.kind) ?? registry.sources[0];
  if (!first) throw new ScenarioError('the registry has no sources');
  return first;
}

function targetFactor(source: Source, factor: string | undefined): string {
  const code = factor ?? PRIMARY_FACTOR[source.kind];
  if (!KIND_FACTORS[source.kind].includes(code)) {
    throw new ScenarioError(
      `source ${source.mn} (${source.kind}) does not report factor "${code}"; it reports ${KIND_FACTORS[source.kind].join(', ')}`,
    );
  }
  return code;
}

function singleEffect(name: keyof typeof SINGLE, source: Source, knobs: ScenarioKnobs): Effect {
  switch (name) {
    case 'exceedance':
      return { type: 'exceedance', factor: targetFactor(source, knobs.factor), value: knobs.value };
    case 'flatline':
      return { type: 'flatline', factor: targetFactor(source, knobs.factor), value: knobs.value };
    case 'offline':
      return { type: 'offline' };
    case 'maintenance':
      return { type: 'flag', flag: 'M' };
    case 'malformed':
      return { type: 'malformed' };
  }
}

/** Builds a named scenario for a registry. Throws ScenarioError for an unknown MN or factor. */
export function buildScenario(name: ScenarioName, registry: Registry, knobs: ScenarioKnobs = {}): Scenario {
  if (name === 'normal') return { name, events: [] };
  if (name === 'demo') return demoScenario(registry);
  const { target, timing } = SINGLE[name];
  const source = targetSource(registry, knobs.mn, target ?? {});
  const event: ScenarioEvent = {
    mn: source.mn,
    effect: singleEffect(name, source, knobs),
    startS: knobs.startS ?? timing.startS,
    durationS: knobs.durationS ?? timing.durationS,
    everyS: knobs.everyS ?? timing.everyS,
  };
  return { name, events: [event] };
}

function demoSource(registry: Registry, mn: string, fallback: SourceKind | ((s: Source) => boolean)): Source | undefined {
  const alike = typeof fallback === 'string' ? (s: Source) => s.kind === fallback : fallback;
  return registry.sources.find((s) => s.mn === mn) ?? registry.sources.find(alike);
}

/**
 * The `npm start` schedule (times after start): ammonia slip on the cement kiln's SNCR outlet above
 * 8 mg/m³ from 20 s for 2 min, every 10 min; NOx on the gas boiler above 50 mg/m³ (converted) from
 * 4 min for 1 min, every 15 min; the paint shop's VOCs monitor in maintenance (M) from 7 min for
 * 90 s, every 20 min; the fuel depot's logger offline from 9 min for 2.5 min, every 30 min; the
 * coke oven's sealed bypass carrying 2.4 m³/s (bypass, critical) from 11 min for 2 min, every 30 min;
 * the chemical plant's flare at 640 °C (flare-temperature, after 5 min below 760 °C) from 13 min for
 * 7 min, every 40 min.
 */
export function demoScenario(registry: Registry): Scenario {
  const plan: Array<{ source: Source | undefined; effect: Effect; timing: Timing }> = [
    {
      source: demoSource(registry, DEMO_TARGETS.ammoniaSlip, 'ammonia'),
      effect: { type: 'exceedance', factor: 'a21001' },
      timing: { startS: 20, durationS: 120, everyS: 600 },
    },
    {
      source: demoSource(registry, DEMO_TARGETS.noxBoiler, 'cems'),
      effect: { type: 'exceedance', factor: 'a21002' },
      timing: { startS: 240, durationS: 60, everyS: 900 },
    },
    {
      source: demoSource(registry, DEMO_TARGETS.maintenance, 'vocs'),
      effect: { type: 'flag', flag: 'M' },
      timing: { startS: 420, durationS: 90, everyS: 1200 },
    },
    {
      source: demoSource(registry, DEMO_TARGETS.offline, 'vapour'),
      effect: { type: 'offline' },
      timing: { startS: 540, durationS: 150, everyS: 1800 },
    },
    {
      source: demoSource(registry, DEMO_TARGETS.bypass, (s) => s.bypass !== undefined),
      effect: { type: 'exceedance', factor: 'abp01', value: DEMO_BYPASS_FLOW },
      timing: { startS: 660, durationS: 120, everyS: 1800 },
    },
    {
      source: demoSource(registry, DEMO_TARGETS.flare, (s) => s.flare === true),
      effect: { type: 'exceedance', factor: 'aft01', value: DEMO_FLARE_COLD },
      timing: { startS: 780, durationS: 420, everyS: 2400 },
    },
  ];
  const events: ScenarioEvent[] = plan.flatMap(({ source, effect, timing }) => (source ? [{ mn: source.mn, effect, ...timing }] : []));
  return { name: 'demo', events: [...events, ...demoUpsetEvents(registry)] };
}

/** The demo facilities (config/registry.yaml) the working-condition upsets act on. */
export const DEMO_FACILITIES = {
  /** 柳城示范化工 合成车间 and its RTO (工况 logger 211300GKJK00000000000001, channels 01 and 02). */
  line: 'liucheng-chem-line1',
  rto: 'liucheng-chem-rto',
  /** 柳城示范化工 工艺尾气地面火炬 (channel 03). */
  flare: 'liucheng-chem-flare',
  /** 双塔示范汽车零部件 沸石转轮+RCO (on its outlet's own VOCs logger, channel 02). */
  rco: 'shuangta-autoparts-rco',
  /** 朝阳示范热电 1号机组 SCR and wet FGD (工况 logger 211300GKJK00000000000002), 2号机组 in a declared stop. */
  scr: 'chaoyang-power-scr1',
  fgd: 'chaoyang-power-fgd1',
  stoppedUnit: 'chaoyang-power-unit2',
  /** 朝阳示范集中供热 燃气调峰锅炉 and its FGR (on the boiler's CEMS logger, channels 01 and 02). */
  fgr: 'city-heating-fgr',
  /** 双塔区示范酒家 排烟风机 and 油烟净化器 (on the kitchen's catering logger). */
  kitchenFan: 'shuangta-restaurant-fan',
  purifier: 'shuangta-restaurant-purifier',
} as const;

/** The outlets whose emissions the upsets move with the facility, and the construction site. */
export const DEMO_UPSET_SOURCES = {
  /** 朝阳示范热电 1号机组烟囱 (NOx) and 1号机组SCR出口 (NH3 slip). */
  scrStack: '211300CEMS00000000000001',
  scrSlip: '211300NH3000000000000001',
  /** 朝阳示范集中供热 燃气调峰锅炉 (NOx). */
  fgrStack: '211300CEMS00000000000027',
  /** 龙城示范建设工程 工地扬尘监测点. */
  dust: '211300YCJC00000000000001',
  /** 柳城示范化工 工艺尾气火炬 (aft01). */
  flare: '211300VOCS00000000000006',
} as const;

/** The working-condition upsets, each named by the rule it should fire (rule-ids.ts) or what it shows. */
export const DEMO_UPSETS = [
  'start-order',
  'combustion-temp-low',
  'bypass-open',
  'flare-upset',
  'reductant-stopped',
  'treatment-off',
  'declared-stop-running',
  'fgr-closed',
  'catering-purifier-off',
  'dust-mean',
] as const;
export type DemoUpset = (typeof DEMO_UPSETS)[number];

/** The demo's upsets repeat every hour. */
const UPSET_EVERY_S = 3600;
/** The demo's declared stop of 2号机组 lasts the first 30 min of every hour. */
export const DEMO_DECLARED_STOP_S = 1800;
/** How long 2号机组 runs in its declared stop, and the SCR's reductant stays off: the demo's 5-min waits (demo-pack.ts) + 2 min. */
const DEMO_STOP_RUNS_S = 420;
const REDUCTANT_OFF_S = 420;
const DUST_EPISODE_TIMES = 5;
const FLARE_UPSET_AFT = 620;

/**
 * The working-condition upsets of the demo, begun within the first ten minutes, each lasting its
 * rule's wait in the demo (the pack's default, config/rules/rules.yaml, or the demo's shorter one,
 * demo-pack.ts) with two minutes to spare, then recovering (times after start, repeating every hour):
 * 0:00 start-order — 合成车间 and its RTO stopped; the line starts at 1:30 (a start the demo's filed
 *      plan does not list: unplanned-start-stop, judged all year in the demo), the RTO only at 4:00;
 * 0:00 reductant-stopped — 1号机组's SCR reductant at 0 (NH3 slip 0) while the stack's NOx exceeds, 7 min (demo rule: 5);
 * 0:00 declared-stop-running — 2号机组 (declared stopped 0:00–30:00) runs until 7:00 (demo rule: 5 min), then stops;
 * 0:00 dust-mean — PM10/TSP at the site boundary × 5 for 30 min (judged as each local quarter-hour closes);
 * 0:30 combustion-temp-low — the RCO's fan runs 90 °C under its 300 °C minimum for 7 min (rule: 5);
 * 2:00 bypass-open — 1号机组's FGD bypass valve open and seal broken for 4 min (at once);
 * 2:30 catering-purifier-off — the kitchen fan on with the purifier off (fumes 3.5–6.5 mg/m³), 7 min (rule: 5);
 * 3:00 flare-upset — a relief load to the flare with no assist gas, flame 620 °C, for 7 min (rule: 2);
 * 3:00 fgr-closed — the peak boiler's FGR valve closed while it fires, NOx exceeding, 7 min (rule: 5);
 * 4:30 treatment-off — the RTO off again while 合成车间 runs, 7 min (rule: 5).
 * The 5-min demo waits fire at about 5:00; the dust one when the first local quarter-hour inside the
 * episode with 12 valid minutes closes (its end + 5 min grace: 17–32 min after start).
 * An upset whose facility or source is not in the registry is left out.
 */
export function demoUpsetEvents(registry: Registry): ScenarioEvent[] {
  const facilities = new Map((registry.facilities ?? []).map((f) => [f.id, f]));
  const mns = new Set(registry.sources.map((s) => s.mn));
  const out: ScenarioEvent[] = [];
  const every = { everyS: UPSET_EVERY_S };
  const onFacility = (upset: DemoUpset, id: string, condition: FacilityCondition, startS: number, durationS: number): boolean => {
    const mn = facilities.get(id)?.mn;
    if (mn === undefined || !mns.has(mn)) return false;
    out.push({ mn, effect: { type: 'facility', facility: id, condition }, startS, durationS, ...every, upset });
    return true;
  };
  const onSource = (upset: DemoUpset, mn: string, effect: Effect, startS: number, durationS: number): void => {
    if (mns.has(mn)) out.push({ mn, effect, startS, durationS, ...every, upset });
  };
  const F = DEMO_FACILITIES;
  const S = DEMO_UPSET_SOURCES;
  onFacility('start-order', F.line, 'off', 0, 90);
  onFacility('start-order', F.rto, 'off', 0, 240);
  onFacility('combustion-temp-low', F.rco, 'cold', 30, 420);
  onFacility('bypass-open', F.fgd, 'bypass-open', 120, 240);
  if (onFacility('flare-upset', F.flare, 'flare-upset', 180, 420)) {
    onSource('flare-upset', S.flare, { type: 'exceedance', factor: 'aft01', value: FLARE_UPSET_AFT }, 180, 420);
  }
  if (onFacility('reductant-stopped', F.scr, 'reductant-off', 0, REDUCTANT_OFF_S)) {
    onSource('reductant-stopped', S.scrStack, { type: 'exceedance', factor: 'a21002' }, 0, REDUCTANT_OFF_S);
    onSource('reductant-stopped', S.scrSlip, { type: 'flatline', factor: 'a21001', value: 0 }, 0, REDUCTANT_OFF_S);
  }
  onFacility('treatment-off', F.rto, 'off', 270, 420);
  // The unit runs (its normal state) through the first 7 min of its declared stop, then stops until the stop ends.
  onFacility('declared-stop-running', F.stoppedUnit, 'off', DEMO_STOP_RUNS_S, DEMO_DECLARED_STOP_S - DEMO_STOP_RUNS_S);
  if (onFacility('fgr-closed', F.fgr, 'valve-closed', 180, 420)) {
    onSource('fgr-closed', S.fgrStack, { type: 'exceedance', factor: 'a21002' }, 180, 420);
  }
  if (onFacility('catering-purifier-off', F.purifier, 'off', 150, 420)) {
    onFacility('catering-purifier-off', F.kitchenFan, 'on', 150, 420);
  }
  onSource('dust-mean', S.dust, { type: 'scale', factors: ['a34002', 'a34001'], times: DUST_EPISODE_TIMES }, 0, 1800);
  return out;
}
