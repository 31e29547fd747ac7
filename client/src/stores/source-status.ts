/**
 * The status of every outlet as the overview shows it, derived from what is known now — the
 * server's status, the active alerts and the maintenance windows — by the one status function
 * shared with the server (server/domain/source-status.ts overviewStatus).
 */
import type { Alert } from '@domain/alert';
import type { SourceView } from '@domain/events';
import { OVERVIEW_STATUSES, overviewStatus, type OverviewStatus } from '@domain/source-status';
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { useClock } from '../composables/use-clock';
import { useAlertsStore } from './alerts';
import { useMaintenanceStore } from './maintenance';
import { useSourcesStore } from './sources';

export { FAULT_RULE, MAINTENANCE_FLAG_RULE, OVERVIEW_STATUSES, type OverviewStatus } from '@domain/source-status';

/** The overview status of one source (server/domain/source-status.ts overviewStatus). */
export function deriveStatus(
  source: Pick<SourceView, 'status'>,
  activeAlerts: readonly Pick<Alert, 'rule' | 'state' | 'closedAt'>[],
  inMaintenanceWindow: boolean,
): OverviewStatus {
  return overviewStatus(source.status, activeAlerts, inMaintenanceWindow);
}

/** The open, active alerts of each source. */
export function activeAlertsByMn(alerts: Iterable<Alert>): Map<string, Alert[]> {
  const m = new Map<string, Alert[]>();
  for (const a of alerts) {
    if (a.closedAt !== null) continue;
    const list = m.get(a.mn);
    if (list) list.push(a);
    else m.set(a.mn, [a]);
  }
  return m;
}

export const useSourceStatusStore = defineStore('source-status', () => {
  const sources = useSourcesStore();
  const alerts = useAlertsStore();
  const maintenance = useMaintenanceStore();
  // A window that starts or ends changes the status without any event: re-derive every 30 s.
  const now = useClock(30_000);

  const activeByMn = computed(() => activeAlertsByMn(alerts.active));

  const statusOf = computed(() => {
    const m = new Map<string, OverviewStatus>();
    for (const s of sources.list) m.set(s.mn, deriveStatus(s, activeByMn.value.get(s.mn) ?? [], maintenance.activeFor(s, now.value)));
    return m;
  });

  const counts = computed(() => {
    const c = Object.fromEntries(OVERVIEW_STATUSES.map((s) => [s, 0])) as Record<OverviewStatus, number>;
    for (const st of statusOf.value.values()) c[st] += 1;
    return c;
  });

  /** Sources reporting: neither offline nor without any data. */
  const online = computed(() => sources.list.length - counts.value.offline - counts.value.nodata);

  return { statusOf, counts, online };
});
