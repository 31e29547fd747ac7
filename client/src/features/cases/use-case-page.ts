/**
 * What both case pages share: the store's page, the open case (from `?case=` in the URL too), the
 * officers' names (staff only: an enterprise user may not list them), live refreshes while shown.
 */
import { onMounted, onUnmounted, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { fetchAssignees } from '../../api/alerts';
import { useCasesStore } from '../../stores/cases';

export function useCasePage(opts: { staff: boolean }) {
  const cases = useCasesStore();
  const route = useRoute();
  const router = useRouter();
  const names = ref(new Map<string, string>());

  const open = (id: number) => void router.replace({ query: { ...route.query, case: String(id) } });
  const closeDetail = () => {
    const { case: _case, ...rest } = route.query;
    void router.replace({ query: rest });
  };
  watch(
    () => route.query['case'],
    (q) => {
      const id = Number(q);
      if (Number.isInteger(id) && id > 0) void cases.open(id).catch(() => cases.close());
      else cases.close();
    },
    { immediate: true },
  );
  onMounted(() => {
    cases.watching = true;
    void cases.load();
    if (opts.staff)
      void fetchAssignees()
        .then((list) => (names.value = new Map(list.map((a) => [a.username, a.displayName]))))
        .catch(() => undefined);
  });
  onUnmounted(() => {
    cases.watching = false;
    cases.close();
  });
  return { cases, names, open, closeDetail };
}
