import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../locales';
import en from '../../locales/en';
import type { Words } from './alert-words';
import { evidenceTables } from './evidence-tables';

const OUTLET = '370300CEMS00000000000101';

function words(locale: 'zh-CN' | 'en'): Words {
  const { t, te } = createAppI18n(locale, { en }).global;
  return {
    t: (key, params) => (params ? t(key, params) : t(key)),
    te: (key) => te(key),
    dateTime: (ts) => `@${new Date(ts).toISOString()}`,
    date: (ts) => `@${new Date(ts).toISOString().slice(0, 10)}`,
    withUnit: (v, unit) => (unit ? `${v} ${unit}` : String(v)),
    sourceName: (mn) => (mn === OUTLET ? '1号机组烟囱' : mn),
  };
}

const row = (over: Record<string, string | number | null>) => ({
  what: 'line-power',
  subject: 'qilu-unit-1',
  name: '1号机组',
  code: null,
  observed: 800,
  allowed: 50,
  baseline: null,
  unit: 'kW',
  verdict: 'fail',
  ...over,
});

describe('a measure non-compliance’s checks table', () => {
  it.each<[string, Record<string, string | number | null>, string[]]>([
    ['line power on the facility, by name', {}, ['生产线用电功率', '1号机组', '800 kW', '50 kW', '—', '未落实']],
    [
      'outlet flow on the outlet, by name',
      { what: 'outlet-flow', subject: OUTLET, name: null, observed: 180000, allowed: 300000, unit: 'm³/h', verdict: 'pass' },
      ['排口烟气流量', '1号机组烟囱', '180000 m³/h', '300000 m³/h', '—', '达标'],
    ],
    [
      'a special-period limit names its factor',
      { what: 'limit', subject: OUTLET, name: null, code: 'a21002', observed: 41.256, allowed: 35, unit: 'mg/m³' },
      ['时段加严限值（小时均值）（氮氧化物）', '1号机组烟囱', '41.26 mg/m³', '35 mg/m³', '—', '未落实'],
    ],
    [
      'an emission rate against its baseline',
      { what: 'emission', subject: OUTLET, name: null, observed: 5, allowed: 2, baseline: 4, unit: 'kg/h' },
      ['排放速率', '1号机组烟囱', '5 kg/h', '2 kg/h', '4 kg/h', '未落实'],
    ],
    [
      'the stopped flag',
      { what: 'flag', subject: OUTLET, name: null, observed: null, allowed: null, unit: 'm³/h', verdict: 'pass' },
      ['停运标记（F）', '1号机组烟囱', '已标记停运', '—', '—', '达标'],
    ],
    [
      'a check this version does not know: no raw key',
      { what: 'peak-shift', subject: OUTLET, name: null, observed: null, allowed: null, verdict: 'nodata' },
      ['其他检查', '1号机组烟囱', '—', '—', '—', '无数据'],
    ],
  ])('%s', (_what, over, cells) => {
    const none = createAppI18n('zh-CN').global.t('common.none');
    const [table] = evidenceTables({ checks: [row(over)] }, { unit: 'kW' }, words('zh-CN'));
    expect(table?.title).toBe('核查明细');
    expect(table?.columns).toEqual(['检查项', '对象', '实测值', '允许值', '同期基线', '结论']);
    expect(table?.rows).toEqual([cells.map((c) => (c === '—' ? none : c))]);
  });

  it('in English too', () => {
    const [table] = evidenceTables({ checks: [row({})] }, { unit: 'kW' }, words('en'));
    expect(table?.columns).toEqual(['Check', 'On', 'Observed', 'Allowed', 'Baseline (same hours)', 'Verdict']);
    expect(table?.rows[0]?.[0]).toBe('Line power');
    expect(table?.rows[0]?.[5]).toBe('Not carried out');
  });
});
