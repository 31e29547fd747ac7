/**
 * The REST answers as zod schemas, for the OpenAPI document (server/http/openapi.ts) and for tests
 * that check real answers against it. Each is checked against the TypeScript type the routers
 * answer with (`satisfies`), so the two cannot drift apart. Request schemas stay beside the
 * routes that parse them; answers not yet modelled here are `described` objects (a name and where
 * their type lives).
 */
import { z } from 'zod';
import type { Alert, AlertDetail, AlertHistoryEntry, AlertPage, Assignee, BulkResult, MaintenanceWindow, Silence } from './alert';
import { ALERT_STATES, BULK_REFUSALS, HISTORY_KINDS, MAINTENANCE_STATUSES, SEVERITIES, SUPPRESSIONS } from './alert';
import type { LatestValues, SourceView } from './events';
import { SOURCE_STATUSES } from './events';
import type { AuditRecord } from './audit';
import { CAMPAIGN_LEVELS, CAMPAIGN_STATES, type Campaign, type CampaignNotice } from './campaign';
import { ROLES, type SessionUser } from './principal';
import { DEPARTMENTS } from './site-register';
import type { RawFrameView } from './raw-frame';
import { DATA_FLAGS, DATA_KINDS, type SeriesPoint } from './reading';
import { SERIES_RESOLUTIONS, type SeriesAnswer } from './retention';
import { enterpriseSchema, facilitySchema, GRADES, ONBOARDING_STATES, sourceSchema } from './registry';
import type { EnterpriseFile, EnterpriseSummary, GradeEntry, LoggerCredentials, SourceFile } from './registry-api';
import type { SourceListPage } from './source-list';
import type { SourceSummary } from './source-summary';
import type { SourcePoint } from './source-query';
import { SOURCE_KINDS } from './source-kinds';

const ms = z.number().int().meta({ description: 'epoch ms' });
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

/** Every refusal: a stable code and a message (server/http/errors.ts); a 400 from a schema lists its issues. */
export const errorSchema = z
  .object({
    error: z.string().meta({ description: 'stable code: bad_request, unauthenticated, forbidden, not_found, conflict…' }),
    message: z.string(),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });

const describedById = new Map<string, z.ZodObject>();
/** An answer whose shape is not modelled here yet: an object, named, with where its type is declared (one schema per name). */
export function described(id: string, description: string): z.ZodObject {
  let schema = describedById.get(id);
  if (!schema) describedById.set(id, (schema = z.object({}).loose().meta({ id, description })));
  return schema;
}
/** `{items: [...]}` of one of those. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const factorValueSchema = z
  .object({
    rtd: z.number().optional(),
    avg: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    zs: z.number().optional(),
    cou: z.number().optional(),
    flag: z.enum(DATA_FLAGS),
  })
  .meta({ id: 'FactorValue' });

export const seriesPointSchema = factorValueSchema.extend({ ts: ms }).meta({ id: 'SeriesPoint' }) satisfies z.ZodType<SeriesPoint>;

/** GET /api/sources/:mn/series: the points and the resolution they come at (server/domain/retention.ts). */
export const seriesAnswerSchema = z
  .object({ resolution: z.enum(SERIES_RESOLUTIONS), items: z.array(seriesPointSchema) })
  .meta({ id: 'SeriesAnswer' }) satisfies z.ZodType<SeriesAnswer>;

export const latestValuesSchema = z
  .object({ mn: z.string(), cn: z.enum(DATA_KINDS), ts: ms, factors: z.record(z.string(), factorValueSchema) })
  .meta({ id: 'LatestValues' }) satisfies z.ZodType<LatestValues>;

export const sourceViewSchema = z
  .object({
    mn: z.string(),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    enterpriseId: z.string(),
    enterpriseName: z.string(),
    district: z.string(),
    lat: z.number(),
    lon: z.number(),
    status: z.enum(SOURCE_STATUSES),
    latest: nullable(latestValuesSchema),
  })
  .meta({ id: 'SourceView' }) satisfies z.ZodType<SourceView>;

export const sourcePageSchema = z
  .object({ items: z.array(sourceViewSchema), total: z.number().int().meta({ description: 'sources that matched, before paging' }) })
  .meta({ id: 'SourcePage' });

/** GET /api/sources/points: [mn, lon, lat, status, enterpriseId] per source (server/sources/source-view-cache.ts). */
export const sourcePointsSchema = z
  .object({
    items: z.array(z.tuple([z.string(), z.number(), z.number(), z.enum(SOURCE_STATUSES), z.string()])),
    total: z.number().int(),
  })
  .meta({ id: 'SourcePoints' }) satisfies z.ZodType<{ items: SourcePoint[]; total: number }>;

