/**
 * Sound and browser notification for new critical alerts (opened or escalated), each switchable
 * and remembered in localStorage. An alert is announced once per kind of event; the banner (from
 * the alerts store) stays until the officer acknowledges.
 */
import type { Alert } from '@domain/alert';
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

export const ALARM_STORAGE_KEY = 'o3-sentinel.alarm';

export interface AlarmSettings {
  sound: boolean;
  notify: boolean;
}

/** What actually makes the noise and shows the notification (the browser's, or a fake in tests). */
export interface Announcer {
  beep(): void;
  notify(title: string, body: string, tag: string): void;
  /** Asks for the permission to notify; resolves whether it was granted. */
  requestPermission(): Promise<boolean>;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export function readSettings(storage: Storage | undefined): AlarmSettings {
  try {
    const raw = JSON.parse(storage?.getItem(ALARM_STORAGE_KEY) ?? '{}') as Partial<AlarmSettings>;
    return { sound: raw.sound !== false, notify: raw.notify === true };
  } catch {
    return { sound: true, notify: false }; // unreadable: the defaults, and the next change overwrites it
  }
}

/** Two short tones through WebAudio (no sound file to ship), and the Notification API. */
export const browserAnnouncer: Announcer = {
  beep() {
    const Ctx = globalThis.AudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    [0, 0.35].forEach((start, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = i === 0 ? 880 : 660;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + start);
      osc.stop(ctx.currentTime + start + 0.25);
    });
    setTimeout(() => void ctx.close(), 1_000);
  },
  notify(title, body, tag) {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    new Notification(title, { body, tag, requireInteraction: true });
  },
  async requestPermission() {
    if (typeof Notification === 'undefined') return false;
    if (Notification.permission === 'granted') return true;
    return (await Notification.requestPermission()) === 'granted';
  },
};

export const useAlarmStore = defineStore('alarm', () => {
  let storage: Storage | undefined = globalThis.localStorage;
  let announcer: Announcer = browserAnnouncer;
  const settings = ref<AlarmSettings>(readSettings(storage));
  /** The browser refused notifications: the switch stays off and says why. */
  const notifyDenied = ref(false);
  const announced = new Set<string>();
  /** Alerts announced so far in this page's life (for the header's counter and tests). */
  const count = ref(0);

  watch(settings, (s) => storage?.setItem(ALARM_STORAGE_KEY, JSON.stringify(s)), { deep: true });

  /** Tests (and a kiosk without audio) put their own announcer and storage in. */
  function use(next: { announcer?: Announcer; storage?: Storage }): void {
    if (next.announcer) announcer = next.announcer;
    if (next.storage) {
      storage = next.storage;
      settings.value = readSettings(storage);
    }
  }

  async function setNotify(on: boolean): Promise<void> {
    if (on && !(await announcer.requestPermission())) {
      notifyDenied.value = true;
      settings.value = { ...settings.value, notify: false };
      return;
    }
    notifyDenied.value = false;
    settings.value = { ...settings.value, notify: on };
  }

  function setSound(on: boolean): void {
    settings.value = { ...settings.value, sound: on };
  }

  /**
   * A critical alert was opened or escalated: beep and/or notify once. `describe` turns it into
   * the notification's text in the current language.
   */
  function announce(kind: 'opened' | 'escalated', alert: Alert, describe: (a: Alert) => { title: string; body: string }): boolean {
    if (alert.severity !== 'critical' || alert.suppressed !== null || alert.acknowledgedAt !== null) return false;
    const key = `${kind}:${alert.id}`;
    if (announced.has(key)) return false;
    announced.add(key);
    count.value += 1;
    if (settings.value.sound) announcer.beep();
    if (settings.value.notify) {
      const { title, body } = describe(alert);
      announcer.notify(title, body, `o3-alert-${alert.id}`);
    }
    return true;
  }

  return { settings, notifyDenied, count, use, setNotify, setSound, announce };
});
