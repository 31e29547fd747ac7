import type { HistoryDetail } from '@domain/alert';
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../../locales';
import { EVIDENCE_FIELDS, evidenceRows, historyLines, ruleName, type Words } from './alert-words';

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
    for (const key of Object.keys(EVIDENCE_FIELDS)) expect(w.te(`evidence.${key}`)).toBe(true);
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
