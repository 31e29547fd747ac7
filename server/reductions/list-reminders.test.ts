import { describe, expect, it } from 'vitest';
import { formatReminder, reminderMarkdown } from './list-reminders';

const e = { id: 'qilu-power', name: '齐鲁示范热电有限公司' };

describe('the reminder’s words', () => {
  it.each<[string, string]>([
    ['2026-08-01', '- 请于 2026年8月31日前报送 2026 年度应急减排清单'],
    ['2026-08-31', '- 请于 2026年8月31日前报送 2026 年度应急减排清单'],
    ['2026-09-01', '- 2026 年度应急减排清单应于 2026年8月31日前报送，现已逾期，请尽快报送'],
  ])('%s: %s', (today, line) => {
    expect(reminderMarkdown(e, 2026, today).split('\n')).toContain(line);
  });

  it.each<['email' | 'json' | 'dingtalk' | 'wecom', unknown]>([
    ['email', { subject: '【应急减排清单报送提醒】齐鲁示范热电有限公司', text: expect.stringContaining('请于 2026年8月31日前报送') }],
    [
      'json',
      {
        event: 'reduction_list_due',
        title: '【应急减排清单报送提醒】齐鲁示范热电有限公司',
        enterpriseId: 'qilu-power',
        year: 2026,
        due: '2026-08-31',
      },
    ],
    [
      'dingtalk',
      { msgtype: 'markdown', markdown: { title: '【应急减排清单报送提醒】齐鲁示范热电有限公司', text: expect.stringMatching(/^### /) } },
    ],
    ['wecom', { msgtype: 'markdown', markdown: { content: expect.stringContaining('企业：齐鲁示范热电有限公司') } }],
  ])('as %s', (channel, body) => {
    expect(formatReminder(channel, e, 2026, '2026-08-02')).toEqual(body);
  });
});
