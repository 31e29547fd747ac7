/**
 * Pollutant and parameter catalog: HJ 212-2017 factor codes, their HJ 212-2005 legacy codes and
 * units (DOMAIN.md §2). Vapour-recovery codes are not in the standard's table; the codes used here
 * (`avr01`-style per-nozzle A/L, `apr01` tank pressure) are this product's, documented in the README.
 * So are the safety-device codes (DOMAIN §1: bypasses must stay closed, flares need combustion
 * temperature monitoring): `abp01` flow on an emergency bypass, `aft01` flare combustion temperature.
 * Catering fumes have no HJ 212 code either: `afm01` is the product's. Working-condition and power
 * signals (`gkw03`: power of the facility on channel 03) resolve through working-condition.ts.
 */
import type { SourceKind } from './source-kinds';
import { parseSignalCode } from './working-condition';

export interface Factor {
  code: string;
  legacy?: string;
  zh: string;
  en: string;
  unit: string;
  /** Unit of the `cou` (cumulative) field, where it differs. */
  couUnit?: string;
  /** A flue-gas pollutant whose limit applies to the value converted to reference O2 (DOMAIN §5). */
  o2Converted?: boolean;
  /**
   * Decimals reports and exports round its values to (GB/T 8170 rounding). The product's defaults
   * after the HJ 212 / HJ 75 conventions: flue-gas concentrations and O2 to 2, temperature and
   * humidity to 1, ambient µg/m³ to whole numbers (HJ 663), pressures in Pa to whole numbers.
   */
  decimals?: number;
  /** The unit where a source kind sends it in another (an ambient station's SO2 in µg/m³, DOMAIN §2). */
  unitByKind?: Partial<Record<SourceKind, string>>;
}

const FACTORS: readonly Factor[] = [
  { code: 'a00000', legacy: 'B02', zh: '烟气流量', en: 'Flue-gas flow', unit: 'm³/s', couUnit: 'm³', decimals: 2 },
  { code: 'a01011', legacy: 'S02', zh: '烟气流速', en: 'Velocity', unit: 'm/s', decimals: 2 },
  { code: 'a01012', legacy: 'S03', zh: '烟气温度', en: 'Temperature', unit: '°C', decimals: 1 },
  { code: 'a01013', legacy: 'S08', zh: '烟气静压', en: 'Static pressure', unit: 'kPa', decimals: 3 },
  { code: 'a01016', zh: '烟道截面积', en: 'Flue cross-section', unit: 'm²', decimals: 2 },
  { code: 'a01017', zh: '烟气动压', en: 'Dynamic pressure', unit: 'kPa', decimals: 3 },
  { code: 'a01014', legacy: 'S05', zh: '烟气湿度', en: 'Humidity', unit: '%', decimals: 1 },
  { code: 'a19001', legacy: 'S01', zh: '氧含量', en: 'O2', unit: '%', decimals: 2 },
  { code: 'a34013', legacy: '01', zh: '颗粒物', en: 'Particulate', unit: 'mg/m³', couUnit: 'kg', o2Converted: true, decimals: 2 },
  {
    code: 'a21026',
    legacy: '02',
    zh: '二氧化硫',
    en: 'SO2',
    unit: 'mg/m³',
    couUnit: 'kg',
    o2Converted: true,
    decimals: 2,
    unitByKind: { ambient: 'µg/m³' },
  },
  { code: 'a21002', legacy: '03', zh: '氮氧化物', en: 'NOx (as NO2)', unit: 'mg/m³', couUnit: 'kg', o2Converted: true, decimals: 2 },
  { code: 'a21003', zh: '一氧化氮', en: 'NO', unit: 'mg/m³', decimals: 2 },
  { code: 'a21005', legacy: '04', zh: '一氧化碳', en: 'CO', unit: 'mg/m³', decimals: 2 },
  { code: 'a21018', zh: '氟化物', en: 'Fluoride', unit: 'mg/m³', decimals: 2 },
  { code: 'a21024', zh: '氯化氢', en: 'HCl', unit: 'mg/m³', decimals: 2 },
  { code: 'a21001', legacy: '10', zh: '氨（氨逃逸）', en: 'NH3 (ammonia slip)', unit: 'mg/m³', decimals: 2 },
  { code: 'a24088', zh: '非甲烷总烃', en: 'NMHC', unit: 'mg/m³', couUnit: 'kg', decimals: 2 },
  { code: 'a24087', legacy: '25', zh: '总烃', en: 'Total hydrocarbons', unit: 'mg/m³', decimals: 2 },
  { code: 'a05002', zh: '甲烷', en: 'Methane', unit: 'mg/m³', decimals: 2 },
  { code: 'a25002', zh: '苯', en: 'Benzene', unit: 'mg/m³', decimals: 3 },
  { code: 'a25003', legacy: '17', zh: '甲苯', en: 'Toluene', unit: 'mg/m³', decimals: 3 },
  { code: 'a25005', legacy: '18', zh: '二甲苯', en: 'Xylene', unit: 'mg/m³', decimals: 3 },
  // Ambient air-quality stations (µg/m³ except CO; SO2 and CO share the stack codes above).
  { code: 'a05024', zh: '臭氧', en: 'O3', unit: 'µg/m³', decimals: 0 },
  { code: 'a21004', zh: '二氧化氮', en: 'NO2', unit: 'µg/m³', decimals: 0 },
  { code: 'a34004', zh: 'PM2.5', en: 'PM2.5', unit: 'µg/m³', decimals: 0 },
  { code: 'a34002', zh: 'PM10', en: 'PM10', unit: 'µg/m³', decimals: 0 },
  // Construction-site dust monitors (HJ 212 ST 39) send TSP and PM10 at the boundary in µg/m³.
  { code: 'a34001', zh: '总悬浮颗粒物', en: 'TSP', unit: 'µg/m³', decimals: 0 },
  // Meteorology at an ambient station (HJ 212-2017): wind direction is where the wind comes from.
  { code: 'a01008', zh: '风向', en: 'Wind direction', unit: '°', decimals: 0 },
  { code: 'a01007', zh: '风速', en: 'Wind speed', unit: 'm/s', decimals: 1 },
  // The hourly AQI of an ambient station (HJ 633; not an HJ 212 code): what a hotspot alert on the AQI is about.
  { code: 'aqi', zh: '空气质量指数', en: 'AQI', unit: '', decimals: 0 },
  // Vapour recovery (GB 20952-2020): per-nozzle A/L ratio and system pressure.
  { code: 'avr01', zh: '1号枪气液比', en: 'Nozzle 1 A/L ratio', unit: '', decimals: 2 },
  { code: 'avr02', zh: '2号枪气液比', en: 'Nozzle 2 A/L ratio', unit: '', decimals: 2 },
  { code: 'avr03', zh: '3号枪气液比', en: 'Nozzle 3 A/L ratio', unit: '', decimals: 2 },
  { code: 'avr04', zh: '4号枪气液比', en: 'Nozzle 4 A/L ratio', unit: '', decimals: 2 },
  { code: 'apr01', zh: '油罐压力', en: 'Tank pressure', unit: 'Pa', decimals: 0 },
  { code: 'apr02', zh: '管线压力', en: 'Line pressure', unit: 'Pa', decimals: 0 },
  // Safety devices (product codes, not in HJ 212): a declared-closed emergency bypass's flow meter
  // and a flare's (or thermal oxidiser's) combustion temperature.
  { code: 'abp01', zh: '旁路烟气流量', en: 'Emergency bypass flow', unit: 'm³/s', couUnit: 'm³', decimals: 2 },
  { code: 'aft01', zh: '火炬燃烧温度', en: 'Flare combustion temperature', unit: '°C', decimals: 0 },
  // Catering fumes (餐饮油烟, product code): the purifier outlet's fume concentration.
  { code: 'afm01', zh: '油烟浓度', en: 'Cooking fume', unit: 'mg/m³', decimals: 2 },
];

