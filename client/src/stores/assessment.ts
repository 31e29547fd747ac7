/**
 * The assessment tab (评估): the period chosen, the city's and the districts' figures for it, and the
 * monthly bulletin. Periods as the server spells them (server/domain/assessment-period.ts).
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import { fetchAssessment, fetchBulletin, type AssessmentResponse, type BulletinResponse } from '../api/assessment';
import { addDays, browserDate } from '../composables/local-date';

type Fetch = typeof fetch;

export const PERIOD_CHOICES = ['autumn-winter', 'year', 'month', 'range'] as const;
export type PeriodChoice = (typeof PERIOD_CHOICES)[number];

export interface PeriodForm {
  kind: PeriodChoice;
  /** `YYYY` (year; autumn–winter: the year it begins in). */
  year: string;
  awYear: string;
  /** `YYYY-MM`. */
  month: string;
  /** `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
}

/** The period text the server takes, or null when the form does not name one. */
export function periodText(f: PeriodForm): string | null {
  switch (f.kind) {
    case 'year':
      return /^\d{4}$/.test(f.year) ? f.year : null;
    case 'autumn-winter':
      return /^\d{4}$/.test(f.awYear) ? `aw-${f.awYear}` : null;
    case 'month':
      return /^\d{4}-\d{2}$/.test(f.month) ? f.month : null;
    case 'range':
      return f.from && f.to && f.from <= f.to && addDays(f.from, 365) >= f.to ? `${f.from}..${f.to}` : null;
  }
}

/** The form for today: the autumn–winter period in October–March, else the calendar year. */
export function defaultForm(today: string): PeriodForm {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const awYear = String(m >= 10 ? y : m <= 3 ? y - 1 : y - 1);
  return {
    kind: m >= 10 || m <= 3 ? 'autumn-winter' : 'year',
    year: String(y),
    awYear,
    month: today.slice(0, 7),
    from: `${today.slice(0, 7)}-01`,
    to: today,
  };
}

export const useAssessmentStore = defineStore('assessment', () => {
  const today = browserDate();
  const form = reactive<PeriodForm>(defaultForm(today));
  const city = shallowRef<AssessmentResponse | null>(null);
  const districts = shallowRef<AssessmentResponse | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const bulletinMonth = ref(addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7));
  const bulletin = shallowRef<BulletinResponse | null>(null);
  const bulletinLoading = ref(false);
  const bulletinError = ref<string | null>(null);
  const period = computed(() => periodText(form));

  async function load(fetchFn: Fetch = fetch): Promise<void> {
    const p = period.value;
    if (p === null) return;
    loading.value = true;
    error.value = null;
    try {
      const [c, d] = await Promise.all([fetchAssessment(p, 'city', fetchFn), fetchAssessment(p, 'district', fetchFn)]);
      city.value = c;
      districts.value = d;
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      loading.value = false;
    }
  }

  async function loadBulletin(fetchFn: Fetch = fetch): Promise<void> {
    if (!/^\d{4}-\d{2}$/.test(bulletinMonth.value)) return;
    bulletinLoading.value = true;
    bulletinError.value = null;
    try {
      bulletin.value = await fetchBulletin(bulletinMonth.value, fetchFn);
    } catch (err) {
      bulletinError.value = (err as Error).message;
    } finally {
      bulletinLoading.value = false;
    }
  }

  return { form, period, city, districts, loading, error, load, bulletinMonth, bulletin, bulletinLoading, bulletinError, loadBulletin };
});
