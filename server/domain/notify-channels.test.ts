import { describe, expect, it } from 'vitest';
import {
  emailSettingsSchema,
  emailSettingsView,
  isEmailAddress,
  isMobilePhone,
  normalizePhone,
  smsSettingsSchema,
} from './notify-channels';
import { newNotifyTargetSchema, notifyTargetPatchSchema, notifyTargetView } from './notify-target';

describe('email addresses and mobile phones', () => {
  it.each([
    ['duty@sthj.zibo.gov.cn', true],
    ['a.b+c@example.com', true],
    ['no-at.example.com', false],
    ['two@@example.com', false],
    ['x@localhost', false],
    ['x y@example.com', false],
    ['"Duty" <duty@example.com>', false],
    [`${'a'.repeat(250)}@ex.com`, false],
  ])('%s is an address: %s', (v, ok) => expect(isEmailAddress(v)).toBe(ok));

  it.each([
    ['13800138000', true],
    ['19912345678', true],
    ['12800138000', false],
    ['1380013800', false],
    ['138001380001', false],
    ['+8613800138000', false],
  ])('%s is a mobile number: %s', (v, ok) => expect(isMobilePhone(v)).toBe(ok));

  it.each([
    ['+86 138-0013-8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['86 13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['8612', '8612'],
  ])('normalizePhone(%s) = %s', (v, out) => expect(normalizePhone(v)).toBe(out));
});

describe('channel settings schemas', () => {
  it('email: recipients required, unique, valid; the SMTP server optional (null: the configured one)', () => {
    expect(emailSettingsSchema.parse({ recipients: [' duty@example.com '] })).toEqual({ recipients: ['duty@example.com'], smtp: null });
    expect(emailSettingsSchema.safeParse({ recipients: [] }).success).toBe(false);
    expect(emailSettingsSchema.safeParse({ recipients: ['a@example.com', 'A@example.com'] }).success).toBe(false);
    const bad = emailSettingsSchema.safeParse({ recipients: ['nope'] });
    expect(bad.error?.issues[0]).toMatchObject({ path: ['recipients', 0], message: expect.stringMatching(/email address/) });
    const smtp = { host: 'smtp.example.com', port: 465, security: 'tls', from: 'o3@example.com', password: 'pw' };
    expect(emailSettingsSchema.parse({ recipients: ['a@example.com'], smtp }).smtp).toEqual({ ...smtp, username: '' });
    expect(emailSettingsSchema.safeParse({ recipients: ['a@example.com'], smtp: { ...smtp, port: 0 } }).success).toBe(false);
    expect(emailSettingsSchema.safeParse({ recipients: ['a@example.com'], smtp: { ...smtp, security: 'ssl' } }).success).toBe(false);
    expect(emailSettingsSchema.safeParse({ recipients: ['a@example.com'], smtp: { ...smtp, host: 'a b' } }).success).toBe(false);
  });

  it('sms: phones, sign name (2–12), template code SMS_…', () => {
    const ok = { phones: ['13800138000'], signName: '淄博生态环境', templateCode: 'SMS_465324011' };
    expect(smsSettingsSchema.parse(ok)).toEqual(ok);
    expect(smsSettingsSchema.safeParse({ ...ok, phones: ['+8613800138000'] }).error?.issues[0]?.path).toEqual(['phones', 0]);
    expect(smsSettingsSchema.safeParse({ ...ok, phones: [] }).success).toBe(false);
    expect(smsSettingsSchema.safeParse({ ...ok, signName: '淄' }).success).toBe(false);
    expect(smsSettingsSchema.safeParse({ ...ok, signName: '一二三四五六七八九十一二三' }).success).toBe(false);
    expect(smsSettingsSchema.safeParse({ ...ok, templateCode: '465324011' }).success).toBe(false);
  });
});

describe('targets of every kind', () => {
  it('the create schema picks the kind (webhook when none), and refuses fields of another kind', () => {
    expect(newNotifyTargetSchema.parse({ name: 'm', kind: 'email', email: { recipients: ['a@example.com'] } })).toEqual({
      name: 'm',
      kind: 'email',
      enabled: true,
      email: { recipients: ['a@example.com'], smtp: null },
    });
    expect(newNotifyTargetSchema.safeParse({ name: 'm', kind: 'email', url: 'https://example.com/' }).success).toBe(false);
    expect(newNotifyTargetSchema.safeParse({ name: 'm', kind: 'sms', sms: { phones: ['13800138000'] } }).success).toBe(false);
    expect(newNotifyTargetSchema.safeParse({ name: 'm', kind: 'fax' }).error?.issues[0]?.path).toEqual(['kind']);
  });

  it('the patch schema takes the settings of any kind (the store checks they fit)', () => {
    expect(
      notifyTargetPatchSchema.safeParse({ version: 1, sms: { phones: ['13800138000'], signName: 'ab', templateCode: 'SMS_1' } }).success,
    ).toBe(true);
    expect(notifyTargetPatchSchema.safeParse({ version: 1, kind: 'sms' }).success).toBe(false);
  });

  it('the view never carries the SMTP password, only whether there is one', () => {
    const base = { id: 'i', name: 'm', enabled: true, createdAt: 1, updatedAt: 1, version: 1 };
    const smtp = {
      host: 'smtp.example.com',
      port: 587,
      security: 'starttls' as const,
      username: 'u',
      password: 's3cr3t',
      from: 'o3@example.com',
    };
    const view = notifyTargetView({ ...base, kind: 'email', email: { recipients: ['a@example.com'], smtp } });
    expect(JSON.stringify(view)).not.toContain('s3cr3t');
    expect(view).toMatchObject({ kind: 'email', email: { smtp: { host: 'smtp.example.com', username: 'u', hasPassword: true } } });
    expect(emailSettingsView({ recipients: ['a@example.com'], smtp: { ...smtp, password: '' } }).smtp?.hasPassword).toBe(false);
  });
});