const statusCountsShape = { total: z.number().int(), byStatus: z.record(z.enum(SOURCE_STATUSES), z.number().int()) };

/** GET /api/sources/summary (server/domain/source-summary.ts). */
export const sourceSummarySchema = z
  .object({
    ...statusCountsShape,
    byKind: z.record(z.enum(SOURCE_KINDS), z.number().int()),
    byDistrict: z.array(z.object({ district: z.string(), ...statusCountsShape })),
    byIndustry: z.array(z.object({ code: nullable(z.string()), name: nullable(z.string()), total: z.number().int() })),
    alerts: z.object({
      open: z.number().int(),
      active: z.number().int(),
      unacknowledged: z.number().int(),
      bySeverity: z.record(z.enum(SEVERITIES), z.number().int()),
    }),
  })
  .meta({ id: 'SourceSummary' }) satisfies z.ZodType<SourceSummary>;

const evidenceScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const alertSchema = z
  .object({
    id: z.number().int(),
    mn: z.string(),
    enterpriseId: z.string(),
    factor: z.string(),
    rule: z.string(),
    severity: z.enum(SEVERITIES),
    state: z.enum(ALERT_STATES),
    value: z.number(),
    peak: z.number(),
    limit: z.number(),
    unit: z.string(),
    count: z.number().int(),
    openedAt: ms,
    lastSeenAt: ms,
    clearedAt: nullable(ms),
    raisedAt: ms,
    acknowledgedAt: nullable(ms),
    acknowledgedBy: z.string().nullable(),
    assignee: z.string().nullable(),
    escalatedAt: nullable(ms),
    closedAt: nullable(ms),
    closedBy: z.string().nullable(),
    suppressed: z.enum(SUPPRESSIONS).nullable(),
    evidence: z
      .record(z.string(), z.union([evidenceScalar, z.array(z.record(z.string(), evidenceScalar))]))
      .nullable()
      .describe('The rule’s proof: scalar fields, and tables (a hotspot’s hours and nearby sources) as arrays of rows'),
  })
  .meta({ id: 'Alert' }) satisfies z.ZodType<Alert>;

export const alertHistoryEntrySchema = z
  .object({
    id: z.number().int(),
    alertId: z.number().int(),
    mn: z.string(),
    kind: z.enum(HISTORY_KINDS),
    at: ms,
    actor: z.string(),
    note: z.string().nullable(),
    internal: z.boolean().optional(),
    detail: z
      .object({ code: z.string() })
      .loose()
      .nullable()
      .optional()
      .meta({ description: 'HistoryDetail (server/domain/alert.ts): a code and its parameters' }),
  })
  .meta({ id: 'AlertHistoryEntry' }) satisfies z.ZodType<Omit<AlertHistoryEntry, 'detail'>>;

export const alertPageSchema = z
  .object({
    items: z.array(alertSchema),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    nextOffset: z.number().int().nullable(),
  })
  .meta({ id: 'AlertPage' }) satisfies z.ZodType<AlertPage>;

export const alertDetailSchema = z
  .object({ alert: alertSchema, history: z.array(alertHistoryEntrySchema), comments: z.array(alertHistoryEntrySchema) })
  .meta({ id: 'AlertDetail' }) satisfies z.ZodType<Omit<AlertDetail, 'history' | 'comments'>>;

export const bulkResultSchema = z
  .union([
    z.object({ id: z.number().int(), ok: z.literal(true), alert: alertSchema }),
    z.object({ id: z.number().int(), ok: z.literal(false), error: z.enum(BULK_REFUSALS) }),
  ])
  .meta({ id: 'BulkResult' }) satisfies z.ZodType<BulkResult>;

export const assigneeSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
}) satisfies z.ZodType<Assignee>;

export const silenceSchema = z
  .object({
    id: z.number().int(),
    mn: z.string().nullable(),
    factor: z.string().nullable(),
    rule: z.string().nullable(),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: ms,
    endsAt: ms,
  })
  .meta({ id: 'Silence' }) satisfies z.ZodType<Silence>;

export const maintenanceWindowSchema = z
  .object({
    id: z.number().int(),
    enterpriseId: z.string(),
    mn: z.string().nullable(),
    from: ms,
    to: ms,
    reason: z.string(),
    declaredBy: z.string(),
    createdAt: ms,
    status: z.enum(MAINTENANCE_STATUSES),
    reviewedBy: z.string().nullable(),
    reviewedAt: nullable(ms),
    reviewNote: z.string().nullable(),
    endedBy: z.string().nullable(),
    endedAt: nullable(ms),
  })
  .meta({ id: 'MaintenanceWindow' }) satisfies z.ZodType<MaintenanceWindow>;

