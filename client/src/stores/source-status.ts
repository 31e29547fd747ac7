/**
 * The status of every outlet as the overview shows it, derived from what is known now:
 *   offline      an active `offline` alert, or the server says offline / never reported;
 *   maintenance  a declared window covers it now, or an active `maintenance-flag` alert;
 *   fault        an active `instrument-fault` alert;
 *   exceeding    any other active alert;
 *   normal       none of these.
 * The first that applies wins, in that order (an offline logger's other alerts are inhibited;
 * alerts inside maintenance are expected).
 */
import { type Alert, OFFLINE_RULE } from '@domain/alert';
import { RULE_IDS } from '@domain/rule-ids';
import type { SourceView } from '@domain/events';
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { useClock } from '../composables/use-clock';
import { useAlertsStore } from './alerts';
import { useMaintenanceStore } from './maintenance';
import { useSourcesStore } from './sources';

export const OVERVIEW_STATUSES = ['normal', 'exceeding', 'offline', 'maintenance', 'fault', 'nodata'] as const;
export type OverviewStatus = (typeof OVERVIEW_STATUSES)[number];

export const FAULT_RULE = RULE_IDS.instrumentFault;
export const MAINTENANCE_FLAG_RULE = RULE_IDS.maintenanceFlag;

export function deriveStatus(
  source: Pick<SourceView, 'status'>,
  activeAlerts: readonly Pick<Alert, 'rule' | 'state' | 'closedAt'>[],
  inMaintenanceWindow: boolean,
): OverviewStatus {
  const rules = new Set(activeAlerts.filter((a) => a.state === 'active' && a.closedAt === null).map((a) => a.rule));
  if (rules.has(OFFLINE_RULE) || source.status === 'offline') return 'offline';
  if (inMaintenanceWindow || rules.has(MAINTENANCE_FLAG_RULE)) return 'maintenance';
  if (source.status === 'nodata') return 'nodata';
  if (rules.has(FAULT_RULE)) return 'fault';
  if (rules.size > 0) return 'exceeding';
  return 'normal';
}

export const useSourceStatusStore = defineStore('source-status', () => {
  const sources = useSourcesStore();
  const alerts = useAlertsStore();
  const maintenance = useMaintenanceStore();
  // A window that starts or ends changes the status without any event: re-derive every 30 s.
  const now = useClock(30_000);

  const activeByMn = computed(() => {
    const m = new Map<string, Alert[]>();
    for (const a of alerts.active) {
      if (a.closedAt !== null) continue;
      const list = m.get(a.mn);
      if (list) list.push(a);
      else m.set(a.mn, [a]);
    }
    return m;
  });

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
