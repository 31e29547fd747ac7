import { AUDIT_ACTIONS } from '@domain/audit';
import { describe, expect, it } from 'vitest';
import en from '../../locales/en';
import zhCN from '../../locales/zh-CN';
import { actionKey, AUDIT_ACTION_CODES, changedFields, describeValue, fieldLabel, targetOf, type Words } from './audit-detail';

const LABELS: Record<string, string> = {
  'admin.field.grade': '绩效分级',
  'admin.field.limits': '限值',
  'admin.field.other': '其他字段',
  'admin.onboarding.installed': '已安装',
  'admin.seal.broken': '铅封破损',
  'admin.stationClass.micro': '微站',
  'admin.notify.kind.webhook': 'Webhook 机器人',
  'admin.notify.format.dingtalk': '钉钉群机器人',
  'admin.notify.format.wecom': '企业微信群机器人',
};
const words: Words = {
  none: '—',
  yes: '是',
  no: '否',
  hidden: '（已隐藏）',
  label: (k) => LABELS[k] ?? null,
  factor: (c) => ({ a21002: '氮氧化物', a21026: '二氧化硫' })[c] ?? c,
  unit: () => 'mg/m³',
  kind: (k) => (k === 'cems' ? '烟气 CEMS' : k),
  grade: (g) => (g === 'A' ? 'A级' : 'B级'),
  limit: (l, u) => `≤ ${l.max} ${u}`,
  enterprise: (id) => (id === 'coke' ? '龙城焦化' : id),
};

