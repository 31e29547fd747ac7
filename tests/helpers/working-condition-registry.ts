/**
 * The tests' registry (tests/fixtures/registry-zibo.yaml) plus a chemical plant with a
 * working-condition logger, its production line, RTO and a power meter on channel 03, a meter that
 * names no logger, and a construction site with a dust logger (issue 16). Written to `dir`; returns
 * the file for REGISTRY_FILE.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { TEST_REGISTRY_FILE } from './fixtures';

export const WC = {
  logger: '370300GKJK00000000000001',
  loggerPw: 'GKJKTESTPW00000000000001',
  dust: '370300YCJC00000000000001',
  meter: '3703210500021',
  bareMeter: '3703210500099',
} as const;

export function workingConditionRegistry(dir: string): string {
  const reg = parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8')) as { enterprises: object[]; sources: object[]; facilities?: object[] };
  reg.enterprises.push(
    { id: 'wc-chem', name: '工况示范化工', district: '临淄区' },
    { id: 'wc-site', name: '扬尘示范工地', district: '张店区' },
  );
  reg.sources.push(
    {
      mn: WC.logger,
      enterpriseId: 'wc-chem',
      name: '工况用电监控',
      kind: 'condition',
      lat: 36.82,
      lon: 118.3,
      intervalS: 60,
      pw: WC.loggerPw,
    },
    {
      mn: WC.dust,
      enterpriseId: 'wc-site',
      name: '工地扬尘监测点',
      kind: 'dust',
      lat: 36.8,
      lon: 118.05,
      intervalS: 60,
      pw: 'YCJCTESTPW00000000000001',
    },
  );
  reg.facilities = [
    ...(reg.facilities ?? []),
    { id: 'wc-line1', enterpriseId: 'wc-chem', kind: 'production-line', name: '合成车间', mn: WC.logger, channel: '01', runningKw: 80 },
    {
      id: 'wc-rto',
      enterpriseId: 'wc-chem',
      kind: 'treatment',
      name: 'RTO',
      serves: 'wc-line1',
      mn: WC.logger,
      channel: '02',
      minTempC: 760,
    },
    {
      id: 'wc-meter',
      enterpriseId: 'wc-chem',
      kind: 'power-meter',
      name: 'RTO风机电表',
      serves: 'wc-rto',
      meterNo: WC.meter,
      mn: WC.logger,
      channel: '03',
    },
    { id: 'wc-meter-bare', enterpriseId: 'wc-chem', kind: 'power-meter', name: '锅炉房电表', meterNo: WC.bareMeter },
  ];
  const file = join(dir, 'registry.yaml');
  writeFileSync(file, stringify(reg));
  return file;
}
