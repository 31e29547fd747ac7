import { describe, expect, it } from 'vitest';
import type { Warning } from '../domain/warning';
import { formatWarningNotice, warningMarkdown, warningTitle } from './warning-notice';

const w: Warning = {
  id: 4,
  kind: 'heavy_pollution',
  level: 'red',
  basis: 'regional_consultation',
  districts: ['双塔区', '龙城区'],
  issuedBy: 'ozone',
  issuedAt: Date.UTC(2026, 11, 4, 2),
  startAt: Date.UTC(2026, 11, 4, 16), // 2026-12-05 00:00 China time
  plannedLiftAt: null,
  liftedAt: null,
  liftedBy: null,
  status: 'issued',
  note: '内部说明',
  history: [
    { at: 1, by: 'ozone', event: 'issued', fromLevel: null, toLevel: 'orange', note: null },
    { at: 2, by: 'ozone', event: 'upgraded', fromLevel: 'orange', toLevel: 'red', note: '内部说明' },
  ],
  version: 2,
};

describe('warning notices', () => {
  it('say what happened, the kind and level, scope, basis and times in China time, never the note', () => {
    expect(warningTitle('issued', w)).toBe('【发布】重污染天气红色预警');
    const text = warningMarkdown('changed', w);
    expect(text).toContain('范围：双塔区、龙城区');
    expect(text).toContain('依据：生态环境部区域会商结果');
    expect(text).toContain('开始：2026-12-05 00:00（北京时间）');
    expect(text).toContain('预计解除：另行通知');
    expect(text).toContain('级别：橙色 → 红色');
    expect(text).not.toContain('内部说明');
  });

  it('formats for each target', () => {
    expect(formatWarningNotice('dingtalk', 'lifted', { ...w, status: 'lifted', liftedAt: Date.UTC(2026, 11, 6, 1) })).toEqual({
      msgtype: 'markdown',
      markdown: { title: '【解除】重污染天气红色预警', text: expect.stringContaining('解除时间：2026-12-06 09:00') },
    });
    expect(formatWarningNotice('wecom', 'issued', w)).toEqual({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('【发布】') },
    });
    const json = formatWarningNotice('json', 'issued', w) as { event: string; warning: Warning };
    expect(json.event).toBe('warning_issued');
    expect(json.warning.note).toBeNull();
    expect(JSON.stringify(json)).not.toContain('内部说明');
    const mail = formatWarningNotice('email', 'issued', w) as { subject: string; text: string };
    expect(mail.subject).toBe('【发布】重污染天气红色预警');
    expect(mail.text).toContain('范围：双塔区、龙城区');
    expect(mail.text).not.toMatch(/^(###|-) /m);
    expect(mail.text).not.toContain('内部说明');
  });
});