describe('audit detail', () => {
  it('lists only the fields that changed, added and removed ones too', () => {
    const detail = {
      before: { id: 'e1', name: '甲', grade: 'B', park: '园区' },
      after: { id: 'e1', name: '甲', grade: 'A', keyUnit: true },
    };
    expect(changedFields(detail)).toEqual([
      { field: 'grade', before: 'B', after: 'A' },
      { field: 'keyUnit', before: undefined, after: true },
      { field: 'park', before: '园区', after: undefined },
    ]);
  });

  it('a registry change pairs its records by id and MN, naming each when there are several', () => {
    const ent = { id: 'coke', name: '龙城焦化', district: '龙城区' };
    const src = { mn: 'M1', name: '焦炉烟囱', kind: 'cems', pw: '***' };
    const created = {
      before: { enterprises: [], sources: [], facilities: [] },
      after: { enterprises: [], sources: [src], facilities: [] },
    };
    expect(changedFields(created)).toEqual([
      { field: 'mn', before: undefined, after: 'M1' },
      { field: 'name', before: undefined, after: '焦炉烟囱' },
      { field: 'kind', before: undefined, after: 'cems' },
      { field: 'pw', before: undefined, after: '***' },
    ]);
    const graded = {
      before: { enterprises: [ent], sources: [src] },
      after: { enterprises: [{ ...ent, grade: 'A' }], sources: [{ ...src, name: '新' }] },
    };
    expect(changedFields(graded)).toEqual([
      { field: 'grade', before: undefined, after: 'A', record: '龙城焦化' },
      { field: 'name', before: '焦炉烟囱', after: '新', record: '新' },
    ]);
  });

  it('a creation has no before, a deletion no after; a role change uses from/to', () => {
    expect(changedFields({ before: null, after: { name: '甲' } })).toEqual([{ field: 'name', before: undefined, after: '甲' }]);
    const roleChange = { from: { role: 'officer' }, to: { role: 'admin' } };
    expect(changedFields(roleChange)).toEqual([{ field: 'role', before: 'officer', after: 'admin' }]);
    expect(changedFields({ sessionsEnded: 2 })).toEqual([]);
    expect(changedFields(null)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['grade', 'A', 'A级'],
    ['kind', 'cems', '烟气 CEMS'],
    ['keyUnit', false, '否'],
    ['limits', { a21002: { max: 50 }, a21026: { max: 35 } }, '氮氧化物 ≤ 50 mg/m³；二氧化硫 ≤ 35 mg/m³'],
    ['limitSchedule', [{ factor: 'a21002', from: '2027-01-01', limit: { max: 50 } }], '氮氧化物 ≤ 50 mg/m³（2027-01-01 – …）'],
    ['bypass', { seal: 'broken' }, '铅封破损'],
    ['onboarding', { status: 'installed', due: { networked: '2027-06-30' } }, '已安装'],
    ['stationClass', 'micro', '微站'],
    ['industry', { code: 'C2521', name: '炼焦' }, 'C2521 炼焦'],
    ['capacity', { value: 130, unit: 't/h' }, '130 t/h'],
    ['pw', '***', '（已隐藏）'],
    ['mqttPassword', 'secret-value', '（已隐藏）'],
    ['park', undefined, '—'],
    ['pw', undefined, '—'],
    ['enterpriseId', 'coke', '龙城焦化'],
    ['outletMns', ['M1', 'M2'], 'M1、M2'],
  ])('%s %j reads %s', (field, value, text) => {
    expect(describeValue(field, value, words)).toBe(text);
  });

  it('a notification target change reads in words: kind, format, enabled; the URL as the server masked it', () => {
    const detail = {
      before: {
        name: '值班室',
        kind: 'webhook',
        format: 'dingtalk',
        url: 'https://oapi.dingtalk.com/robot/***?access_token=***',
        enabled: true,
      },
      after: { name: '值班室', kind: 'webhook', format: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/***?key=***', enabled: false },
    };
    const text = changedFields(detail).map(
      (c) => `${c.field}: ${describeValue(c.field, c.before, words)} → ${describeValue(c.field, c.after, words)}`,
    );
    expect(text).toEqual([
      'format: 钉钉群机器人 → 企业微信群机器人',
      'url: https://oapi.dingtalk.com/robot/***?access_token=*** → https://qyapi.weixin.qq.com/cgi-bin/***?key=***',
      'enabled: 是 → 否',
    ]);
    expect(describeValue('kind', 'webhook', words)).toBe('Webhook 机器人');
    expect(describeValue('kind', 'cems', words)).toBe('烟气 CEMS');
  });

  it('a field the locale does not know reads "other field", never its key', () => {
    expect(fieldLabel('grade', words)).toBe('绩效分级');
    expect(fieldLabel('someNewField', words)).toBe('其他字段');
  });

  it.each<[string | null, { type: string; id: string } | null]>([
    ['enterprise:longcheng-coke', { type: 'enterprise', id: 'longcheng-coke' }],
    ['source:211300CEMS00000000000901', { type: 'source', id: '211300CEMS00000000000901' }],
    ['user:12', { type: 'user', id: '12' }],
    ['/api/alerts/3/acknowledge', { type: 'alert', id: '3' }],
    ['notify-target:6f1c0c1e-2b7a-4c55-9b0e-1d2f3a4b5c6d', { type: 'notifytarget', id: '6f1c0c1e-2b7a-4c55-9b0e-1d2f3a4b5c6d' }],
    ['notify-targets', { type: 'notifytargets', id: '' }],
    [null, null],
  ])('target %s', (target, parsed) => {
    expect(targetOf(target)).toEqual(parsed);
  });
});

/** The text at a dotted locale key, or undefined. */
const textAt = (messages: object, key: string): unknown =>
  key.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), messages);
/** Every leaf key under an object, dotted. */
const leafKeys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? leafKeys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('audit action words', () => {
  it.each(AUDIT_ACTIONS)('%s has words in zh-CN and en', (action) => {
    for (const messages of [zhCN, en]) {
      const text = textAt(messages, actionKey(action));
      expect(typeof text === 'string' && text.length > 0, `${actionKey(action)}`).toBe(true);
    }
  });

  it('the locales name no action the trail does not record', () => {
    for (const messages of [zhCN, en]) {
      const named = leafKeys(messages.admin.audit.actions);
      expect(named.sort()).toEqual([...AUDIT_ACTIONS].sort());
    }
  });

  it('the viewer offers these actions as a filter, in this order', () => {
    expect(AUDIT_ACTION_CODES).toEqual([
      'registry.enterprise_created',
      'registry.enterprise_updated',
      'registry.enterprise_deleted',
      'registry.grade_changed',
      'registry.source_created',
      'registry.source_updated',
      'registry.source_deleted',
      'registry.credentials_rotated',
      'registry.facility_created',
      'registry.facility_updated',
      'registry.facility_deleted',
      'registry.import_applied',
      'registry.credentials_exported',
      'power.import_applied',
      'reductions.list_filed',
      'reductions.list_acknowledged',
      'reductions.downgrade_proposed',
      'reductions.downgrade_confirmed',
      'reductions.downgrade_dismissed',
      'notify.target_created',
      'notify.target_updated',
      'notify.target_deleted',
      'notify.target_tested',
      'duty.shift_created',
      'duty.shift_updated',
      'duty.shift_deleted',
      'duty.escalation_changed',
      'duty.settings_changed',
      'records.adsorbent_logged',
      'records.plan_filed',
      'records.plan_changed',
      'case.created',
      'case.submitted',
      'case.accepted',
      'case.closed',
      'case.returned',
      'case.attachment_refused',
      'case.attachment_deleted',
      'case.overdue',
      'case.evidence_exported',
      'user_created',
      'user_updated',
      'role_changed',
      'user_disabled',
      'user_enabled',
      'password_reset',
      'password_changed',
      'password_change_required',
      'password_change_waived',
      'login',
      'login_failed',
      'logout',
      'api_token.created',
      'api_token.revoked',
      'api_token.refused',
      'alert_acknowledged',
      'alert_resolved',
      'silence_created',
      'maintenance_declared',
      'maintenance_approved',
      'maintenance_rejected',
      'rule_pack_changed',
      'rule_override_changed',
      'campaign_created',
      'campaign_activated',
      'campaign_ended',
      'warning_issued',
      'warning_changed',
      'warning_lifted',
      'warning_cancelled',
      'prenotice_issued',
      'comparison_recorded',
    ]);
  });
});
