import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBSCRIPTION, type AlertFacts, type Contacts, type Subscription } from '../domain/duty';
import {
  noticeRecipientsOf,
  personalTargets,
  recipientsOf,
  type PersonalReach,
  type RoutingPeople,
  type RoutingUser,
} from './alert-routing';

const at = Date.parse('2026-07-01T23:30:00+08:00'); // in 22:00–07:00 quiet hours
const H = 3_600_000;
const user = (username: string, role = 'officer', enterpriseId: string | null = null): RoutingUser => ({
  username,
  displayName: username,
  role,
  enterpriseId,
  disabled: false,
});
const sub = (s: Partial<Subscription> = {}): Subscription => ({ ...DEFAULT_SUBSCRIPTION, enabled: true, channels: ['email', 'sms'], ...s });
const both = { email: 'x@sthj.example.cn', phone: '13800138000' };
const alert: AlertFacts = { severity: 'critical', rule: 'bypass', enterpriseId: 'zichuan-cement', district: 'zichuan', kind: 'cems' };
const reach: PersonalReach = { email: true, sms: { signName: '淄博生态环境', templateCode: 'SMS_1' } };

function people(over: Partial<RoutingPeople> = {}): RoutingPeople {
  return {
    users: [
      user('duty'),
      user('night'),
      user('day'),
      user('ent', 'enterprise', 'zichuan-cement'),
      user('other', 'enterprise', 'qilu-power'),
    ],
    contacts: new Map(['duty', 'night', 'day', 'ent', 'other'].map((u) => [u, both])),
    subscriptions: new Map([
      ['night', sub({ quietHours: { from: '22:00', to: '07:00' } })],
      ['day', sub({ channels: ['sms'] })],
      ['ent', sub()],
      ['other', sub()],
    ]),
    shifts: [{ id: 's', username: 'duty', position: 'primary', startsAt: at - H, endsAt: at + H }],
    ...over,
  };
}

describe('recipients of a new alert', () => {
  it('on duty (all channels), subscribers out of quiet hours (their channels), the enterprise’s own users only', () => {
    expect(recipientsOf(alert, people(), at, reach)).toEqual([
      { username: 'duty', channels: ['email', 'sms'], onDuty: true },
      { username: 'day', channels: ['sms'], onDuty: false },
      { username: 'ent', channels: ['email', 'sms'], onDuty: false },
    ]);
  });
  it('quiet hours never apply on duty; a filter that does not match leaves a subscriber out', () => {
    const p = people({
      shifts: [{ id: 's', username: 'night', position: 'backup', startsAt: at - H, endsAt: at + H }],
      subscriptions: new Map([['day', sub({ districts: ['zhangdian'] })]]),
    });
    expect(recipientsOf(alert, p, at, reach).map((r) => r.username)).toEqual(['night']);
  });
  it('an enterprise user on a shift is no duty officer: another enterprise’s alert never reaches them', () => {
    const p = people({ shifts: [{ id: 's', username: 'other', position: 'primary', startsAt: at - H, endsAt: at + H }] });
    expect(recipientsOf(alert, p, at, reach).map((r) => r.username)).not.toContain('other');
  });
  it('a department user gets its sites’ alerts by subscription only, never another’s nor an industrial one, and is never on duty', () => {
    const housing = { ...user('housing', 'department'), department: 'housing' as const };
    const transport = { ...user('transport', 'department'), department: 'transport' as const };
    const p = people({
      users: [housing, transport],
      contacts: new Map([
        ['housing', both],
        ['transport', both],
      ]),
      subscriptions: new Map([
        ['housing', sub()],
        ['transport', sub()],
      ]),
      shifts: [{ id: 's', username: 'transport', position: 'primary', startsAt: at - H, endsAt: at + H }],
    });
    const site: AlertFacts = { ...alert, rule: 'dust-mean', kind: 'dust', ownerDepartment: 'housing' };
    expect(recipientsOf(site, p, at, reach).map((r) => [r.username, r.onDuty])).toEqual([['housing', false]]);
    expect(recipientsOf(alert, p, at, reach)).toEqual([]);
    expect(recipientsOf({ ...alert, ownerDepartment: 'housing' }, p, at, reach)).toEqual([]); // a CEMS is no site
  });
  it('no SMS account: email only; a disabled user or one without contacts gets nothing', () => {
    const p = people({ users: [user('duty'), { ...user('day'), disabled: true }], contacts: new Map([['day', both]]) });
    expect(recipientsOf(alert, p, at, reach)).toEqual([]);
    expect(recipientsOf(alert, people(), at, { email: true, sms: null }).map((r) => [r.username, r.channels])).toEqual([
      ['duty', ['email']],
      ['ent', ['email']],
    ]);
  });
  it('personal targets are never enabled (no broadcast picks them) and carry the person’s own address', () => {
    expect(personalTargets('duty', both, reach)).toEqual([
      { id: 'person:duty:email', name: 'duty (email)', enabled: false, kind: 'email', email: { recipients: [both.email], smtp: null } },
      {
        id: 'person:duty:sms',
        name: 'duty (SMS)',
        enabled: false,
        kind: 'sms',
        sms: { phones: [both.phone], signName: '淄博生态环境', templateCode: 'SMS_1' },
      },
    ]);
  });
});

describe('recipients of a notice to enterprises', () => {
  it('every active user of the addressed enterprises with an email, whatever their subscription or quiet hours; never staff', () => {
    const p = people({
      users: [
        user('duty'),
        user('ent', 'enterprise', 'zichuan-cement'),
        user('ent-phone-only', 'enterprise', 'zichuan-cement'),
        { ...user('ent-gone', 'enterprise', 'zichuan-cement'), disabled: true },
        user('other', 'enterprise', 'qilu-power'),
      ],
      contacts: new Map<string, Contacts>([
        ['duty', both],
        ['ent', both],
        ['ent-phone-only', { email: null, phone: '13800138000' }],
        ['ent-gone', both],
        ['other', both],
      ]),
      subscriptions: new Map([['ent', sub({ enabled: false, quietHours: { from: '22:00', to: '07:00' } })]]),
    });
    expect(noticeRecipientsOf(['zichuan-cement'], p)).toEqual(['ent']);
    expect(noticeRecipientsOf(['zichuan-cement', 'qilu-power'], p)).toEqual(['ent', 'other']);
    expect(noticeRecipientsOf([], p)).toEqual([]);
  });
});
