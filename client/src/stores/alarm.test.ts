import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { makeAlert, T0 } from '../testing/fixtures';
import { ALARM_STORAGE_KEY, type Announcer, PROBE_AFTER_MS, readSettings, REPEAT_MS, type RepeatTimer, useAlarmStore } from './alarm';

/** A repeat timer the test fires by hand. */
function fakeTimer() {
  const running = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timer: RepeatTimer = {
    start(fn, ms) {
      const id = ++next;
      running.set(id, { fn, ms });
      return () => running.delete(id);
    },
  };
  return { timer, running, fire: () => [...running.values()].forEach((r) => r.fn()) };
}
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

const memory = (init: Record<string, string> = {}) => {
  const data = new Map(Object.entries(init));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
};

function fakeAnnouncer(grant = true, audible = { now: true }) {
  const log: string[] = [];
  const announcer: Announcer = {
    beep: () => {
      log.push(audible.now ? 'beep' : 'beep:blocked');
      return Promise.resolve(audible.now);
    },
    audioState: () => (audible.now ? 'running' : 'suspended'),
    unlock: () => {
      log.push('unlock');
      audible.now = true;
      return Promise.resolve(true);
    },
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
    {
      name: 'a suppressed critical alert is not announced',
      alert: makeAlert({ severity: 'critical', suppressed: 'maintenance' }),
      log: [],
    },
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
    expect([
      store.announce('opened', a, describeAlert),
      store.announce('opened', a, describeAlert),
      store.announce('escalated', a, describeAlert),
    ]).toEqual([true, false, true]);
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

  describe('blocked audio and repetition', () => {
    const critical = (id: number, over = {}) => makeAlert({ id, severity: 'critical', ...over });

    it.each([
      { name: 'the browser lets it play', audible: true, sound: true, audio: 'running', blocked: false },
      { name: 'the browser waits for a click: blocked, and said so', audible: false, sound: true, audio: 'blocked', blocked: true },
      { name: 'sound switched off: not checked, nothing to say', audible: false, sound: false, audio: 'unknown', blocked: false },
    ])('probe: $name', ({ audible, sound, audio, blocked }) => {
      const store = useAlarmStore();
      const storage = memory({ [ALARM_STORAGE_KEY]: JSON.stringify({ sound }) });
      store.use({ announcer: fakeAnnouncer(true, { now: audible }).announcer, storage });
      store.probe();
      expect([store.audio, store.soundBlocked]).toEqual([audio, blocked]);
    });

    it('probeWhenIdle waits until the page has settled (PROBE_AFTER_MS), then checks once however often it was asked', async () => {
      vi.useFakeTimers();
      try {
        const store = useAlarmStore();
        const storage = memory({ [ALARM_STORAGE_KEY]: JSON.stringify({ sound: true }) });
        let checks = 0;
        const { announcer } = fakeAnnouncer(true, { now: false });
        store.use({ announcer: { ...announcer, audioState: () => (checks++, 'suspended') }, storage });
        store.probeWhenIdle();
        store.probeWhenIdle();
        await vi.advanceTimersByTimeAsync(PROBE_AFTER_MS - 1);
        expect([checks, store.audio]).toEqual([0, 'unknown']);
        await vi.advanceTimersByTimeAsync(3_001);
        expect([checks, store.soundBlocked]).toEqual([1, true]);
      } finally {
        vi.useRealTimers();
      }
    });

    it('a swallowed beep marks the sound blocked; the click unlocks it and sounds at once while a critical is left', async () => {
      const store = useAlarmStore();
      const audible = { now: false };
      const { announcer, log } = fakeAnnouncer(true, audible);
      const { timer } = fakeTimer();
      store.use({ announcer, storage: memory(), timer });
      store.announce('opened', critical(1), describeAlert);
      store.keepRinging([critical(1)]);
      await flush();
      expect([store.audio, store.soundBlocked]).toEqual(['blocked', true]);
      expect(await store.unlock()).toBe(true);
      expect([store.audio, store.soundBlocked]).toEqual(['running', false]);
      expect(log).toEqual(['beep:blocked', 'unlock', 'beep']);
    });

    it('repeats every REPEAT_MS while a critical alert is unacknowledged, and stops when it is acknowledged', async () => {
      const store = useAlarmStore();
      const { announcer, log } = fakeAnnouncer();
      const t = fakeTimer();
      store.use({ announcer, storage: memory(), timer: t.timer });
      store.keepRinging([critical(1), makeAlert({ id: 2, severity: 'major' }), critical(3, { suppressed: 'silence' })]);
      expect(store.ringing).toEqual([1]);
      expect([...t.running.values()].map((r) => r.ms)).toEqual([REPEAT_MS]);
      t.fire();
      t.fire();
      await flush();
      expect(log).toEqual(['beep', 'beep']);
      // A second list with the same alert does not start a second timer.
      store.keepRinging([critical(1), critical(4)]);
      expect(t.running.size).toBe(1);
      store.keepRinging([critical(1, { acknowledgedAt: T0 }), critical(4, { acknowledgedAt: T0 })]);
      expect([store.ringing, t.running.size]).toEqual([[], 0]);
    });

    it('switching the sound off stops the repetition; on again resumes it', () => {
      const store = useAlarmStore();
      const t = fakeTimer();
      store.use({ announcer: fakeAnnouncer().announcer, storage: memory(), timer: t.timer });
      store.keepRinging([critical(1)]);
      store.setSound(false);
      expect(t.running.size).toBe(0);
      store.setSound(true);
      expect(t.running.size).toBe(1);
    });
  });
});
