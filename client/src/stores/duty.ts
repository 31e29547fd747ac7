/** Who gets what (issue 21): the roster and the escalation chain (administrators), and one's own notification settings (everyone). */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/duty';
import type { Contacts } from '@domain/duty';
import type { DutyView, EscalationPolicy, NewShift, NotifySettings, NotifySettingsView } from '../api/duty';

type Fetch = typeof fetch;

export const useDutyStore = defineStore('duty', () => {
  const view = ref<DutyView | null>(null);
  const mine = ref<NotifySettingsView | null>(null);
  const error = ref<unknown>(null);
  /** Display names by username (the page never shows a username where it has a name). */
  const names = computed(() => new Map((view.value?.users ?? []).map((u) => [u.username, u.displayName])));
  const nameOf = (username: string | null): string | null => (username === null ? null : (names.value.get(username) ?? username));
  /** Shifts by start. */
  const shifts = computed(() => [...(view.value?.shifts ?? [])].sort((a, b) => a.startsAt - b.startsAt));
  /** People who may be on duty: the bureau's accounts. */
  const officers = computed(() => (view.value?.users ?? []).filter((u) => u.role !== 'enterprise'));

  async function load(fetchFn?: Fetch): Promise<void> {
    try {
      view.value = await api.fetchDuty(fetchFn);
      error.value = null;
    } catch (err) {
      error.value = err;
    }
  }
  async function addShift(s: NewShift, fetchFn?: Fetch): Promise<void> {
    await api.createShift(s, fetchFn);
    await load(fetchFn);
  }
  async function removeShift(id: string, fetchFn?: Fetch): Promise<void> {
    await api.removeShift(id, fetchFn);
    await load(fetchFn);
  }
  async function saveEscalation(p: EscalationPolicy, fetchFn?: Fetch): Promise<void> {
    const saved = await api.saveEscalation(p, fetchFn);
    if (view.value) view.value = { ...view.value, escalation: saved };
  }
  async function loadMine(fetchFn?: Fetch): Promise<void> {
    mine.value = await api.fetchMySettings(fetchFn);
  }
  async function saveMine(s: NotifySettings, fetchFn?: Fetch): Promise<void> {
    mine.value = await api.saveMySettings(s, fetchFn);
  }

  /** An administrator changes someone's contacts (their subscription kept as it is). */
  async function saveContacts(username: string, contacts: Contacts, fetchFn?: Fetch): Promise<void> {
    const { subscription } = await api.fetchUserSettings(username, fetchFn);
    await api.saveUserSettings(username, { contacts, subscription }, fetchFn);
    await load(fetchFn);
  }

  return { saveContacts, view, mine, error, shifts, officers, nameOf, load, addShift, removeShift, saveEscalation, loadMine, saveMine };
});
