/**
 * Sound and browser notification for new critical alerts (opened or escalated), each switchable
 * and remembered in localStorage. An alert is announced once per kind of event; the banner (from
 * the alerts store) stays until the officer acknowledges, and while a critical alert is left
 * unacknowledged the sound repeats every REPEAT_MS. Browsers keep audio silent until the user
 * clicks (autoplay policy): the store finds out (`audio: 'blocked'`), the wall says so and asks
 * for the click that unlocks it.
 */
import type { Alert } from '@domain/alert';
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';

export const ALARM_STORAGE_KEY = 'o3-sentinel.alarm';

export interface AlarmSettings {
  sound: boolean;
  notify: boolean;
}

/** What actually makes the noise and shows the notification (the browser's, or a fake in tests). */
export interface Announcer {
  /** Sounds the alarm once; resolves false when the browser kept it silent (autoplay policy). */
  beep(): Promise<boolean>;
  /** Whether sound would play now, without sounding: `suspended` = the browser waits for a click. */
  audioState(): 'running' | 'suspended' | 'unavailable';
  /** Called inside a user's click: lets audio play from now on; resolves whether it does. */
  unlock(): Promise<boolean>;
  notify(title: string, body: string, tag: string): void;
  /** Asks for the permission to notify; resolves whether it was granted. */
  requestPermission(): Promise<boolean>;
}

/** The repeat timer (the page's, or a fake in tests). */
export interface RepeatTimer {
  start(fn: () => void, ms: number): () => void;
}

/** A critical alert left unacknowledged sounds again this often. */
export const REPEAT_MS = 30_000;

/**
 * Whether the alarm can actually be heard: `unknown` until checked, `running`, or `blocked` (the
 * browser refused to start audio until the user clicks: the switch alone would be a lie).
 */
export type AudioStatus = 'unknown' | 'running' | 'blocked';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export function readSettings(storage: Storage | undefined): AlarmSettings {
  try {
    const raw = JSON.parse(storage?.getItem(ALARM_STORAGE_KEY) ?? '{}') as Partial<AlarmSettings>;
    return { sound: raw.sound !== false, notify: raw.notify === true };
  } catch {
    return { sound: true, notify: false }; // unreadable: the defaults, and the next change overwrites it
  }
}

let sharedContext: AudioContext | null | undefined;
/** One AudioContext for the page: browsers start it suspended until a click, and resume it for good after one. */
function audioContext(): AudioContext | null {
  if (sharedContext === undefined) sharedContext = globalThis.AudioContext ? new globalThis.AudioContext() : null;
  return sharedContext;
}

function tones(ctx: AudioContext): void {
  [0, 0.35].forEach((start, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = i === 0 ? 880 : 660;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + start);
    osc.stop(ctx.currentTime + start + 0.25);
  });
}

