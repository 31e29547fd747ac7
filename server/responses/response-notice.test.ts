import { describe, expect, it } from 'vitest';
import type { ResolvedMeasure } from '../domain/reduction-list';
import { formatResponseNotice, measureLine, responseMarkdown } from './response-notice';

const m = (over: Partial<ResolvedMeasure['measure']>, obligation: ResolvedMeasure['obligation'] = 'required'): ResolvedMeasure => ({
  entryId: 'e1',
  name: '喷涂工序',
  obligation,
  measure: { action: 'stop', indicators: [], expectedKgH: {}, ...over },
  fromLevel: 'orange',
  policy: 'as-listed',
});

describe('response notices', () => {
  it.each<[string, ResolvedMeasure, string]>([
    ['a stop', m({}), '喷涂工序：停产，须执行'],
    [
      'a limit with a window',
      m({ action: 'limit', limitToPct: 50, window: { from: '09:00', to: '17:00' } }),
      '喷涂工序：限产至 50%，09:00–17:00，须执行',
    ],
    ['voluntary, described', m({ description: '停1#线' }, 'voluntary'), '喷涂工序：停产（停1#线），自愿执行'],
  ])('%s', (_what, measure, line) => {
    expect(measureLine(measure)).toBe(line);
  });

  it('a non-compliance names the hours in China time; every format carries the title', () => {
    const n = {
      kind: 'noncompliance' as const,
      responseId: 1,
      level: 'orange' as const,
      name: '金华石化',
      measure: '1#线',
      hours: [Date.parse('2026-12-01T02:00:00Z'), Date.parse('2026-12-01T03:00:00Z')],
    };
    expect(responseMarkdown(n)).toContain('2026-12-01 10:00 至 2026-12-01 12:00（北京时间，连续 2 小时）');
    expect(formatResponseNotice('email', n)).toMatchObject({ subject: '【减排措施未落实】Ⅱ级（橙色）预警响应' });
    expect(formatResponseNotice('json', n)).toMatchObject({ event: 'response_noncompliance' });
  });

  it('a line running in its peak-shift stop period: the line, the period and the hours, no warning level', () => {
    const n = {
      kind: 'peakShift' as const,
      name: '山水水泥',
      entry: '1#熟料线',
      from: '2026-11-15',
      to: '2027-03-15',
      hours: [Date.parse('2026-12-01T02:00:00Z'), Date.parse('2026-12-01T03:00:00Z')],
    };
    const md = responseMarkdown(n);
    expect(md).toContain('- 错峰停产时段：2026-11-15 至 2027-03-15');
    expect(md).toContain('- 仍在生产：2026-12-01 10:00 至 2026-12-01 12:00（北京时间，连续 2 小时）');
    expect(md).not.toMatch(/预警|undefined/);
    expect(formatResponseNotice('email', n)).toMatchObject({ subject: '【错峰生产未落实】1#熟料线' });
    expect(formatResponseNotice('json', n)).toMatchObject({ event: 'peak_shift_noncompliance' });
    expect(formatResponseNotice('wecom', n)).toMatchObject({ msgtype: 'markdown', markdown: { content: md } });
  });
});
