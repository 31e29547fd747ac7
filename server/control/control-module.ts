/**
 * The ozone control stage as app.ts builds it: the ozone status from stored data, forecasts and the
 * special-control campaigns (their store in state.db, or the cluster's PostgreSQL database with
 * DATABASE_URL; compliance measured on the telemetry store).
 */
import type { JobLease } from '../cluster/job-lease';
import type { AppConfig } from '../config';
import type { ControlStore } from '../domain/control-store';
import type { EventBus } from '../domain/internal-events';
import type { RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import { alertStateDatabase } from '../storage/sql/database';
import { openControlStore } from '../storage/sql/control-store';
import type { TelemetryStore } from '../storage/telemetry-store';
import { ComplianceCalculator } from './campaign-compliance';
import { CampaignService } from './campaign-service';
import { OzoneStatusService } from './ozone-status';
import { AirQualityService } from './air-quality';
import { AirAssessmentService } from './air-assessment';

export interface ControlModule {
  store: ControlStore;
  ozoneStatus: OzoneStatusService;
  /** Hourly and daily AQI of the stations, districts and city (HJ 633). */
  airQuality: AirQualityService;
  /** Assessment of the city and districts over a period against targets; the monthly bulletin. */
  airAssessment: AirAssessmentService;
  campaigns: CampaignService;
  stop(): Promise<void>;
}

export async function startControl(
  config: Pick<AppConfig, 'dataDir' | 'database' | 'ozone' | 'cityMap'>,
  deps: {
    registry: RegistryView;
    telemetry: TelemetryStore;
    events: EventBus;
    /** The campaigns' sweep runs on the process holding it (a cluster's jobs lease; default always). */
    jobs?: Pick<JobLease, 'held'>;
    log: Logger;
    now: () => number;
  },
): Promise<ControlModule> {
  const { registry, telemetry, events, log, now } = deps;
  // Beside the alert state: state.db, or the PostgreSQL database of DATABASE_URL.
  const store = await openControlStore(alertStateDatabase(config), now);
  const ozoneStatus = new OzoneStatusService({
    store: telemetry,
    registry,
    rules: config.ozone,
    log: log.child({ module: 'ozone' }),
    now,
  });
  const airQuality = new AirQualityService({
    store: telemetry,
    registry,
    utcOffsetMinutes: config.ozone.utcOffsetMinutes,
    minHourCoverage: config.ozone.status.minHourCoverage,
    cityName: config.cityMap.city.zh,
    log: log.child({ module: 'air-quality' }),
    now,
  });
  const airAssessment = new AirAssessmentService({
    air: airQuality,
    rules: config.ozone.assessment,
    utcOffsetMinutes: config.ozone.utcOffsetMinutes,
    cityName: config.cityMap.city.zh,
    now,
  });
  const campaigns = new CampaignService({
    store,
    registry,
    rules: config.ozone,
    compliance: new ComplianceCalculator(telemetry, registry, config.ozone),
    log: log.child({ module: 'campaigns' }),
    now,
    events,
    when: () => deps.jobs?.held() ?? true,
  });
  campaigns.start();
  return {
    store,
    ozoneStatus,
    airQuality,
    airAssessment,
    campaigns,
    async stop() {
      await campaigns.stop();
      await store.close();
    },
  };
}
