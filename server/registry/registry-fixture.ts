/**
 * Test material for the registry workbook: a registry using every field, workbooks built from
 * plain arrays (with exceljs, as a third-party writer would), and GB18030 bytes for CSV tests.
 */
import ExcelJS from 'exceljs';
import { registrySchema, type Registry } from '../domain/registry';
import { creditCheckChar } from './sheet-columns';

export const credit = (first17: string): string => first17 + creditCheckChar(first17);

export const RICH: Registry = registrySchema.parse({
  enterprises: [
    {
      id: 'ly-power',
      name: '凌源示范热电有限公司',
      district: '凌源市',
      creditCode: credit('91211382MA0XYW123'),
      industry: { code: 'D4411', name: '火力发电' },
      park: '凌源经济开发区',
      keyUnit: true,
      grade: 'B',
      contacts: [{ name: '张伟', role: '环保主管', phone: '13800000001' }, { name: '李娜' }],
      omContractor: '辽宁蓝天运维有限公司',
    },
    { id: 'ct-fuel', name: '双塔华兴加油站', district: '双塔区', grade: 'non-graded', keyUnit: false },
  ],
  sources: [
    {
      mn: '211300CEMS00000000000101',
      enterpriseId: 'ly-power',
      name: '1号机组烟囱',
      kind: 'cems',
      lat: 41.245,
      lon: 119.401,
      o2Ref: 6,
      intervalS: 30,
      pw: 'GG33E76YPJ4U8GVPP43NJQAB',
      mqttPassword: 'demo-cems-0101-mqtt',
      stackHeightM: 120,
      capacity: { value: 300, unit: 'MW' },
      fuel: '燃煤',
      treatment: 'SCR+湿法脱硫',
      bypass: { seal: 'sealed' },
      limits: { a21002: { max: 50, o2Converted: true, severity: 'major' }, a34013: { max: 10, o2Converted: true, severity: 'critical' } },
      limitSchedule: [
        { factor: 'a21002', until: '2027-01-01', limit: { max: 100, o2Converted: true, severity: 'major' } },
        { factor: 'a21002', from: '2027-01-01', limit: { max: 50, o2Converted: true, severity: 'major' } },
      ],
      onboarding: { status: 'accepted', due: { networked: '2027-03-31' } },
    },
    {
      mn: '211300VOCS00000000000102',
      enterpriseId: 'ly-power',
      name: 'RTO进口',
      kind: 'vocs',
      position: 'inlet',
      lat: 41.2451,
      lon: 119.4012,
      intervalS: 60,
      pw: 'MM76ZRBPMGU6SWHUK8MUTMBJ',
      mqttPassword: 'demo-vocs-0102-mqtt',
      flare: true,
    },
    {
      mn: '211300VOCS00000000000103',
      enterpriseId: 'ly-power',
      name: 'RTO出口',
      kind: 'vocs',
      lat: 41.2452,
      lon: 119.4013,
      intervalS: 30,
      inletMn: '211300VOCS00000000000102',
      pw: 'W44D783JDGD9QY652M74R25N',
      mqttPassword: 'demo-vocs-0103-mqtt',
      videoUrl: 'rtsp://cam.example/1',
    },
    {
      mn: '211300VRS000000000000201',
      enterpriseId: 'ct-fuel',
      name: '油气回收在线监控',
      kind: 'vapour',
      lat: 41.57,
      lon: 120.45,
      intervalS: 30,
      pw: '5XSUBCQJVA5SXB7EGMHW3HW7',
      mqttPassword: 'demo-vrs-0201-mqtt',
      nozzleCount: 12,
      annualFuelSalesT: 6200,
      limits: { avr01: { min: 1, max: 1.2, o2Converted: false, severity: 'warning' } },
    },
  ],
  facilities: [
    { id: 'ly-line-1', enterpriseId: 'ly-power', kind: 'production-line', name: '1号机组', outletMns: ['211300CEMS00000000000101'] },
    { id: 'ly-scr-1', enterpriseId: 'ly-power', kind: 'treatment', name: '1号SCR', serves: 'ly-line-1', technology: 'SCR' },
    {
      id: 'ly-meter-1',
      enterpriseId: 'ly-power',
      kind: 'power-meter',
      name: '1号机组电表',
      serves: 'ly-line-1',
      meterNo: '0012345678901',
      ratedKw: 500,
      runningKw: 50,
    },
  ],
});

/** A workbook from arrays of rows per sheet, as exceljs writes it (shared strings). */
export async function workbookOf(sheets: Record<string, (string | number | Date | null)[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let gbTable: Map<string, number[]> | undefined;
/** Text as GB18030 bytes (ASCII and the two-byte GBK range: enough for Chinese CSV tests). */
export function gb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const dec = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && !gbTable.has(ch)) gbTable.set(ch, [a, b]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const bytes = gbTable.get(ch);
      if (!bytes) throw new Error(`no GB18030 two-byte code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}
