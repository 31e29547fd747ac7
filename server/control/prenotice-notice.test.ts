import { describe, expect, it } from 'vitest';
import type { PreNotice } from '../domain/prenotice';
import { formatPreNoticeNotice, preNoticeMarkdown, preNoticeTitle } from './prenotice-notice';

const p: PreNotice = {
  id: 2,
  districts: ['双塔区', '北票市'],
  level: 'red',
  from: '2026-12-05',
  to: '2026-12-09',
  message: '请提前调整生产计划',
  issuedBy: 'ozone',
  issuedAt: 1,
  outlook: {
    horizon: { from: '2026-12-04', to: '2026-12-13' },
    episodes: [],
    qualifyingDays: 0,
    frequent: false,
    rule: { minEpisodes: 2, minDays: 4 },
  },
  recipients: ['钢铁', '焦化', '水泥'].map((name, i) => ({
    enterpriseId: `e${i}`,
    name,
    district: '双塔区',
    industryCode: null,
    industryName: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
  })),
};

describe('pre-notice notices', () => {
  it('say the level, scope, period, how many enterprises and what they are asked', () => {
    expect(preNoticeTitle(p)).toBe('【预通知】预计将频繁出现红色及以上重污染天气');
    expect(preNoticeMarkdown(p).split('\n')).toEqual([
      '### 【预通知】预计将频繁出现红色及以上重污染天气',
      '- 范围：双塔区、北票市',
      '- 时段：2026-12-05 至 2026-12-09',
      '- 对象：生产工序不可中断或短时间内难以完全停产的行业企业 3 家',
      '- 要求：请提前调整生产计划',
    ]);
  });

  it.each(['dingtalk', 'wecom', 'json', 'email'] as const)('formats for %s', (channel) => {
    const body = JSON.stringify(formatPreNoticeNotice(channel, p));
    expect(body).toContain('预通知');
    expect(body).not.toContain('"outlook":{'); // the outlook stays inside the bureau
  });
});
