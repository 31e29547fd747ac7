/**
 * Facility records (issue 16 item 2): an enterprise's ledger — its facilities, each adsorber's
 * replacements, the year's start/stop plan — and the bureau's overview of who filed and how often
 * lines started and stopped.
 */
import type { Facility } from '@domain/registry';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/facility-records';
import { fetchFacilities } from '../api/registry';
import type { AdsorbentReplacement, NewReplacement, PlanEntry, PlanStatus, StartStopCount, StartStopPlan } from '../api/facility-records';
import { adsorbersOf, linesOf, yearRange } from '../features/facility-records/ledger';

type Fetch = typeof fetch;

export const useFacilityRecordsStore = defineStore('facility-records', () => {
  const enterpriseId = ref<string | null>(null);
  const facilities = ref<Facility[]>([]);
  /** Replacements by facility id, latest first. */
  const replacements = ref<Record<string, AdsorbentReplacement[]>>({});
  const year = ref<number | null>(null);
  const plan = ref<StartStopPlan | null>(null);
  const due = ref<string | null>(null);
  const statuses = ref<PlanStatus[]>([]);
  const counts = ref<StartStopCount[]>([]);
  const error = ref<unknown>(null);

  const adsorbers = computed(() => adsorbersOf(facilities.value));
  const lines = computed(() => linesOf(facilities.value));
  const lineName = (id: string): string => facilities.value.find((f) => f.id === id)?.name ?? '';
  const lastReplacement = (facilityId: string): AdsorbentReplacement | undefined => replacements.value[facilityId]?.[0];

  async function loadPlan(y: number, fetchFn?: Fetch): Promise<void> {
    if (enterpriseId.value === null) return;
    const answer = await api.fetchPlan(enterpriseId.value, y, fetchFn);
    year.value = y;
    plan.value = answer.plan;
    due.value = answer.due;
  }

  /** An enterprise's ledger: its facilities, every adsorber's replacements, the year's plan. */
  async function loadLedger(id: string, y: number, fetchFn?: Fetch): Promise<void> {
    try {
      enterpriseId.value = id;
      facilities.value = await fetchFacilities(id, fetchFn);
      const lists = await Promise.all(adsorbers.value.map(async (f) => [f.id, await api.fetchReplacements(f.id, fetchFn)] as const));
      replacements.value = Object.fromEntries(lists);
      await loadPlan(y, fetchFn);
      error.value = null;
    } catch (err) {
      error.value = err;
    }
  }

  async function logReplacement(facilityId: string, r: NewReplacement, fetchFn?: Fetch): Promise<void> {
    await api.logReplacement(facilityId, r, fetchFn);
    replacements.value = { ...replacements.value, [facilityId]: await api.fetchReplacements(facilityId, fetchFn) };
  }

  /** Files or replaces the year's plan (against the version read). */
  async function savePlan(entries: PlanEntry[], fetchFn?: Fetch): Promise<void> {
    if (enterpriseId.value === null || year.value === null) return;
    plan.value = await api.savePlan(enterpriseId.value, year.value, entries, plan.value?.version ?? 0, fetchFn);
  }

  /** The bureau's overview of a year: who filed, and the start/stop counts per enterprise. */
  async function loadOverview(y: number, fetchFn?: Fetch): Promise<void> {
    try {
      const { from, to } = yearRange(y);
      const [s, e] = await Promise.all([api.fetchPlanStatuses(y, fetchFn), api.fetchStartStopEvents(from, to, fetchFn)]);
      year.value = y;
      statuses.value = s;
      counts.value = e.counts;
      error.value = null;
    } catch (err) {
      error.value = err;
    }
  }
  const countOf = (id: string): StartStopCount =>
    counts.value.find((c) => c.enterpriseId === id) ?? { enterpriseId: id, starts: 0, stops: 0, inSeason: 0, unplanned: 0 };

  return {
    enterpriseId,
    facilities,
    replacements,
    year,
    plan,
    due,
    statuses,
    counts,
    error,
    adsorbers,
    lines,
    lineName,
    lastReplacement,
    countOf,
    loadLedger,
    loadPlan,
    logReplacement,
    savePlan,
    loadOverview,
  };
});
