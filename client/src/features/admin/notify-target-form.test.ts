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
    expect(d).toEqual({ name: '值班室', format: 'dingtalk', url: '', enabled: true });
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
});