/** Two short tones through WebAudio (no sound file to ship), and the Notification API. */
export const browserAnnouncer: Announcer = {
  beep() {
    const ctx = audioContext();
    if (!ctx) return Promise.resolve(false);
    if (ctx.state !== 'running') {
      // Without a click this stays pending (autoplay policy): never awaited, never an error.
      ctx.resume().catch(() => undefined);
      return Promise.resolve(false);
    }
    tones(ctx);
    return Promise.resolve(true);
  },
  audioState() {
    const ctx = audioContext();
    return !ctx ? 'unavailable' : ctx.state === 'running' ? 'running' : 'suspended';
  },
  async unlock() {
    const ctx = audioContext();
    if (!ctx) return false;
    await ctx.resume();
    return ctx.state === 'running';
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

const intervalTimer: RepeatTimer = {
  start(fn, ms) {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  },
};

/** How long after the page's start the alarm checks whether it may sound (see probeWhenIdle). */
export const PROBE_AFTER_MS = 10_000;

export const useAlarmStore = defineStore('alarm', () => {
  let storage: Storage | undefined = globalThis.localStorage;
  let announcer: Announcer = browserAnnouncer;
  let timer: RepeatTimer = intervalTimer;
  const settings = ref<AlarmSettings>(readSettings(storage));
  /** The browser refused notifications: the switch stays off and says why. */
  const notifyDenied = ref(false);
  const announced = new Set<string>();
  /** Alerts announced so far in this page's life (for the header's counter and tests). */
  const count = ref(0);
  const audio = ref<AudioStatus>('unknown');
  /** The sound switch is on but the browser keeps it silent: say so and ask for a click. */
  const soundBlocked = computed(() => settings.value.sound && audio.value === 'blocked');
  /** Ids of the critical alerts still unacknowledged: while any is left, the alarm repeats. */
  const ringing = ref<readonly number[]>([]);
  let stopRepeat: (() => void) | null = null;
  /** Times the alarm was sounded (or tried to be): for tests and the header. */
  const beeps = ref(0);

  watch(settings, (s) => storage?.setItem(ALARM_STORAGE_KEY, JSON.stringify(s)), { deep: true });

  /** Tests (and a kiosk without audio) put their own announcer and storage in. */
  function use(next: { announcer?: Announcer; storage?: Storage; timer?: RepeatTimer }): void {
    if (next.announcer) announcer = next.announcer;
    if (next.timer) timer = next.timer;
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
    if (on) probe();
    syncRepeat();
  }

  /** Checks (without a sound) whether the browser lets the alarm be heard. */
  /**
   * `probe` once the page has settled: creating the page's AudioContext can hold the main thread for
   * hundreds of ms, up to 1.9 s in a headless or device-less browser, which the first rows and cards
   * must not wait for. So it waits PROBE_AFTER_MS, then for an idle moment (at most 3 s more); a
   * second call while one waits changes nothing. A critical alert before then sounds at once and
   * learns the same from its beep (`sound`).
   */
  let probing = false;
  function probeWhenIdle(): void {
    if (probing) return;
    probing = true;
    const idle = globalThis.requestIdleCallback as ((fn: () => void, o: { timeout: number }) => number) | undefined;
    const run = () => {
      probing = false;
      probe();
    };
    setTimeout(() => (idle ? idle(run, { timeout: 3_000 }) : run()), PROBE_AFTER_MS);
  }

  function probe(): void {
    if (!settings.value.sound) return;
    const state = announcer.audioState();
    audio.value = state === 'running' ? 'running' : 'blocked';
  }

  async function sound(): Promise<void> {
    beeps.value += 1;
    audio.value = (await announcer.beep()) ? 'running' : 'blocked';
  }

  /** From the user's click on the "enable sound" hint (or anywhere while blocked). */
  async function unlock(): Promise<boolean> {
    const ok = await announcer.unlock().catch(() => false);
    audio.value = ok ? 'running' : 'blocked';
    if (ok && settings.value.sound && ringing.value.length > 0) await sound();
    return ok;
  }

  function syncRepeat(): void {
    const want = settings.value.sound && ringing.value.length > 0;
    if (want && !stopRepeat) stopRepeat = timer.start(() => void sound(), REPEAT_MS);
    if (!want && stopRepeat) {
      stopRepeat();
      stopRepeat = null;
    }
  }

  /**
   * The critical alerts open and unacknowledged now (announced ones: not suppressed). While any is
   * left, the alarm sounds again every REPEAT_MS; it stops when the last is acknowledged.
   */
  function keepRinging(alerts: readonly Pick<Alert, 'id' | 'severity' | 'acknowledgedAt' | 'closedAt' | 'suppressed'>[]): void {
    ringing.value = alerts
      .filter((a) => a.severity === 'critical' && a.acknowledgedAt === null && a.closedAt === null && a.suppressed === null)
      .map((a) => a.id);
    syncRepeat();
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
    if (settings.value.sound) void sound();
    if (settings.value.notify) {
      const { title, body } = describe(alert);
      announcer.notify(title, body, `o3-alert-${alert.id}`);
    }
    return true;
  }

  return {
    settings,
    notifyDenied,
    count,
    audio,
    soundBlocked,
    ringing,
    beeps,
    use,
    setNotify,
    setSound,
    probe,
    probeWhenIdle,
    unlock,
    keepRinging,
    announce,
  };
});
