/**
 * Cells of the bureau's reduction-list workbook (issue 18) that the registry workbook does not
 * have: a level's measure, its daily window, key indicators in one cell, lists of MNs or meters.
 * Built on the registry sheet's cell helpers (server/registry/sheet-cells.ts). Pure.
 *
 * Key indicators, one cell, items separated by `；` (or `;`, a line break):
 *   电力 <设施编号>≤<kW>kW          the line's power (line-power)
 *   流量 <排口MN>≤<m³/h>m³/h        the outlet's flue-gas flow (outlet-flow)
 *   限值 <排口MN> <因子代码>≤<mg/m³>  a special-period hourly-mean limit (limit)
 * e.g. `电力 sinter-1≤50kW；流量 88888880000001≤1000m³/h；限值 88888880000001 a21002≤35`. `<=` reads as `≤`.
 */
import type { DailyWindow, KeyIndicator, PeakShiftPeriod } from '../domain/reduction-list';
import { CellRefusal, codeOf, textOf, Words, type Cell } from '../registry/sheet-cells';

export const MEASURE = new Words('措施', { stop: ['停产'], limit: ['限产'], unchanged: ['不采取措施', '无措施', '无'] });

const refuse = (reason: string): never => {
  throw new CellRefusal(reason);
};

/** MNs or meter ids in one cell, separated by `、`, commas, semicolons or spaces. */
export function listOf(cell: Cell, what: string): string[] {
  if (typeof cell === 'number') return [codeOf(cell, what)];
  return textOf(cell)
    .split(/[、,，;；\s]+/)
    .filter(Boolean);
}
export const writeList = (items: readonly string[]): string | undefined => (items.length > 0 ? items.join('、') : undefined);

const HHMM = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/;
const pad = (s: string) => s.padStart(2, '0');

/** A daily window `09:00-17:00` (also `–`, `~`, `至`); empty: all day. */
export function windowOf(cell: Cell): DailyWindow | undefined {
  const t = textOf(cell);
  if (t === '' || t === '全天') return undefined;
  const parts = t.split(/\s*(?:-|–|—|~|～|至)\s*/);
  const [a, b] = parts.map((p) => HHMM.exec(p));
  if (parts.length !== 2 || !a || !b) return refuse(`时段「${t}」应写作 HH:MM-HH:MM（如 09:00-17:00）`);
  const w = { from: `${pad(a[1] as string)}:${a[2]}`, to: `${pad(b[1] as string)}:${b[2]}` };
  return w.from === w.to ? refuse(`时段「${t}」的起止时刻相同`) : w;
}
export const writeWindow = (w: DailyWindow | undefined): string | undefined => (w ? `${w.from}-${w.to}` : undefined);

const DAY = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;

/**
 * Peak-shift periods (错峰生产停产时段): `2026-11-15~2027-03-15`, several separated by `、`, each
 * with an optional note in brackets (`2026-11-15~2027-03-15（采暖季错峰停窑）`); empty: none.
 */
export function peakShiftOf(cell: Cell): PeakShiftPeriod[] {
  const t = textOf(cell);
  if (t === '') return [];
  return t.split(/[、；;]/).map((part) => {
    const m = /^\s*(.+?)\s*(?:[（(]([^）)]*)[）)])?\s*$/.exec(part);
    const range = (m?.[1] ?? '').split(/\s*(?:~|～|至|—|–)\s*/);
    const [a, b] = range.map((d) => DAY.exec(d));
    if (range.length !== 2 || !a || !b) return refuse(`错峰时段「${part.trim()}」应写作 YYYY-MM-DD~YYYY-MM-DD（如 2026-11-15~2027-03-15）`);
    const day = (x: RegExpExecArray) => `${x[1]}-${pad(x[2] as string)}-${pad(x[3] as string)}`;
    const period: PeakShiftPeriod = { from: day(a), to: day(b) };
    if (period.from > period.to) return refuse(`错峰时段「${part.trim()}」的结束日期早于开始日期`);
    const note = m?.[2]?.trim();
    return note ? { ...period, note } : period;
  });
}
export const writePeakShift = (periods: readonly PeakShiftPeriod[] | undefined): string | undefined =>
  periods && periods.length > 0 ? periods.map((p) => `${p.from}~${p.to}${p.note ? `（${p.note}）` : ''}`).join('、') : undefined;

const LE = '(?:≤|<=|＜=)';
const NUM = '(\\d+(?:\\.\\d+)?)';
const INDICATOR_PATTERNS: [RegExp, (m: RegExpExecArray) => KeyIndicator][] = [
  [
    new RegExp(`^电力\\s*([a-z0-9-]+)\\s*${LE}\\s*${NUM}\\s*kw$`, 'i'),
    (m) => ({ kind: 'line-power', facilityId: m[1] as string, maxKw: Number(m[2]) }),
  ],
  [
    new RegExp(`^流量\\s*([A-Za-z0-9]+)\\s*${LE}\\s*${NUM}\\s*(?:m³/h|m3/h)?$`, 'i'),
    (m) => ({ kind: 'outlet-flow', mn: m[1] as string, maxM3h: Number(m[2]) }),
  ],
  [
    new RegExp(`^限值\\s*([A-Za-z0-9]+)\\s+([a-z]\\d{5})\\s*${LE}\\s*${NUM}\\s*(?:mg/m³|mg/m3)?$`, 'i'),
    (m) => ({ kind: 'limit', mn: m[1] as string, code: (m[2] as string).toLowerCase(), limit: Number(m[3]) }),
  ],
];

/** Key indicators of one cell (see the file comment). */
export function indicatorsOf(cell: Cell): KeyIndicator[] {
  return textOf(cell)
    .split(/[；;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      for (const [re, make] of INDICATOR_PATTERNS) {
        const m = re.exec(item);
        if (m) return make(m);
      }
      return refuse(`关键指标「${item}」无法识别（应为“电力 设施编号≤kW”“流量 排口MN≤m³/h”或“限值 排口MN 因子代码≤值”）`);
    });
}

export function writeIndicators(indicators: readonly KeyIndicator[]): string | undefined {
  if (indicators.length === 0) return undefined;
  return indicators
    .map((k) =>
      k.kind === 'line-power'
        ? `电力 ${k.facilityId}≤${k.maxKw}kW`
        : k.kind === 'outlet-flow'
          ? `流量 ${k.mn}≤${k.maxM3h}m³/h`
          : `限值 ${k.mn} ${k.code}≤${k.limit}`,
    )
    .join('；');
}
