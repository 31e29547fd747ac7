import { describe, expect, it } from 'vitest';
import { DEFAULT_DOWNGRADE_POLICY, downgradeDue, downgradeReason, gradeBelow, type NoncomplianceFact } from './grade-downgrade';
import type { Grade } from './registry';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-10T00:00:00+08:00');
const alert = (alertId: number, responseId: number | null, daysAgo: number): NoncomplianceFact => ({
  alertId,
  responseId,
  openedAt: NOW - daysAgo * DAY,
});

describe('gradeBelow: one level lower', () => {
  it.each<[Grade | undefined, Grade | null]>([
    ['leading', 'A'],
    ['A', 'B'],
    ['B', 'C'],
    ['C', null],
    ['non-graded', null],
    ['ungraded', null],
    [undefined, null],
  ])('%s → %s', (grade, below) => {
    expect(gradeBelow(grade)).toBe(below);
  });
});

describe('downgradeDue (the table is the trigger)', () => {
  it.each<[string, Grade | undefined, NoncomplianceFact[], number | null, { to: Grade; responses: number[]; alerts: number[] } | null]>([
    ['no alerts', 'B', [], null, null],
    ['one failed response, however many alerts', 'B', [alert(1, 7, 3), alert(2, 7, 2), alert(3, 7, 1)], null, null],
    ['two failed responses', 'B', [alert(1, 7, 40), alert(5, 9, 2)], null, { to: 'C', responses: [7, 9], alerts: [1, 5] }],
    [
      'two responses, every alert counted as evidence',
      'A',
      [alert(6, 9, 1), alert(1, 7, 40), alert(2, 7, 39)],
      null,
      { to: 'B', responses: [7, 9], alerts: [1, 2, 6] },
    ],
    ['one of them older than 365 days', 'B', [alert(1, 7, 366), alert(5, 9, 2)], null, null],
    ['decided since the first: the dismissed evidence does not count again', 'B', [alert(1, 7, 40), alert(5, 9, 2)], NOW - 10 * DAY, null],
    [
      'two new failures after the decision',
      'B',
      [alert(1, 7, 40), alert(5, 9, 8), alert(8, 11, 1)],
      NOW - 10 * DAY,
      { to: 'C', responses: [9, 11], alerts: [5, 8] },
    ],
    [
      'alerts without a response count one by one',
      'leading',
      [alert(1, null, 5), alert(2, null, 4)],
      null,
      { to: 'A', responses: [], alerts: [1, 2] },
    ],
    ['grade C: nothing lower', 'C', [alert(1, 7, 40), alert(5, 9, 2)], null, null],
    ['not graded: the full list already applies', 'ungraded', [alert(1, 7, 40), alert(5, 9, 2)], null, null],
    ['no grade at all', undefined, [alert(1, 7, 40), alert(5, 9, 2)], null, null],
    ['an alert in the future (clock skew) is not counted', 'B', [alert(1, 7, 40), alert(5, 9, -1)], null, null],
  ])('%s', (_what, grade, alerts, decidedAt, expected) => {
    const due = downgradeDue({ grade, alerts, now: NOW, decidedAt, policy: DEFAULT_DOWNGRADE_POLICY });
    expect(due).toEqual(expected && { fromGrade: grade, toGrade: expected.to, responseIds: expected.responses, alertIds: expected.alerts });
  });

  it.each<[number, number, boolean]>([
    [1, 365, true],
    [3, 365, false],
    [2, 30, false],
    [2, 41, true],
  ])('configurable: %i failed responses within %i days → %s', (failedResponses, windowDays, due) => {
    const alerts = [alert(1, 7, 40), alert(5, 9, 2)];
    expect(downgradeDue({ grade: 'B', alerts, now: NOW, decidedAt: null, policy: { failedResponses, windowDays } }) !== null).toBe(due);
  });
});

describe('downgradeReason', () => {
  it.each<[number, number[], string | null, string]>([
    [2, [1, 5], null, '未落实减排措施：2 次应急响应中未按清单落实（减排措施未落实告警 2 条），按规定下调绩效分级'],
    [
      3,
      [1, 2, 3, 4],
      '经现场核查属实',
      '未落实减排措施：3 次应急响应中未按清单落实（减排措施未落实告警 4 条），按规定下调绩效分级；经现场核查属实',
    ],
  ])('%i responses, alerts %j, note %s', (failedResponses, alertIds, note, text) => {
    expect(downgradeReason({ failedResponses, alertIds, note })).toBe(text);
  });
});
