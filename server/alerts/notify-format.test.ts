import { describe, expect, it } from 'vitest';
import type { Alert } from '../domain/alert';
import { RULE_IDS } from '../domain/rule-ids';
import { formatNotification, markdownOf } from './notify-format';

const alert: Alert = {
  id: 42,
  mn: '370300NH3000000000000201',
  enterpriseId: 'zichuan-cement',
  factor: 'a21001',
  rule: 'limit',
  severity: 'critical',
  state: 'active',
  value: 9.6,
  peak: 11.2,
  limit: 8,
  unit: 'mg/m³',
  count: 3,
  openedAt: Date.UTC(2026, 6, 1, 2, 0, 0),
  lastSeenAt: 0,
  clearedAt: null,
  raisedAt: 0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: null,
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: null,
  evidence: null,
};
const label = { sourceName: '窑尾SNCR出口', enterpriseName: '淄川建材水泥有限公司' };

describe('notification formats', () => {
  it.each([
    ['json', { event: 'opened', alert, ...label }],
    [
      'dingtalk',
      { msgtype: 'markdown', markdown: { title: '[严重] 新告警：窑尾SNCR出口 氨（氨逃逸）', text: markdownOf('opened', alert, label) } },
    ],
    ['wecom', { msgtype: 'markdown', markdown: { content: markdownOf('opened', alert, label) } }],
  ] as const)('%s', (format, body) => {
    expect(formatNotification(format, 'opened', alert, label)).toEqual(body);
  });

  it('the markdown names the enterprise, source, factor, value against limit and the China time', () => {
    const text = markdownOf('escalated', alert, label);
    expect(text).toContain('告警升级');
    expect(text).toContain('淄川建材水泥有限公司');
    expect(text).toContain('MN 370300NH3000000000000201');
    expect(text).toContain('9.6 mg/m³（限值 8 mg/m³');
    expect(text).toContain('2026-07-01 10:00:00');
  });

  it('falls back to codes when the registry does not know the source', () => {
    expect(markdownOf('opened', { ...alert, factor: 'zz999' }, {})).toContain('企业：zichuan-cement');
  });

  it('a flag alert has no limit; rules are named in Chinese', () => {
    const flagged: Alert = {
      ...alert,
      rule: 'maintenance-flag',
      severity: 'info',
      value: 0,
      peak: 0,
      limit: 0,
      unit: '°C',
      evidence: { flag: 'M' },
    };
    const text = markdownOf('opened', flagged, label);
    expect(text).not.toContain('限值');
    expect(text).toContain('数据标记 M');
    expect(text).toContain('规则 维护 / 校准标记');
    expect(markdownOf('opened', alert, label)).toContain('规则 超标');
  });

  it.each(Object.values(RULE_IDS))('names rule %s in words, never by its id', (rule) => {
    const text = markdownOf('opened', { ...alert, rule }, label);
    expect(text).toMatch(/规则 [^\sa-z]/);
    expect(text).not.toContain(`规则 ${rule}`);
  });
});
