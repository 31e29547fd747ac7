import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { makeAlert, T0 } from '../testing/fixtures';
import { ALARM_STORAGE_KEY, type Announcer, readSettings, useAlarmStore } from './alarm';

const memory = (init: Record<string, string> = {}) => {
  const data = new Map(Object.entries(init));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
};

function fakeAnnouncer(grant = true) {
  const log: string[] = [];
  const announcer: Announcer = {
    beep: () => log.push('beep'),
    notify: (title, _body, tag) => log.push(`notify:${tag}:${title}`),
    requestPermission: () => Promise.resolve(grant),
  };
  return { announcer, log };
}

const describeAlert = () => ({ title: 'T', body: 'B' });

describe('alarm settings', () => {
  it.each([
    { stored: undefined, expected: { sound: true, notify: false } },
    { stored: '{"sound":false,"notify":true}', expected: { sound: false, notify: true } },
    { stored: 'not json', expected: { sound: true, notify: false } },
  ])('stored $stored → $expected', ({ stored, expected }) => {
    expect(readSettings(memory(stored ? { [ALARM_STORAGE_KEY]: stored } : {}))).toEqual(expected);
  });
});

describe('alarm store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it.each([
    { name: 'a new critical alert beeps', alert: makeAlert({ severity: 'critical' }), log: ['beep'] },
    { name: 'a major alert is not announced', alert: makeAlert({ severity: 'major' }), log: [] },
    { name: 'a suppressed critical alert is not announced', alert: makeAlert({ severity: 'critical', suppressed: 'maintenance' }), log: [] },
    { name: 'an acknowledged one is not either', alert: makeAlert({ severity: 'critical', acknowledgedAt: T0 }), log: [] },
  ])('$name', ({ alert, log: expected }) => {
    const store = useAlarmStore();
    const { announcer, log } = fakeAnnouncer();
    store.use({ announcer, storage: memory() });
    store.announce('opened', alert, describeAlert);
    expect(log).toEqual(expected);
  });

  it('announces each alert once per kind; escalation announces again', () => {
    const store = useAlarmStore();
    const { announcer, log } = fakeAnnouncer();
    store.use({ announcer, storage: memory() });
    const a = makeAlert({ id: 9, severity: 'critical' });
    expect([store.announce('opened', a, describeAlert), store.announce('opened', a, describeAlert), store.announce('escalated', a, describeAlert)]).toEqual([
      true,
      false,
      true,
    ]);
    expect(log).toEqual(['beep', 'beep']);
    expect(store.count).toBe(2);
  });

  it('notifications need the permission; the choice is remembered', async () => {
    const storage = memory();
    const store = useAlarmStore();
    const granted = fakeAnnouncer(true);
    store.use({ announcer: granted.announcer, storage });
    store.setSound(false);
    await store.setNotify(true);
    await nextTick();
    store.announce('opened', makeAlert({ id: 3, severity: 'critical' }), describeAlert);
    expect(granted.log).toEqual(['notify:o3-alert-3:T']);
    expect(JSON.parse(storage.data.get(ALARM_STORAGE_KEY) ?? '{}')).toEqual({ sound: false, notify: true });

    const refused = fakeAnnouncer(false);
    store.use({ announcer: refused.announcer });
    await store.setNotify(true);
    expect([store.settings.notify, store.notifyDenied]).toEqual([false, true]);
  });
});
