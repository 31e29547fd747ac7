/**
 * GET /api/enterprises/:id/working-condition?from&to&cn&mn → WorkingConditionStrip
 * (server/domain/working-condition-strip.ts): the production lines' power, the treatment facilities'
 * signals and the outlets' main emissions of one enterprise on one time axis, from the telemetry
 * store (the same series the source page reads), with the facility rules' findings to mark.
 * `mn` narrows it to one source's part. An enterprise user sees its own enterprise only (404).
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { AlertQuery } from '../storage/alert-queries';
import type { Alert } from '../domain/alert';
import { DATA_KINDS, primaryValue, type DataKind, type SeriesPoint } from '../domain/reading';
import { mnSchema } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import {
  stripCn,
  stripFindings,
  stripPlan,
  workingConditionStripSchema,
  type LimitOf,
  type StripLane,
  type WorkingConditionStrip,
} from '../domain/working-condition-strip';
import type { TelemetryStore } from '../storage/telemetry-store';
import { routes, sees } from './access';
import { HttpError } from './errors';
import { resolveRange, timeRangeFields } from './time-range';

const MAX_RANGE_MS = 31 * 24 * 3_600_000;
/** The newest alerts of the enterprise looked at for findings in the range. */
const ALERTS_LOOKED_AT = 2000;

const stripQuery = z
  .object({
    ...timeRangeFields,
    cn: z.enum(DATA_KINDS).optional().meta({ description: 'default: minute data up to three days, hourly beyond' }),
    mn: mnSchema.optional().meta({ description: 'one source’s part: its facilities, the lines they serve and their outlets' }),
  })
  .strict();

export interface WorkingConditionPorts {
  registry: RegistryView;
  telemetry: Pick<TelemetryStore, 'series'>;
  alerts: { list(q: AlertQuery): Promise<{ items: Alert[] }> };
  limitOf: LimitOf;
  now: () => number;
}

/** The value a lane shows: converted to reference O2 where there is one, else the data kind's own. */
const valueOf = (cn: DataKind, p: SeriesPoint): number | undefined => p.zs ?? primaryValue(cn, p);

export function workingConditionRouter(ports: WorkingConditionPorts): Router {
  const r = routes();
  r.get(
    '/:id/working-condition',
    'sources.read',
    {
      summary: { en: 'Working-condition strip of an enterprise', zh: '企业工况监控联动曲线' },
      description:
        'Production power, treatment signals and outlet emissions on one time axis, with the facility rules’ findings (alerts) overlapping the range.',
      params: { id: z.string() },
      query: stripQuery,
      response: workingConditionStripSchema,
      refusals: [503],
    },
    async (req, res) => {
      const id = req.params.id as string;
      const registry = ports.registry.current();
      if (!registry.enterprises.some((e) => e.id === id) || !sees(res, id)) {
        throw new HttpError(404, 'not_found', `enterprise "${id}" is not registered`);
      }
      const q = stripQuery.parse(req.query);
      const { from, to } = resolveRange(q, ports.now());
      if (to - from > MAX_RANGE_MS) throw new HttpError(400, 'bad_request', 'the range is at most 31 days');
      if (q.mn !== undefined && !registry.sources.some((s) => s.mn === q.mn && s.enterpriseId === id)) {
        throw new HttpError(404, 'not_found', `source "${q.mn}" is not registered for this enterprise`);
      }
      const cn = q.cn ?? stripCn(from, to);
      const planned = stripPlan(registry, id, ports.limitOf, q.mn);
      const lanes: StripLane[] = await Promise.all(
        planned.map(async (lane) => {
          const series = await ports.telemetry.series({ mn: lane.mn, cn, factor: lane.code, from, to });
          const points = series.flatMap((p) => {
            const value = valueOf(cn, p);
            return value === undefined ? [] : [{ ts: p.ts, value }];
          });
          return { ...lane, points };
        }),
      );
      const { items } = await ports.alerts.list({ enterpriseId: id, to, limit: ALERTS_LOOKED_AT });
      const findings = stripFindings(items, planned, from, to);
      res.json({ enterpriseId: id, from, to, cn, lanes, findings } satisfies WorkingConditionStrip);
    },
  );
  return r.router;
}