export const sessionUserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    enterpriseId: z.string().nullable(),
    department: z.enum(DEPARTMENTS).nullable(),
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'SessionUser' }) satisfies z.ZodType<SessionUser>;

export const enterpriseAnswerSchema = enterpriseSchema.meta({ id: 'Enterprise' });
export const facilityAnswerSchema = facilitySchema.meta({ id: 'Facility' });
export const sourceFileSchema = sourceSchema
  .omit({ pw: true, mqttPassword: true })
  .meta({ id: 'SourceFile', description: 'a source without its logger credentials' }) satisfies z.ZodType<SourceFile>;

export const enterpriseSummarySchema = enterpriseSchema
  .extend({ sourceCount: z.number().int(), facilityCount: z.number().int() })
  .meta({ id: 'EnterpriseSummary' }) satisfies z.ZodType<EnterpriseSummary>;

export const gradeEntrySchema = z.object({
  grade: z.enum(GRADES),
  from: ms,
  reason: z.string(),
  by: z.string(),
}) satisfies z.ZodType<GradeEntry>;

export const enterpriseFileSchema = z
  .object({
    enterprise: enterpriseAnswerSchema,
    sources: z.array(sourceFileSchema),
    facilities: z.array(facilityAnswerSchema),
    gradeHistory: z.array(gradeEntrySchema),
  })
  .meta({ id: 'EnterpriseFile' }) satisfies z.ZodType<EnterpriseFile>;

export const loggerCredentialsSchema = z
  .object({ pw: z.string(), mqttPassword: z.string() })
  .meta({ id: 'LoggerCredentials', description: 'shown once' }) satisfies z.ZodType<LoggerCredentials>;

export const sourceListPageSchema = z
  .object({
    items: z.array(
      sourceFileSchema.extend({
        enterpriseName: z.string(),
        districtName: z.string(),
        limitsCount: z.number().int(),
        onboardingState: z.enum(ONBOARDING_STATES),
      }),
    ),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'SourceListPage' }) satisfies z.ZodType<SourceListPage>;

export const rawFrameSchema = z
  .object({
    id: z.number().int(),
    receivedAt: ms,
    mn: z.string().nullable(),
    cn: z.string().nullable(),
    transport: z.string(),
    peer: z.string(),
    verdict: z.string(),
    detail: z.string().nullable(),
    size: z.number().int(),
    count: z.number().int().optional(),
    frame: z.string().optional(),
    frameBase64: z.string().optional(),
  })
  .meta({ id: 'RawFrame', description: 'the logger password masked (PW=***)' }) satisfies z.ZodType<RawFrameView>;

export const campaignSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    level: z.enum(CAMPAIGN_LEVELS),
    from: ms,
    to: ms,
    target: z.object({ enterpriseIds: z.array(z.string()), kinds: z.array(z.enum(SOURCE_KINDS)), districts: z.array(z.string()) }),
    measures: z.array(
      z.object({ id: z.string(), zh: z.string(), en: z.string(), window: z.object({ from: z.string(), to: z.string() }).nullable() }),
    ),
    reductionPct: z.number(),
    note: z.string().nullable(),
    state: z.enum(CAMPAIGN_STATES),
    affected: z.array(z.string()).meta({ description: 'enterprise ids (an enterprise user: its own only)' }),
    createdBy: z.string(),
    createdAt: ms,
    activatedBy: z.string().nullable(),
    activatedAt: nullable(ms),
    closedBy: z.string().nullable(),
    closedAt: nullable(ms),
  })
  .meta({ id: 'Campaign' }) satisfies z.ZodType<Campaign>;

export const campaignNoticeSchema = z
  .object({
    campaignId: z.number().int(),
    enterpriseId: z.string(),
    sentAt: ms,
    acknowledgedAt: nullable(ms),
    acknowledgedBy: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'CampaignNotice' }) satisfies z.ZodType<CampaignNotice>;

export const auditRecordSchema = z
  .object({
    id: z.number().int(),
    at: ms,
    userId: z.number().int().nullable(),
    username: z.string().nullable(),
    role: z.enum(ROLES).nullable(),
    action: z.string(),
    target: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditRecord' }) satisfies z.ZodType<AuditRecord>;

export const auditPageSchema = z
  .object({ items: z.array(auditRecordSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'AuditPage' });
