/** Notification targets for the administrator: list with delivery state, create, change, enable/disable, delete, test-send. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/notify-targets';
import type { NewNotifyTarget, NotifyTargetPatch, NotifyTargetView, NotifyTestResult } from '../api/notify-targets';

type Fetch = typeof fetch;

export const useNotifyTargetsStore = defineStore('notify-targets', () => {
  const items = ref<NotifyTargetView[]>([]);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  /** The last test send's outcome, per target id. */
  const tests = ref<Record<string, NotifyTestResult & { at: number }>>({});
  /** By name. */
  const list = computed(() => [...items.value].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')));

  async function load(fetchFn?: Fetch): Promise<void> {
    try {
      items.value = await api.fetchNotifyTargets(fetchFn);
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = err;
    }
  }

  function apply(t: NotifyTargetView): NotifyTargetView {
    const i = items.value.findIndex((x) => x.id === t.id);
    items.value = i < 0 ? [...items.value, t] : items.value.map((x) => (x.id === t.id ? t : x));
    return t;
  }

  const create = async (body: NewNotifyTarget, fetchFn?: Fetch) => apply(await api.createNotifyTarget(body, fetchFn));
  /** Changes the target from the version the page holds (a 409 when someone else changed it first). */
  const update = async (t: Pick<NotifyTargetView, 'id' | 'version'>, change: Omit<NotifyTargetPatch, 'version'>, fetchFn?: Fetch) =>
    apply(await api.updateNotifyTarget(t.id, { ...change, version: t.version }, fetchFn));
  const setEnabled = (t: NotifyTargetView, enabled: boolean, fetchFn?: Fetch) => update(t, { enabled }, fetchFn);

  /** Deletes the target; resolves with how many queued notifications were given up. */
  async function remove(t: NotifyTargetView, fetchFn?: Fetch): Promise<number> {
    const abandoned = await api.deleteNotifyTarget(t.id, t.version, fetchFn);
    items.value = items.value.filter((x) => x.id !== t.id);
    return abandoned;
  }

  /** Sends a test message now; keeps and returns the outcome. */
  async function test(t: NotifyTargetView, fetchFn?: Fetch, now: () => number = Date.now): Promise<NotifyTestResult> {
    const result = await api.testNotifyTarget(t.id, fetchFn);
    tests.value = { ...tests.value, [t.id]: { ...result, at: now() } };
    return result;
  }

  return { items, list, loaded, error, tests, load, apply, create, update, setEnabled, remove, test };
});
