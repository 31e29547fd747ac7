/**
 * The routers app.ts (and the auth module) mount, by mount path, as createHttpApp mounts them (the
 * API's description first). Their dependencies are only captured at registration, so inert
 * stand-ins suffice for tests that read the route table (route-table.test.ts, openapi.test.ts).
 */
import type { Router } from 'express';
import type { Registry } from '../../server/domain/registry';
import type { RegistryView } from '../../server/domain/registry-view';
import { airRouter } from '../../server/http/air-router';
import { apiTokensRouter } from '../../server/http/api-tokens-router';
import { warningsRouter } from '../../server/http/warnings-router';
import { preNoticesRouter } from '../../server/http/pre-notices-router';
import { responsesRouter } from '../../server/responses/responses-router';
import { alertsRouter } from '../../server/http/alerts-router';
import { assigneesRouter } from '../../server/http/assignees-router';
import { auditRouter } from '../../server/auth/audit-router';
import { authRouter } from '../../server/auth/auth-router';
import { campaignsRouter } from '../../server/http/campaigns-router';
import { enterprisesRouter, facilitiesRouter, registrySourcesRouter, sourceAdminRouter } from '../../server/http/registry-routers';
import { hj212LoggersRouter, rawFramesRouter } from '../../server/http/raw-frames-router';
import { maintenanceRouter } from '../../server/http/maintenance-router';
import { mapRouter } from '../../server/http/map-router';
import { dutyRouter, notifySettingsRouter } from '../../server/http/duty-router';
import { notifyTargetsRouter } from '../../server/http/notify-targets-router';
import { ozoneRouter } from '../../server/http/ozone-router';
import { registryIoRouter } from '../../server/http/registry-io-router';
import { powerImportRouter } from '../../server/http/power-import-router';
import { reportsRouter } from '../../server/http/reports-router';
import { rulesRouter } from '../../server/http/rules-router';
import { silencesRouter } from '../../server/http/silences-router';
import { sourcesRouter } from '../../server/http/sources-router';
import { seriesRouter } from '../../server/http/series-router';
import { usersRouter } from '../../server/auth/users-router';
import { apiDocsRouter } from '../../server/http/api-docs-router';
import { exchangeRouter } from '../../server/http/exchange-router';
import { adsorbentRouter, startStopEventsRouter, startStopPlansRouter } from '../../server/http/facility-records-router';
import { qualityRouter } from '../../server/http/quality-router';
import { enterpriseScorecardRouter, scorecardsRouter } from '../../server/http/scorecard-router';
import { casesRouter } from '../../server/http/cases-router';
import { reductionListsRouter } from '../../server/http/reduction-lists-router';
import { gradeProposalsRouter } from '../../server/grades/grade-proposals-router';
import { caseEvidenceRouter } from '../../server/http/case-evidence-router';
import { workingConditionRouter } from '../../server/http/working-condition-router';

const inert = {} as never;
const registry: RegistryView = { current: () => ({ sources: [], enterprises: [] }) as unknown as Registry, version: () => 1 };
const now = () => 0;

/** The routers app.ts (and the auth module) mount, by mount path. */
export function mounted(): Record<string, Router> {
  const mounts: Record<string, Router> = {
    '/api/auth': authRouter({ users: inert, sessions: inert, guard: inert, audit: inert, revocations: inert, log: inert }),
    '/api/users': usersRouter({
      users: inert,
      sessions: inert,
      audit: inert,
      guards: [],
      revocations: inert,
      enterpriseExists: () => true,
    }),
    '/api/audit': auditRouter({ audit: inert, sessions: inert, users: inert }),
    '/api/alerts': alertsRouter(inert, now),
    '/api/assignees': assigneesRouter(() => []),
    '/api/rules': rulesRouter(inert, inert, inert),
    '/api/silences': silencesRouter(inert, () => true, now),
    '/api/maintenance': maintenanceRouter(inert, registry, { policy: inert, now }),
    '/api/sources': sourcesRouter({ views: inert, industryOf: () => undefined, openAlerts: () => [] })
      .use(seriesRouter(inert, inert, now))
      .use(rawFramesRouter(inert, () => undefined, now))
      .use(sourceAdminRouter(inert)),
    '/api/enterprises': enterprisesRouter(inert)
      .use(enterpriseScorecardRouter(inert, 480))
      .use(workingConditionRouter({ registry, telemetry: inert, alerts: inert, limitOf: () => undefined, now })),
    '/api/facilities': facilitiesRouter(inert).use(adsorbentRouter({ records: inert, utcOffsetMinutes: 480, now })),
    '/api/start-stop-plans': startStopPlansRouter({ records: inert, utcOffsetMinutes: 480, now }),
    '/api/start-stop-events': startStopEventsRouter({ records: inert, utcOffsetMinutes: 480, now }),
    '/api/hj212': hj212LoggersRouter(
      () => [],
      () => [],
    ),
    '/api/ozone': ozoneRouter({ status: inert, store: inert, rules: inert, now }),
    '/api/air': airRouter(inert, inert, '测试市'),
    '/api/campaigns': campaignsRouter(inert, registry, { measures: [], campaigns: { maxDays: 1 } } as never, now),
    '/api/warnings': warningsRouter(inert, registry, inert, 480),
    '/api/pre-notices': preNoticesRouter(inert),
    '/api/responses': responsesRouter(inert, inert, 480),
    '/api/reports': reportsRouter({ reports: { utcOffsetMinutes: 480 } as never, source: () => undefined, allSources: () => [] }),
    '/api/map': mapRouter(inert),
    '/api/registry': registryIoRouter(inert, { maxBytes: 1, log: inert, now, utcOffsetMinutes: 480 }).use(registrySourcesRouter(registry)),
    '/api/power-imports': powerImportRouter({ registry, sink: inert }, { maxBytes: 1, maxRows: 1, utcOffsetMinutes: 480, log: inert, now }),
    '/api/notify-targets': notifyTargetsRouter({ targets: inert, notifier: inert }),
    '/api/tokens': apiTokensRouter(inert),
    '/api/exchange/v1': exchangeRouter({ service: inert, source: () => undefined, utcOffsetMinutes: 480 }),
    '/api/duty': dutyRouter({ duty: inert, now }),
    '/api/notify-settings': notifySettingsRouter({ duty: inert }),
    '/api/quality': qualityRouter({ quality: inert, source: () => undefined, allSources: () => [], utcOffsetMinutes: 480 }).use(
      scorecardsRouter(inert, 480),
    ),
    '/api/cases': casesRouter(inert, { maxBytes: 1, utcOffsetMinutes: 480 }).use(caseEvidenceRouter(inert)),
    '/api/reduction-lists': reductionListsRouter(inert, registry, { maxBytes: 1, log: inert }),
    '/api/grade-proposals': gradeProposalsRouter(inert),
  };
  const docs = apiDocsRouter(() => ({ '/api': docs, ...mounts }));
  return { '/api': docs, ...mounts };
}
