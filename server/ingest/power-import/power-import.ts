/**
 * A power-data file (CSV or XLSX, as grid companies deliver it) read and planned against the
 * registry: power-rows.ts reads the rows, power-plan.ts matches them to meter facilities and builds
 * the readings. Bounded: at most `maxRows` rows (the file's size is bounded by the route).
 */
import type { Registry } from '../../domain/registry';
import { FileRefusal, readSheets, type ReadLimits } from '../../registry/sheet-read';
import { planPowerImport, type PowerPlan } from './power-plan';
import { findHeader, readPowerRows } from './power-rows';

export { FileRefusal };

export interface PowerImportOptions {
  utcOffsetMinutes: number;
  now: number;
  /** Largest number of rows read (a month of 15-min intervals is 2,976 rows per meter). */
  maxRows: number;
}

export async function readPowerFile(
  bytes: Buffer,
  registry: Pick<Registry, 'facilities' | 'sources'>,
  opts: PowerImportOptions,
): Promise<PowerPlan> {
  const limits: ReadLimits = { maxRows: opts.maxRows, maxColumns: 60, maxPartBytes: 256 * 1024 * 1024, keepTime: true };
  const sheets = await readSheets(bytes, limits);
  for (const sheet of sheets) {
    const header = findHeader(sheet.rows);
    if (header) return planPowerImport(readPowerRows(sheet.rows, header, opts), registry);
  }
  throw new FileRefusal('bad_file', '找不到表头：需要“电表编号”“时间”（时段起始时间）和“电量(kWh)”或“功率(kW)”列（见导入说明）');
}
