/**
 * Credit scorecards (信用评价): one enterprise's card per period (the enterprise file), and the
 * ranking of every enterprise for the data-quality page's period. Period texts are the server's
 * (`2026`, `2026-Q4`, `2026-11`).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { fetchScorecard, fetchScorecards, type Scorecard } from '../api/scorecards';

type Fetch = typeof fetch;

export const useScorecardsStore = defineStore('scorecards', () => {
  const card = shallowRef<Scorecard | null>(null);
  const cardError = shallowRef<unknown>(null);
  const cardLoading = ref(false);
  const ranking = shallowRef<Scorecard[] | null>(null);
  const rankingPeriod = ref('');
  const rankingError = shallowRef<unknown>(null);
  const rankingLoading = ref(false);

  async function loadCard(enterpriseId: string, period: string, fetchFn?: Fetch): Promise<void> {
    cardLoading.value = true;
    try {
      card.value = await fetchScorecard(enterpriseId, period, fetchFn);
      cardError.value = null;
    } catch (err) {
      card.value = null;
      cardError.value = err;
    } finally {
      cardLoading.value = false;
    }
  }

  async function loadRanking(period: string, fetchFn?: Fetch): Promise<void> {
    rankingLoading.value = true;
    try {
      ranking.value = (await fetchScorecards(period, fetchFn)).items;
      rankingPeriod.value = period;
      rankingError.value = null;
    } catch (err) {
      rankingError.value = err;
    } finally {
      rankingLoading.value = false;
    }
  }

  return { card, cardError, cardLoading, ranking, rankingPeriod, rankingError, rankingLoading, loadCard, loadRanking };
});
