import type { HistoryDetail } from '@domain/alert';
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../locales';
import { EVIDENCE_FIELDS, evidenceRows, historyLines, ruleName, type Words } from './alert-words';
import { EVIDENCE_TABLES, evidenceTables } from './evidence-tables';

const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);

/** The real zh-CN messages; times as ISO so the table below can say which field became a time. */
function words(): Words {
  const { t, te } = createAppI18n('zh-CN').global;
  return {
    t: (key, params) => (params ? t(key, params) : t(key)),
    te: (key) => te(key),
    dateTime: (ts) => `@${new Date(ts).toISOString()}`,
    date: (ts) => `@${new Date(ts).toISOString().slice(0, 10)}`,
    withUnit: (v, unit) => (unit ? `${v} ${unit}` : String(v)),
    sourceName: (mn) => (mn === 'IN1' ? '进口' : mn),
  };
}

const CJK_OR_SYMBOL = /^[^A-Za-z]*$/;

describe('alert words (zh-CN)', () => {
  const w = words();

  it.each([
    ['limit-instant', '瞬时值超标预警'],
    ['bypass', '旁路排放'],
    ['maintenance-flag', '维护 / 校准标记'],
    ['some-future-rule', '其他规则'],
    ['zs-mismatch', '折算值与实测值、氧含量不符（疑似造假）'],
    ['step-drop', '告警后数据骤降（疑似干预监测）'],
    ['hotspot', '空气站高值热点（持续高于全市均值）'],
    ['aqi-off-scale', '空气质量指数爆表（IAQI > 500）'],
    ['ozone-8h', '臭氧8小时滑动均值超标'],
  ])('rule %s → %s', (rule, name) => {
    expect(ruleName(rule, w)).toBe(name);
  });

  it.each([
    [{ flag: 'M' }, [['数据标记', '维护 (M)']]],
    [
      { since: T0, durationS: 600 },
      [
        ['起始时间', `@${new Date(T0).toISOString()}`],
        ['持续时长要求', '10 分钟'],
      ],
    ],
    [
      { o2Converted: true, samples: 3 },
      [
        ['已折算基准氧含量', '是'],
        ['样本数', '3 个'],
      ],
    ],
    [
      { windowStart: T0, validMinutes: 45, fromLogger: false },
      [
        ['统计窗口开始', `@${new Date(T0).toISOString()}`],
        ['有效分钟数', '45 分钟'],
        ['采用数采仪小时值', '否'],
      ],
    ],
    [
      { value: 0.5, spread: 0, samples: 120 },
      [
        ['恒定值', '0.5 mg/m³'],
        ['波动幅度', '0 mg/m³'],
        ['样本数', '120 个'],
      ],
    ],
    [
      { inletMn: 'IN1', inletKgH: 2.5, outletKgH: 1 },
      [
        ['进口监控点', '进口'],
        ['进口排放速率', '2.5 kg/h'],
        ['出口排放速率', '1 kg/h'],
      ],
    ],
    [
      { consecutiveDays: 3, day: T0, rangeMin: 1, rangeMax: null },
      [
        ['连续超范围天数', '3 天'],
        ['日期', '@2026-07-01'],
        ['范围下限', '1'],
        ['范围上限', '—'],
      ],
    ],
    [
      { lastSeenAt: T0, countedFrom: T0 },
      [
        ['最后上报时间', `@${new Date(T0).toISOString()}`],
        ['计时起点', `@${new Date(T0).toISOString()}`],
      ],
    ],
    // Falsification signatures: percentages, flows, a preceding alert's rule in words.
    [
      { alertAt: T0, alertRule: 'limit-instant', meanBefore: 40, dropPct: 75, windowS: 3600, flow: 80 },
      [
        ['前序告警时间', `@${new Date(T0).toISOString()}`],
        ['前序告警规则', '瞬时值超标预警'],
        ['告警前均值', '40 mg/m³'],
        ['降幅', '75 %'],
        ['比较时长', '60 分钟'],
        ['烟气流量', '80 m³/s'],
      ],
    ],
    // Transport signatures: the relay's pattern in words, the other source by name, addresses as they are.
    [
      { pattern: 'shared-connection', peer: '10.1.2.3:40000', sourcesOnConnection: 2, sharedWith: 'IN1' },
      [
        ['转发迹象', '多个数采仪的数据经同一条连接送达'],
        ['连接地址', '10.1.2.3:40000'],
        ['同一连接上的监控点数', '2 个'],
        ['共用连接的监控点', '进口'],
      ],
    ],
    [
      { pattern: 'address-changed', previousAddress: '10.1.2.3', currentAddress: '203.0.113.9', periodS: 604800 },
      [
        ['转发迹象', '数采仪来源地址发生变化'],
        ['原来源地址', '10.1.2.3'],
        ['现来源地址', '203.0.113.9'],
        ['判定时长', '10080 分钟'],
      ],
    ],
    // A hotspot's scalar fields (its tables are shown apart, evidenceTables).
    [
      { consecutiveHours: 4, cityMean: 186, abovePct: 88.2, windFrom: 225, radiusKm: 5, hours: [], nearby: [] },
      [
        ['连续高于均值', '4 小时'],
        ['本小时全市均值', '186 mg/m³'],
        ['高出全市均值', '88.2 %'],
        ['风向（来向）', '西南 225°'],
        ['周边污染源搜索半径', '5 km'],
      ],
    ],
    // A facility rule's (treatment-off): the facility and its line by name — never their ids — with their state and values.
    [
      {
        facilityId: 'liucheng-chem-rto',
        facility: 'RTO蓄热式焚烧炉',
        stoppedSince: T0,
        lineId: 'liucheng-chem-line1',
        line: '合成车间',
        lineRunning: true,
        linePowerKw: 310,
        since: T0,
      },
      [
        ['设施', 'RTO蓄热式焚烧炉'],
        ['停运起始时间', `@${new Date(T0).toISOString()}`],
        ['所服务的生产设施', '合成车间'],
        ['生产设施运行中', '是'],
        ['生产设施用电功率', '310 kW'],
        ['起始时间', `@${new Date(T0).toISOString()}`],
      ],
    ],
    [
      { tempC: 700, minTempC: 760, gasFlow: 120, nox: 72, outletMn: 'IN1', leadS: 120 },
      [
        ['燃烧温度', '700 °C'],
        ['最低燃烧温度', '760 °C'],
        ['火炬气流量', '120 m³/h'],
        ['氮氧化物（按限值口径）', '72 mg/m³'],
        ['排口监控点', '进口'],
        ['治理设施提前启动', '2 分钟'],
      ],
    ],
    [{ windFrom: null }, [['风向（来向）', '—']]],
    // Facility records (issue 16): the facility by name (its id and the window's never shown).
    [
      {
        facility: '1号生产线',
        facilityId: 'qilu-line1',
        windowId: 7,
        windowFrom: T0,
        runningKw: 80,
        adsorbentDays: 90,
        due: '2027-05-30',
        planFiled: true,
      },
      [
        ['设施', '1号生产线'],
        ['申报停产开始', `@${new Date(T0).toISOString()}`],
        ['判定运行的功率', '80 kW'],
        ['更换周期', '90 天'],
        ['应更换日期', '2027-05-30'],
        ['已报送年度计划', '是'],
      ],
    ],
    // A key this version does not know: a generic label, and an epoch still shown as a time.
    [
      { newKeyFromH5: T0, otherThing: 'x' },
      [
        ['其他证据', `@${new Date(T0).toISOString()}`],
        ['其他证据', 'x'],
      ],
    ],
  ])('evidence %j', (evidence, rows) => {
    expect(evidenceRows(evidence, { unit: 'mg/m³' }, w)).toEqual(rows);
  });

  it('every evidence key the rules emit has a Chinese label', () => {
    const shown = Object.entries(EVIDENCE_FIELDS).flatMap(([key, kind]) => (kind === 'hidden' ? [] : [key]));
    for (const key of [...shown, ...EVIDENCE_TABLES]) expect(w.te(`evidence.${key}`)).toBe(true);
  });

  it('a hotspot’s tables: hour by hour against the city mean; the sources nearby with distance, bearing and upwind mark', () => {
    const evidence = {
      cityMean: 186,
      hours: [
        { hour: T0, value: 350, cityMean: 186 },
        { hour: T0 + 3_600_000, value: 340, cityMean: 180 },
      ],
      nearby: [
        { mn: 'VOCS1', name: '喷涂线排口', enterprise: '蓝山汽车涂装有限公司', km: 0.57, bearing: 219, upwind: true },
        { mn: 'VRS1', name: '油气回收在线监控', enterprise: '张店华兴加油站', km: 0.79, bearing: 65, upwind: false },
        { mn: 'CEMS1', name: '3号燃气锅炉', enterprise: '高新区集中供热有限公司', km: 3.41, bearing: 126, upwind: null },
      ],
      future: [{ a: 1 }],
    };
    expect(evidenceTables(evidence, { unit: '' }, w)).toEqual([
      {
        key: 'hours',
        title: '逐时对比',
        columns: ['时段', '本站', '全市均值'],
        rows: [
          [`@${new Date(T0).toISOString()}`, '350', '186'],
          [`@${new Date(T0 + 3_600_000).toISOString()}`, '340', '180'],
        ],
      },
      {
        key: 'nearby',
        title: '周边登记污染源',
        columns: ['污染源', '企业', '距离', '方位', '上风向'],
        rows: [
          ['喷涂线排口', '蓝山汽车涂装有限公司', '0.57 km', '西南 219°', '上风向'],
          ['油气回收在线监控', '张店华兴加油站', '0.79 km', '东北 65°', '否'],
          ['3号燃气锅炉', '高新区集中供热有限公司', '3.41 km', '东南 126°', '无风向数据'],
        ],
      },
    ]);
    // A table this version does not know is left out (never shown with raw keys); rows never hold a table.
    expect(evidenceRows(evidence, { unit: '' }, w)).toEqual([['本小时全市均值', '186']]);
  });

  it.each<[HistoryDetail | null, string | null, string[]]>([
    [{ code: 'measured', value: 9, unit: 'mg/m³', limit: 8, suppressed: null }, null, ['监测值 9 mg/m³（限值 8 mg/m³）']],
    [{ code: 'measured', value: 0, unit: '°C', limit: null, suppressed: 'maintenance' }, null, ['监测值 0 °C；未通知：维护期内']],
    [{ code: 'escalated', minutes: 15 }, null, ['超过 15 分钟未确认']],
    [{ code: 'measured', value: 600, unit: 's', limit: 150, suppressed: null }, null, ['监测值 600 秒（限值 150 秒）']],
    [{ code: 'assigned', assignee: 'zhao' }, '请跟进', ['指派给 zhao', '请跟进']],
    [{ code: 'assigned', assignee: null }, null, ['取消指派']],
    [{ code: 'silenced', silenceId: 3, endsAt: T0 }, '更换分析仪', [`静默（第 3 号）至 @${new Date(T0).toISOString()}`, '更换分析仪']],
    [{ code: 'closedAfterAcknowledged' }, null, ['确认后恢复正常，自动关闭']],
    [
      { code: 'escalationStep', step: 2, minutes: 30, to: 'backup', user: '吴备班', channels: ['email', 'sms'] },
      null,
      ['第 2 步升级：30 分钟未确认，已通知备班 吴备班（邮件、短信）'],
    ],
    [
      { code: 'escalationStep', step: 1, minutes: 10, to: 'primary', user: null, channels: [] },
      null,
      ['第 1 步升级：10 分钟未确认，但当时无主班可通知'],
    ],
    // A row from before structured notes: its free text is all there is.
    [null, 'unacknowledged for 15 min', ['unacknowledged for 15 min']],
  ])('history %j', (detail, note, lines) => {
    expect(historyLines({ detail, note }, w)).toEqual(lines);
  });

  it('no structured note leaves a Latin word in Chinese', () => {
    const details: HistoryDetail[] = [
      { code: 'peak', value: 12, unit: 'mg/m³' },
      { code: 'cleared', value: 5, unit: 'mg/m³' },
      { code: 'closedAfterCleared' },
      { code: 'escalated', minutes: 20 },
      { code: 'escalationStep', step: 3, minutes: 45, to: 'user', user: '陈科长', channels: [] },
    ];
    for (const d of details) expect(historyLines({ detail: d, note: null }, w).join('').replace('mg/m³', '')).toMatch(CJK_OR_SYMBOL);
  });
});
