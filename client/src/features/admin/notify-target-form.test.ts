import type { NotifyTargetView } from '@domain/notify-target';
import { describe, expect, it } from 'vitest';
import {
  emptyNotifyTargetDraft,
  notifyTargetDraftOf,
  toNewNotifyTarget,
  toNotifyTargetChange,
  validateNotifyTarget,
} from './notify-target-form';

const stored: NotifyTargetView = {
  id: 'x',
  name: '值班室',
  kind: 'webhook',
  format: 'dingtalk',
  url: 'https://oapi.dingtalk.com/robot/***?access_token=***',
  enabled: true,
  createdAt: 1,
  updatedAt: 1,
  version: 3,
  delivery: { pending: 0, delivered: 0, failedAttempts: 0, abandoned: 0, lastError: null, lastErrorAt: null, lastDeliveredAt: null },
};
const draft = (over: Partial<ReturnType<typeof emptyNotifyTargetDraft>>) => ({ ...emptyNotifyTargetDraft(), ...over });

describe('the notification target form', () => {
  it.each([
    [{ name: '', url: 'https://a.example/' }, { name: 'required' }],
    [{ name: 'x'.repeat(61), url: 'https://a.example/' }, { name: 'nameTooLong' }],
    [{ name: '值班室', url: 'https://a.example/' }, { name: 'duplicateName' }],
    [{ name: 'a', url: '' }, { url: 'required' }],
    [{ name: 'a', url: 'oapi.dingtalk.com/robot' }, { url: 'url' }],
    [{ name: 'a', url: 'ftp://a.example/' }, { url: 'protocol' }],
    [{ name: 'a', url: 'https://me:pw@a.example/' }, { url: 'userinfo' }],
    [{ name: 'a', url: 'https://a.example/hook?key=1' }, {}],
  ])('a new target %o → %o', (over, errors) => {
    expect(validateNotifyTarget(draft(over), null, ['值班室'])).toEqual(errors);
  });

  it('editing: an empty URL keeps the stored one; the own name is not a duplicate; only changes are sent', () => {
    const d = notifyTargetDraftOf(stored);
    expect(d).toMatchObject({ kind: 'webhook', name: '值班室', format: 'dingtalk', url: '', enabled: true });
    expect(validateNotifyTarget(d, stored, ['值班室'])).toEqual({});
    expect(toNotifyTargetChange(d, stored)).toBeNull();
    expect(toNotifyTargetChange({ ...d, name: ' 值班室2 ', url: 'https://b.example/h' }, stored)).toEqual({
      name: '值班室2',
      url: 'https://b.example/h',
    });
    expect(validateNotifyTarget({ ...d, url: 'http://x' }, stored)).toEqual({});
    expect(validateNotifyTarget({ ...d, url: 'mailto:x@y' }, stored)).toEqual({ url: 'protocol' });
  });

  it('a new target trims what was typed', () => {
    expect(toNewNotifyTarget(draft({ name: ' 群 ', url: ' https://a.example/h ', format: 'wecom' }))).toEqual({
      name: '群',
      kind: 'webhook',
      format: 'wecom',
      url: 'https://a.example/h',
      enabled: true,
    });
  });

  it.each([
    [{ recipients: '' }, { recipients: 'required' }],
    [{ recipients: 'duty@example.com, nope' }, { recipients: 'emailInvalid' }],
    [{ recipients: 'a@example.com\nA@example.com' }, { recipients: 'duplicate' }],
    [{ recipients: Array.from({ length: 21 }, (_, i) => `u${i}@example.com`).join('\n') }, { recipients: 'tooMany' }],
    [
      { recipients: 'a@example.com', ownSmtp: true, smtpHost: '', smtpPort: '70000', smtpFrom: 'x' },
      { smtpHost: 'required', smtpPort: 'port', smtpFrom: 'emailInvalid' },
    ],
    [{ recipients: 'a@example.com；b@example.com' }, {}],
  ])('a new email target %o → %o', (over, errors) => {
    expect(validateNotifyTarget(draft({ kind: 'email', name: '邮箱', ...over }), null)).toEqual(errors);
  });

  it.each([
    [{ phones: '' }, { phones: 'required', signName: 'required', templateCode: 'required' }],
    [{ phones: '+86 138-0013-8000\n12345', signName: '淄博生态环境', templateCode: 'SMS_1' }, { phones: 'phoneInvalid' }],
    [
      { phones: '13800138000', signName: '淄', templateCode: '123' },
      { signName: 'signName', templateCode: 'templateCode' },
    ],
    [{ phones: '+86 138-0013-8000、13900139000', signName: '淄博生态环境', templateCode: 'SMS_1' }, {}],
  ])('a new SMS target %o → %o', (over, errors) => {
    expect(validateNotifyTarget(draft({ kind: 'sms', name: '短信', ...over }), null)).toEqual(errors);
  });

  it('email and SMS bodies: lists split and normalized, the SMTP server only when the target has its own', () => {
    expect(toNewNotifyTarget(draft({ kind: 'email', name: '邮箱', recipients: ' a@example.com,\nb@example.com ' }))).toEqual({
      name: '邮箱',
      kind: 'email',
      enabled: true,
      email: { recipients: ['a@example.com', 'b@example.com'], smtp: null },
    });
    const own = {
      ownSmtp: true,
      smtpHost: 'smtp.example.com',
      smtpPort: '587',
      smtpSecurity: 'starttls' as const,
      smtpUsername: 'u',
      smtpPassword: 'pw',
      smtpFrom: 'o3@example.com',
    };
    expect(toNewNotifyTarget(draft({ kind: 'email', name: '邮箱', recipients: 'a@example.com', ...own }))).toMatchObject({
      email: { smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'u', password: 'pw', from: 'o3@example.com' } },
    });
    expect(
      toNewNotifyTarget(
        draft({ kind: 'sms', name: '短信', phones: '+86 138 0013 8000', signName: ' 淄博生态环境 ', templateCode: 'SMS_1' }),
      ),
    ).toEqual({
      name: '短信',
      kind: 'sms',
      enabled: true,
      sms: { phones: ['13800138000'], signName: '淄博生态环境', templateCode: 'SMS_1' },
    });
  });

  it('editing an email target: the SMTP password is never shown; empty keeps it; settings are sent only when changed', () => {
    const mail: NotifyTargetView = {
      ...stored,
      kind: 'email',
      email: {
        recipients: ['a@example.com'],
        smtp: { host: 'smtp.example.com', port: 465, security: 'tls', username: 'u', from: 'o3@example.com', hasPassword: true },
      },
    } as NotifyTargetView;
    const d = notifyTargetDraftOf(mail);
    expect(d).toMatchObject({
      kind: 'email',
      recipients: 'a@example.com',
      ownSmtp: true,
      smtpHost: 'smtp.example.com',
      smtpPort: '465',
      smtpPassword: '',
    });
    expect(validateNotifyTarget(d, mail)).toEqual({});
    expect(toNotifyTargetChange(d, mail)).toBeNull();
    const change = toNotifyTargetChange({ ...d, recipients: 'a@example.com\nb@example.com' }, mail);
    expect(change).toEqual({
      email: {
        recipients: ['a@example.com', 'b@example.com'],
        smtp: { host: 'smtp.example.com', port: 465, security: 'tls', username: 'u', from: 'o3@example.com' },
      },
    });
    expect(toNotifyTargetChange({ ...d, smtpPassword: 'new' }, mail)?.email?.smtp).toMatchObject({ password: 'new' });
    expect(toNotifyTargetChange({ ...d, ownSmtp: false }, mail)).toEqual({ email: { recipients: ['a@example.com'], smtp: null } });
  });
});
