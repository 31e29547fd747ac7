/**
 * Working-condition and power signals (issue 16; docs/working-condition.md): what a facility's
 * logger sends about whether production and treatment run, besides the outlet's emissions.
 *
 * HJ 212-2017 has no factor codes for them, so the product uses its own, in the style of the
 * vapour-recovery codes (`avr01` = nozzle 1): a three-letter family and the facility's two-digit
 * channel on its logger, e.g. `gkw03` = power of the facility on channel 03. A facility in the
 * registry names the logger (`mn`) and the `channel` its signals come on; rules and screens find
 * a facility's signals from those two. HJ 212 CN 2021 equipment state (`SB3-RS=1`) maps to the
 * running-state family of the same channel (`grs03`).
 */

export interface SignalFamily {
  family: string;
  zh: string;
  en: string;
  unit: string;
  /** Unit of the `cou` (cumulative) field, where it differs. */
  couUnit?: string;
  decimals: number;
  /** A state coded as small integers rather than a measurement (the values are named below). */
  states?: Readonly<Record<number, { zh: string; en: string }>>;
}

/** HJ 212-2017 CN 2021 running states (`SBn-RS`). */
export const RUNNING_STATES: Readonly<Record<number, { zh: string; en: string }>> = {
  0: { zh: '停运', en: 'stopped' },
  1: { zh: '运行', en: 'running' },
  2: { zh: '校准', en: 'calibrating' },
  3: { zh: '维护', en: 'maintenance' },
  4: { zh: '报警', en: 'alarm' },
  5: { zh: '反吹', en: 'back-flushing' },
};

export const SIGNAL_FAMILIES: readonly SignalFamily[] = [
  { family: 'grs', zh: '运行状态', en: 'Running state', unit: '', decimals: 0, states: RUNNING_STATES },
  { family: 'gkw', zh: '用电功率', en: 'Power', unit: 'kW', couUnit: 'kWh', decimals: 2 },
  { family: 'gia', zh: '运行电流', en: 'Current', unit: 'A', decimals: 1 },
  { family: 'gtc', zh: '燃烧温度', en: 'Combustion temperature', unit: '°C', decimals: 0 },
  { family: 'gdp', zh: '吸附床压差', en: 'Adsorber differential pressure', unit: 'Pa', decimals: 0 },
  { family: 'gqr', zh: '还原剂流量', en: 'Reductant flow', unit: 'kg/h', decimals: 2 },
  { family: 'gvp', zh: '阀门开度', en: 'Valve position', unit: '%', decimals: 0 },
  {
    family: 'gbv',
    zh: '旁路阀状态',
    en: 'Bypass valve',
    unit: '',
    decimals: 0,
    states: { 0: { zh: '关闭', en: 'closed' }, 1: { zh: '开启', en: 'open' } },
  },
  {
    family: 'gsl',
    zh: '旁路铅封状态',
    en: 'Bypass seal',
    unit: '',
    decimals: 0,
    states: { 0: { zh: '完好', en: 'intact' }, 1: { zh: '破损', en: 'broken' } },
  },
  { family: 'gqf', zh: '火炬气流量', en: 'Flare gas flow', unit: 'm³/h', couUnit: 'm³', decimals: 1 },
  { family: 'gqa', zh: '助燃气流量', en: 'Assist gas flow', unit: 'm³/h', couUnit: 'm³', decimals: 1 },
  {
    family: 'gpf',
    zh: '长明灯状态',
    en: 'Pilot flame',
    unit: '',
    decimals: 0,
    states: { 0: { zh: '熄灭', en: 'out' }, 1: { zh: '点燃', en: 'lit' } },
  },
];

/** The family keys, for code that switches on them. */
export const SIGNAL = {
  runningState: 'grs',
  power: 'gkw',
  current: 'gia',
  combustionTemp: 'gtc',
  adsorberDp: 'gdp',
  reductantFlow: 'gqr',
  valvePosition: 'gvp',
  bypassValve: 'gbv',
  bypassSeal: 'gsl',
  flareGasFlow: 'gqf',
  assistGasFlow: 'gqa',
  pilotFlame: 'gpf',
} as const;
export type SignalFamilyKey = (typeof SIGNAL)[keyof typeof SIGNAL];

const BY_FAMILY = new Map(SIGNAL_FAMILIES.map((f) => [f.family, f]));
const SIGNAL_CODE = /^(g[a-z]{2})(\d{2})$/;
/** A facility's channel on its logger: two digits, 01–99. */
export const CHANNEL_PATTERN = /^(0[1-9]|[1-9]\d)$/;

/** The code of a facility's signal: family + channel (`gkw` + `03` → `gkw03`). */
export const signalCode = (family: SignalFamilyKey, channel: string): string => `${family}${channel}`;

/** A signal code's family and channel, or undefined when it is not one. */
export function parseSignalCode(code: string): { family: SignalFamily; channel: string } | undefined {
  const m = SIGNAL_CODE.exec(code);
  if (!m) return undefined;
  const family = BY_FAMILY.get(m[1] as string);
  const channel = m[2] as string;
  return family && CHANNEL_PATTERN.test(channel) ? { family, channel } : undefined;
}

/** The signal code an HJ 212 CN 2021 equipment-state key maps to (`SB3` → `grs03`), or undefined. */
export function equipmentStateCode(equipment: string): string | undefined {
  const m = /^SB(\d{1,2})$/.exec(equipment);
  if (!m) return undefined;
  const channel = (m[1] as string).padStart(2, '0');
  return CHANNEL_PATTERN.test(channel) ? signalCode(SIGNAL.runningState, channel) : undefined;
}

/**
 * What the facility engine (issue 16) knows of a facility now: whether it runs, since when, and
 * its latest signal values. Rules that need records (declared stops, adsorbent replacements,
 * filed start/stop plans) read these through the facility states port rather than the readings.
 */
export interface FacilityRunState {
  facilityId: string;
  enterpriseId: string;
  /** Undefined while nothing fresh says either way (no signal within two reporting intervals). */
  running: boolean | undefined;
  /** Epoch ms the current running state began (the first sample showing it). */
  since: number | undefined;
  /** Latest value per signal family, with its sample time. */
  latest: Partial<Record<SignalFamilyKey, { value: number; ts: number }>>;
}
