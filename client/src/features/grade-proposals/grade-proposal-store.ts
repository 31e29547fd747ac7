/** Grade downgrade proposals (issue 18): the list the duty room decides, and each decision. */
import type { GradeProposal } from '@domain/grade-downgrade';
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { confirmGradeProposal, dismissGradeProposal, fetchGradeProposals } from '../../api/grade-proposals';

export const useGradeProposalStore = defineStore('gradeProposals', () => {
  const items = shallowRef<GradeProposal[]>([]);
  const error = shallowRef<unknown>(null);
  const busy = ref(false);

  async function guarded(f: () => Promise<void>): Promise<void> {
    busy.value = true;
    error.value = null;
    try {
      await f();
    } catch (err) {
      error.value = err;
    } finally {
      busy.value = false;
    }
  }

  const load = () =>
    guarded(async () => {
      items.value = await fetchGradeProposals();
    });
  const replace = (p: GradeProposal) => {
    items.value = items.value.map((x) => (x.id === p.id ? p : x));
  };
  const confirm = (id: number, note: string) => guarded(async () => replace(await confirmGradeProposal(id, note)));
  const dismiss = (id: number, reason: string) => guarded(async () => replace(await dismissGradeProposal(id, reason)));

  return { items, error, busy, load, confirm, dismiss };
});
