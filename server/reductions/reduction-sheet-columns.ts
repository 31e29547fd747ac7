/**
 * The columns of the bureau's reduction-list workbook (issue 18): one row per entry — the
 * enterprise, the year, the entry — then per level (黄色/橙色/红色) the measure, the load kept, the
 * daily window, the description, the key indicators and the expected reductions in kg/h. How each
 * cell reads and writes (reduction-cells.ts, server/registry/sheet-cells.ts).
 */
import {
  REDUCTION_POLLUTANTS,
  RESPONSE_LEVELS,
  type LevelMeasure,
  type ReductionPollutant,
  type ResponseLevel,
} from '../domain/reduction-list';
import { codeOf, numberOf, textOf, type Cell } from '../registry/sheet-cells';
import { indicatorsOf, MEASURE, windowOf, writeIndicators, writeWindow } from './reduction-cells';

export const LEVEL_WORDS: Record<ResponseLevel, string> = { yellow: '黄色', orange: '橙色', red: '红色' };
const POLLUTANT_WORDS: Record<ReductionPollutant, string> = { so2: 'SO2', nox: 'NOx', pm: '颗粒物', vocs: 'VOCs' };

export const BASE_HEADERS = {
  enterpriseId: '企业编号',
  enterpriseName: '企业名称',
  year: '年度',
  id: '条目编号',
  name: '生产线或设施',
  process: '工序',
  facilityId: '设施编号',
  outletMns: '排口MN',
  meterIds: '电表',
  responsible: '责任人',
  phone: '联系电话',
  peakShift: '错峰生产停产时段',
} as const;
export type BaseKey = keyof typeof BASE_HEADERS;
/** Columns written as text (Excel keeps long digit strings as typed). */
export const TEXT_KEYS: readonly BaseKey[] = ['enterpriseId', 'id', 'facilityId', 'outletMns', 'meterIds', 'phone'];
/** Columns a file must have. */
export const REQUIRED_KEYS: readonly BaseKey[] = ['enterpriseId', 'year', 'id', 'name', 'responsible', 'phone'];

/** One level's columns: header → how the measure writes it and how the cell reads into it. */
interface LevelColumn {
  suffix: string;
  write(m: LevelMeasure): string | number | undefined;
  /** Reads the cell into the measure being built. */
  read(cell: Cell, m: LevelMeasure, header: string): void;
}

const LEVEL_COLUMNS: LevelColumn[] = [
  {
    suffix: '措施',
    write: (m) => MEASURE.write(m.action),
    read: (cell, m) => {
      m.action = MEASURE.read(cell);
    },
  },
  {
    suffix: '保留负荷%',
    write: (m) => m.limitToPct,
    read: (cell, m, header) => {
      if (textOf(cell) !== '') m.limitToPct = numberOf(cell, header);
    },
  },
  {
    suffix: '时段',
    write: (m) => writeWindow(m.window),
    read: (cell, m) => {
      const w = windowOf(cell);
      if (w) m.window = w;
    },
  },
  {
    suffix: '措施说明',
    write: (m) => m.description,
    read: (cell, m) => {
      if (textOf(cell) !== '') m.description = textOf(cell);
    },
  },
  {
    suffix: '关键指标',
    write: (m) => writeIndicators(m.indicators),
    read: (cell, m) => {
      m.indicators = indicatorsOf(cell);
    },
  },
  ...REDUCTION_POLLUTANTS.map((p): LevelColumn => ({
    suffix: `${POLLUTANT_WORDS[p]}减排量(kg/h)`,
    write: (m) => m.expectedKgH[p],
    read: (cell, m, header) => {
      if (textOf(cell) !== '') m.expectedKgH[p] = numberOf(cell, header);
    },
  })),
];

export interface LevelHeader {
  level: ResponseLevel;
  header: string;
  column: LevelColumn;
}
export const LEVEL_HEADERS: LevelHeader[] = RESPONSE_LEVELS.flatMap((level) =>
  LEVEL_COLUMNS.map((column) => ({ level, header: `${LEVEL_WORDS[level]}${column.suffix}`, column })),
);
/** The measure column of a level (required). */
export const measureHeader = (level: ResponseLevel): string => `${LEVEL_WORDS[level]}措施`;

/** Base columns before the levels; the peak-shift schedule (错峰生产) comes after them. */
export const LEADING_KEYS = (Object.keys(BASE_HEADERS) as BaseKey[]).filter((k) => k !== 'peakShift');
export const ALL_HEADERS: string[] = [
  ...LEADING_KEYS.map((k) => BASE_HEADERS[k]),
  ...LEVEL_HEADERS.map((h) => h.header),
  BASE_HEADERS.peakShift,
];

export { codeOf };