const BY_CODE = new Map(FACTORS.map((f) => [f.code, f]));
const BY_LEGACY = new Map(FACTORS.filter((f) => f.legacy).map((f) => [f.legacy as string, f]));
/** Signal codes met so far, as factors (bounded: 12 families × 99 channels). */
const SIGNALS = new Map<string, Factor>();

/** A working-condition signal code as a factor (`gkw03` → 用电功率, kW), or undefined. */
function signalFactor(code: string): Factor | undefined {
  const known = SIGNALS.get(code);
  if (known) return known;
  const parsed = parseSignalCode(code);
  if (!parsed) return undefined;
  const { family } = parsed;
  const f: Factor = {
    code,
    zh: family.zh,
    en: family.en,
    unit: family.unit,
    decimals: family.decimals,
    ...(family.couUnit ? { couUnit: family.couUnit } : {}),
  };
  SIGNALS.set(code, f);
  return f;
}

const lookup = (code: string): Factor | undefined => BY_CODE.get(code) ?? signalFactor(code);

export const catalog = {
  /** The fixed factors (working-condition signals are per channel: see working-condition.ts). */
  all: (): readonly Factor[] => FACTORS,
  get: lookup,
  has: (code: string): boolean => lookup(code) !== undefined,
  /** Maps an HJ 212-2005 code (e.g. `03`) to the 2017 factor. */
  fromLegacy: (legacy: string): Factor | undefined => BY_LEGACY.get(legacy),
};

/** The unit a source of this kind sends the factor in ('' for a code not in the catalog). */
export const factorUnitOf = (code: string, kind?: SourceKind): string => {
  const f = lookup(code);
  return (kind !== undefined ? f?.unitByKind?.[kind] : undefined) ?? f?.unit ?? '';
};

/** Decimals a factor's values are reported with (3 for a code not in the catalog). */
export const factorDecimals = (code: string): number => lookup(code)?.decimals ?? 3;

/** The O2 factor code, used for reference-oxygen conversion. */
export const O2_FACTOR = 'a19001';
/** The flue-gas flow factor code (m³/s). */
export const FLOW_FACTOR = 'a00000';
