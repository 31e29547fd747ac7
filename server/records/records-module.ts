/**
 * The facility-records stage as app.ts builds it (issue 16 item 2): the record store in the
 * registry's database, the records service the REST routes use (audited), and the record rules
 * (declared-stop-running, adsorbent-overdue, unplanned-start-stop) ticked with the rules' tick.
 *
 * The record rules are not started here: the intake starts them (server/parts/intake-part.ts), on
 * the process whose facility engine hears the readings.
 * The rules read the facility engine's port `facilityStates()`; until one is given
 * (`useFacilityStates`, or `deps.facilityStates`) they see no facility state: nothing runs, no
 * start/stop is detected, adsorbent intervals are still judged.
 */
import type { AuditInput } from '../auth/audit-log';
import type { AppConfig } from '../config';
import type { MaintenanceWindow } from '../domain/alert';
import type { RegistryView } from '../domain/registry-view';
import type { RuleParams } from '../domain/rule-pack';
import type { FacilityRunState } from '../domain/working-condition';
import type { Logger } from '../logger';
import { describeLocation, registryDatabase, type StoreLocations } from '../storage/sql/database';
import { openFacilityRecordStore } from '../storage/sql/facility-record-store';
import { RecordRules, type RecordRulesDeps } from './record-rules';
import { RecordsService } from './records-service';

export type FacilityStatesPort = () => ReadonlyMap<string, FacilityRunState>;

export interface RecordsModule {
  service: RecordsService;
  rules: RecordRules;
  /** Reads facility states from this port from now on (the facility engine's `facilityStates`). */
  useFacilityStates(port: FacilityStatesPort): void;
  stop(): Promise<void>;
}

const NONE: ReadonlyMap<string, FacilityRunState> = new Map();

export async function startRecords(
  config: StoreLocations & Pick<AppConfig, 'rules' | 'rulePack'>,
  deps: {
    registry: RegistryView;
    audit: { record(input: AuditInput): Promise<unknown> };
    /** Approved maintenance windows ending after now (the suppression service's). */
    windows: () => readonly MaintenanceWindow[];
    /** A facility logger's effective rule parameters (the rule book's); undefined: the pack's. */
    paramsOf: (mn: string | undefined) => RuleParams;
    sink: RecordRulesDeps['sink'];
    facilityStates?: FacilityStatesPort;
    log: Logger;
    now: () => number;
  },
): Promise<RecordsModule> {
  const location = registryDatabase(config);
  const opened = await openFacilityRecordStore(location);
  if (opened.migrated.length > 0)
    deps.log.info({ file: describeLocation(location), migrations: opened.migrated }, 'facility record store migrated');
  const utcOffsetMinutes = config.rulePack.utcOffsetMinutes;
  const service = new RecordsService({ store: opened.store, registry: deps.registry, audit: deps.audit, utcOffsetMinutes, now: deps.now });
  let states: FacilityStatesPort = deps.facilityStates ?? (() => NONE);
  const rules = new RecordRules({
    store: opened.store,
    registry: deps.registry,
    facilityStates: () => states(),
    windows: deps.windows,
    paramsOf: deps.paramsOf,
    sink: deps.sink,
    utcOffsetMinutes,
    tickMs: config.rules.tickS * 1000,
    log: deps.log,
    now: deps.now,
  });
  return {
    service,
    rules,
    useFacilityStates(port) {
      states = port;
    },
    async stop() {
      await rules.stop();
      await opened.close();
    },
  };
}
