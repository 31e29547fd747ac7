/**
 * The demo's records (issue 16 item 2), written once into a fresh store at `npm start` so that the
 * record rules have something to judge within minutes — the alerts still come from the rules:
 *
 *   - 柳城示范化工's 储罐区活性炭吸附装置 (adsorbentDays 90): a replacement logged 104 days ago,
 *     so adsorbent-overdue opens at the record rules' first tick;
 *   - 柳城示范化工's start/stop plan for this year, filed, listing a stop and a start of 合成车间
 *     months away — not the start the simulators make at 1:30, so unplanned-start-stop opens then
 *     (the demo judges start/stop all year: demo-pack.ts).
 *
 * Each is written only when the store has none (no replacement of that facility, no plan of that
 * enterprise for the year), so a restart on the same data dir changes nothing. Both go through the
 * records service, audited as `system`, as an enterprise's own would.
 */
import type { Registry } from '../server/domain/registry';
import { addDays, localDate } from '../server/domain/local-time';
import type { RecordsService } from '../server/records/records-service';
import type { Logger } from '../server/logger';

/** The demo's activated-carbon adsorber and the production line its plan names (config/registry.yaml). */
export const DEMO_SEED = { adsorber: 'liucheng-chem-adsorber', line: 'liucheng-chem-line1' } as const;
/** Days past its interval the seeded replacement is. */
const OVERDUE_BY_DAYS = 14;

const SYSTEM = { actor: { username: 'system' }, username: 'system', ip: null };

export interface DemoSeedDeps {
  records: Pick<RecordsService, 'replacements' | 'logReplacement' | 'plan' | 'putPlan'>;
  registry: Registry;
  now: () => number;
  utcOffsetMinutes: number;
  log: Logger;
}

export async function seedDemoRecords(deps: DemoSeedDeps): Promise<void> {
  const { records, registry, log } = deps;
  const today = localDate(deps.now(), deps.utcOffsetMinutes);
  const adsorber = registry.facilities?.find((f) => f.id === DEMO_SEED.adsorber);
  if (adsorber?.adsorbentDays !== undefined && (await records.replacements(adsorber.id)).length === 0) {
    const date = addDays(today, -(adsorber.adsorbentDays + OVERDUE_BY_DAYS));
    await records.logReplacement(adsorber, { date, amountKg: 1200, note: '演示：上次更换活性炭' }, SYSTEM);
    log.info({ facility: adsorber.id, date }, 'demo: adsorbent replacement logged');
  }
  const line = registry.facilities?.find((f) => f.id === DEMO_SEED.line);
  const year = Number(today.slice(0, 4));
  if (line && (await records.plan(line.enterpriseId, year)) === null) {
    // A maintenance stop half a year away: never within the rule's tolerance of today.
    const month = Number(today.slice(5, 7)) <= 6 ? '10' : '04';
    const entries = [
      { facilityId: line.id, kind: 'stop' as const, date: `${year}-${month}-08`, note: '演示：计划检修停车' },
      { facilityId: line.id, kind: 'start' as const, date: `${year}-${month}-15`, note: '演示：检修后开车' },
    ];
    await records.putPlan(line.enterpriseId, year, entries, SYSTEM);
    log.info({ enterprise: line.enterpriseId, year }, 'demo: start/stop plan filed');
  }
}
