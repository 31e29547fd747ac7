/**
 * The rows of the alert table: one maintenance episode flags every factor of a source at once
 * (eight maintenance-flag alerts for one analyser service), so flag alerts (rules without a limit)
 * of the same source and rule are one group row with the count of factors, expandable to its
 * members. Everything else is one row per alert. The order of `alerts` is kept; a group sits where
 * its first (most urgent) member would.
 */
import { type Alert, isFlagAlert } from '@domain/alert';

export type TableItem =
  | { kind: 'alert'; key: string; alert: Alert; member: boolean }
  | { kind: 'group'; key: string; lead: Alert; alerts: readonly Alert[]; expanded: boolean };

/** Open and closed flag alerts are grouped apart: a closed episode must not hide an open one. */
export const groupKey = (a: Alert): string => `${a.mn}|${a.rule}|${a.closedAt === null ? 'open' : 'closed'}`;

export function tableItems(alerts: readonly Alert[], expanded: ReadonlySet<string>): TableItem[] {
  const groups = new Map<string, Alert[]>();
  for (const a of alerts) {
    if (!isFlagAlert(a)) continue;
    const key = groupKey(a);
    const members = groups.get(key);
    if (members) members.push(a);
    else groups.set(key, [a]);
  }
  const items: TableItem[] = [];
  const placed = new Set<string>();
  for (const a of alerts) {
    const members = isFlagAlert(a) ? groups.get(groupKey(a)) : undefined;
    if (!members || members.length < 2) {
      items.push({ kind: 'alert', key: `a${a.id}`, alert: a, member: false });
      continue;
    }
    const key = groupKey(a);
    if (placed.has(key)) continue;
    placed.add(key);
    const open = expanded.has(key);
    items.push({ kind: 'group', key: `g${key}`, lead: a, alerts: members, expanded: open });
    if (open) for (const m of members) items.push({ kind: 'alert', key: `a${m.id}`, alert: m, member: true });
  }
  return items;
}
