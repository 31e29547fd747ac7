import { describe, expect, it } from 'vitest';
import type { Alert, AlertHistoryEntry, HistoryKind, MaintenanceWindow } from './alert';
import { alertForEnterprise, historyForEnterprise, windowForEnterprise } from './enterprise-view';

const NAMES = (u: string): string => ({ li: '李明' })[u] ?? u;

const entry = (kind: HistoryKind, actor: string, note: string | null, internal?: boolean): AlertHistoryEntry => ({
  id: 1,
  alertId: 1,
  mn: 'M1',
  kind,
  at: 1,
  actor,
  note,
  ...(internal === undefined ? {} : { internal }),
});

describe('what an enterprise receives of an alert’s history', () => {
  it.each<[string, AlertHistoryEntry, AlertHistoryEntry | null]>([
    ['system notes as they are', entry('opened', 'system', '9 mg/m³ (limit 8)'), entry('opened', 'system', '9 mg/m³ (limit 8)')],
    [
      'that the bureau silenced it: nothing',
      entry('opened', 'system', '9 mg/m³ (limit 8); recorded quietly: silence'),
      entry('opened', 'system', '9 mg/m³ (limit 8)'),
    ],
    [
      'its own maintenance: as it is',
      entry('opened', 'system', '9 (limit 8); recorded quietly: maintenance'),
      entry('opened', 'system', '9 (limit 8); recorded quietly: maintenance'),
    ],
    ['a silence and its reason: nothing', entry('silenced', 'li', 'silence #3 until …: 企业疑似造假，暂不通知'), null],
    ['an assignment and its note: nothing', entry('assigned', 'li', 'assigned to wang'), null],
    ['an internal comment: nothing', entry('commented', 'li', '该企业屡次超标', true), null],
    ['a comment for the enterprise', entry('commented', 'li', '请说明原因', false), entry('commented', 'li', '请说明原因', false)],
    ['its own comment', entry('commented', 'zc.env', '喷枪检修'), entry('commented', 'zc.env', '喷枪检修')],
    ['acknowledged: the fact, not the officer’s note', entry('acknowledged', 'li', '已电话核实'), entry('acknowledged', 'li', null)],
    ['resolved: the fact, not the officer’s note', entry('resolved', 'li', '移交执法'), entry('resolved', 'li', null)],
    [
      'resolved by the system: as it is',
      entry('resolved', 'system', 'cleared after acknowledgement'),
      entry('resolved', 'system', 'cleared after acknowledgement'),
    ],
    [
      'escalated: as it is',
      entry('escalated', 'system', 'unacknowledged for 15 min'),
      entry('escalated', 'system', 'unacknowledged for 15 min'),
    ],
    [
      'a step of the bureau’s escalation chain (who was called): nothing',
      {
        ...entry('escalated', 'system', null),
        detail: { code: 'escalationStep', step: 1, minutes: 10, to: 'backup', user: '吴备班', channels: ['email'] },
      },
      null,
    ],
  ])('%s', (_name, e, expected) => {
    expect(historyForEnterprise([e], (u) => u)).toEqual(expected === null ? [] : [expected]);
  });
});

describe('what an enterprise receives of an alert', () => {
  const alert = { id: 1, suppressed: null, assignee: null } as unknown as Alert;
  it.each<[string, Partial<Alert>, Partial<Alert>]>([
    ['a silenced alert shows no silence', { suppressed: 'silence' }, { suppressed: null }],
    ['its own maintenance is kept', { suppressed: 'maintenance' }, { suppressed: 'maintenance' }],
    ['an inhibited alert is kept', { suppressed: 'inhibited' }, { suppressed: 'inhibited' }],
    ['no assignee', { assignee: 'wang' }, { assignee: null }],
    ['who acknowledged and closed it: by name', { acknowledgedBy: 'li', closedBy: 'li' }, { acknowledgedBy: '李明', closedBy: '李明' }],
    ['closed by the system: as it is', { acknowledgedBy: null, closedBy: 'system' }, { acknowledgedBy: null, closedBy: 'system' }],
  ])('%s', (_name, over, expected) => {
    expect(alertForEnterprise({ ...alert, ...over }, NAMES)).toMatchObject(expected);
  });
});

describe('who acted on an alert, as an enterprise reads it', () => {
  it.each<[string, string, string]>([
    ['an officer: by display name', 'li', '李明'],
    ['the system: as it is', 'system', 'system'],
    ['someone unknown: as the namer says', 'ghost', 'ghost'],
  ])('%s', (_name, actor, shown) => {
    expect(historyForEnterprise([entry('commented', actor, '请说明原因', false)], NAMES)[0]?.actor).toBe(shown);
  });
});

describe('a maintenance window, as an enterprise reads it', () => {
  const w = { id: 1, declaredBy: 'qilu-power', reviewedBy: 'li', endedBy: null } as unknown as MaintenanceWindow;
  it.each<[string, Partial<MaintenanceWindow>, Partial<MaintenanceWindow>]>([
    ['reviewed by an officer: by name', {}, { declaredBy: 'qilu-power', reviewedBy: '李明', endedBy: null }],
    ['declared and ended by an officer: by name', { declaredBy: 'li', endedBy: 'li' }, { declaredBy: '李明', endedBy: '李明' }],
    ['approved by the system: as it is', { reviewedBy: 'system' }, { reviewedBy: 'system' }],
  ])('%s', (_name, over, expected) => {
    expect(windowForEnterprise({ ...w, ...over }, NAMES)).toMatchObject(expected);
  });
});
