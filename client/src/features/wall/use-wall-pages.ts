/**
 * While the wall is shown and its alerts are paged (a province): the first page for the filters
 * (again when they change, a little after the last keystroke), and the live changes applied to the
 * rows loaded (stores/alert-wall-pages.ts).
 */
import { onBeforeUnmount, onMounted, watch } from 'vue';
import { useAlertWallPagesStore } from '../../stores/alert-wall-pages';
import { filtersToQuery, useAlertWallStore } from '../../stores/alert-wall';
import { useAlertsStore } from '../../stores/alerts';

/** Typing in the search asks the server once the typing paused this long. */
const TYPING_MS = 250;

export function useWallPages(): void {
  const alerts = useAlertsStore();
  const wall = useAlertWallStore();
  const pages = useAlertWallPagesStore();
  let stop: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  onMounted(() => {
    // A snapshot that pages (now or later) loads the first page through the store's listener.
    stop = pages.watchAlerts();
    if (alerts.paged) pages.reload(wall.filters);
  });
  watch(
    () => JSON.stringify(filtersToQuery(wall.filters)),
    () => {
      clearTimeout(timer);
      // Not when the filters are back to (or already were, set from the URL before the mount) those of
      // the page asked last: the wall opened with filters in its URL loaded its first page twice.
      timer = setTimeout(() => alerts.paged && !pages.askedFor(wall.filters) && pages.reload(wall.filters), TYPING_MS);
    },
  );
  watch(
    () => alerts.paged,
    (paged) => paged && pages.reload(wall.filters),
  );
  onBeforeUnmount(() => {
    clearTimeout(timer);
    stop?.();
  });
}
