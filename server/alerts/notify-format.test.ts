import { describe, expect, it } from 'vitest';
import type { Alert } from '../domain/alert';
import { RULE_IDS } from '../domain/rule-ids';
import { emailOf, formatNotification, markdownOf, smsParamsOf, testEmail, testSmsParams } from './notify-format';
import { SMS_PARAM_MAX, SMS_TEMPLATE_PARAMS } from '../domain/notify-channels';

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

describe('email and SMS texts', () => {
  it('the email: subject with severity, event, source and factor; body with enterprise, factor and unit, value vs limit, rule, China time, severity', () => {
    const { subject, text } = emailOf('opened', alert, label);
    expect(subject).toBe('[严重] 新告警：窑尾SNCR出口 氨（氨逃逸）');
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        '级别：严重',
        '企业：淄川建材水泥有限公司',
        '排放口：窑尾SNCR出口（MN 370300NH3000000000000201）',
        '因子：氨（氨逃逸）（a21001），单位 mg/m³',
        '数值：9.6 mg/m³，限值 8 mg/m³（峰值 11.2 mg/m³，3 次）',
        '规则：超标',
        '开始：2026-07-01 10:00:00（北京时间）',
      ]),
    );
    expect(text).not.toMatch(/[#*]|undefined/);
  });

  it('a flag alert’s email names the data flag instead of a limit', () => {
    const { text } = emailOf('escalated', { ...alert, rule: 'instrument-fault', limit: 0, evidence: { flag: 'D' } }, label);
    expect(text).toContain('数值：9.6 mg/m³，数据标记 D（峰值 11.2 mg/m³，3 次）');
    expect(text).toContain('告警升级');
    expect(text).not.toContain('限值');
  });

  it('the SMS fills every template variable, in Chinese, each at most the provider’s 35 characters', () => {
    const params = smsParamsOf('opened', alert, label);
    expect(Object.keys(params).sort()).toEqual([...SMS_TEMPLATE_PARAMS].sort());
    expect(params).toEqual({
      level: '严重',
      event: '新告警',
      enterprise: '淄川建材水泥有限公司',
      source: '窑尾SNCR出口',
      factor: '氨（氨逃逸）',
      value: '9.6 mg/m³',
      limit: '8 mg/m³',
      rule: '超标',
      time: '07-01 10:00',
    });
    const long = smsParamsOf('opened', alert, { enterpriseName: '很'.repeat(50), sourceName: 'x'.repeat(50) });
    expect(long.enterprise).toHaveLength(SMS_PARAM_MAX);
    expect(long.enterprise.endsWith('…')).toBe(true);
    expect(smsParamsOf('opened', { ...alert, rule: 'maintenance-flag', evidence: { flag: 'M' } }, label).limit).toBe('无');
  });

  it('test messages say which target they are for and that nothing needs doing', () => {
    const at = Date.UTC(2026, 6, 1, 2, 0, 0);
    expect(testEmail('值班邮箱', at).subject).toBe('[测试] O3 Sentinel 通知渠道测试：值班邮箱');
    expect(testEmail('值班邮箱', at).text).toContain('2026-07-01 10:00:00');
    expect(Object.keys(testSmsParams('值班短信', at)).sort()).toEqual([...SMS_TEMPLATE_PARAMS].sort());
  });
});
