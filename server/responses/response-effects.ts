/**
 * The effect report of a response (issue 18 item 6), gathered: the response as the caller may see
 * it (ResponseService.get: the bureau whole, an enterprise its own part, 404 otherwise), each
 * required entry's outlets, their hourly emission rates per pollutant and baselines read as the
 * verifier reads them (measure-hour.ts: the same hour means, the same baseline days), and the
 * warning effect report's ambient figures once the warning is lifted. The sums are
 * server/domain/response-effect.ts's.
 *
 * An outlet flagged F (stopped) in an hour without a valid rate emitted nothing that hour: 0 kg/h
 * (a stopped line achieves its whole baseline; its flagged values are not valid data).
 */
import { HttpError } from '../domain/errors';
import { HOUR_MS, hourStartOf } from '../domain/local-time';
import { REDUCTION_POLLUTANT_NAMES, REDUCTION_POLLUTANTS, type ReductionEntry } from '../domain/reduction-list';
import {
  responseEffect,
  responseEffectForEnterprise,
  type AmbientEffect,
  type HourRate,
  type OutletRates,
  type ResponseEffect,
} from '../domain/response-effect';
import type { ReductionResponse } from '../domain/response';
import type { WarningEffect } from '../domain/warning-effect';
import { emissionRates, flaggedStopped, responseBaselineRange, sameHourBaseline, type HourContext } from './measure-hour';
import type { ResponseService } from './response-service';

export interface ResponseEffectsDeps {
  responses: Pick<ResponseService, 'get'>;
  verifier: {
    contextOf(r: Pick<ReductionResponse, 'startAt'>, first: number, until: number): Promise<HourContext>;
    entries(r: ReductionResponse): Promise<Map<string, Map<string, ReductionEntry>>>;
  };
  /** The warning effect report of a lifted warning; null while it is not lifted (or was cancelled). */
  ambientOf: (warningId: number) => Promise<WarningEffect | null>;
  graceMs: () => number;
  utcOffsetMinutes: number;
  now: () => number;
}

/** One outlet's hours of [from, until) per pollutant, with their baselines. */
async function outletRates(ctx: HourContext, mn: string, from: number, until: number): Promise<OutletRates> {
  const base = responseBaselineRange(ctx);
  const stopped = new Map<number, Promise<boolean>>();
  const isStopped = (h: number): Promise<boolean> => {
    const known = stopped.get(h) ?? flaggedStopped(ctx, mn, h);
    stopped.set(h, known);
    return known;
  };
  const out: OutletRates = {};
  for (const p of REDUCTION_POLLUTANTS) {
    const { code } = REDUCTION_POLLUTANT_NAMES[p];
    const before = await emissionRates(ctx, mn, code, base.from, base.to);
    if (before.size === 0) continue; // no baseline: nothing to measure against
    const current = await emissionRates(ctx, mn, code, from, until);
    const hours = new Map<number, HourRate>();
    for (let h = from; h + HOUR_MS <= until; h += HOUR_MS) {
      const baseline = sameHourBaseline(before, h);
      const observed = current.get(h) ?? (baseline !== null && (await isStopped(h)) ? 0 : undefined);
      if (observed !== undefined) hours.set(h, { current: observed, baseline });
    }
    out[p] = hours;
  }
  return out;
}

const ambientFrom = (w: WarningEffect | null): AmbientEffect =>
  w === null
    ? { available: false, reason: 'not-lifted' }
    : { available: true, days: w.days, means: w.means, heavyHours: w.heavyHours, heavyHoursTotal: w.heavyHoursTotal };

export class ResponseEffects {
  constructor(private readonly deps: ResponseEffectsDeps) {}

  /** The effect report as the caller may see it: the bureau (tenant null) whole; an enterprise its own row (404 when not in it). */
  async report(id: number, tenant: string | null): Promise<ResponseEffect> {
    const { deps } = this;
    const r = await deps.responses.get(id, tenant);
    const off = deps.utcOffsetMinutes;
    const closedUntil = hourStartOf(deps.now() - deps.graceMs(), off);
    const until = Math.min(r.endAt ?? closedUntil, closedUntil);
    const from = Math.ceil(r.startAt / HOUR_MS) * HOUR_MS; // a part hour at the start is not reported (as verified)
    const ctx = await deps.verifier.contextOf(r, from, until);
    const entries = await deps.verifier.entries(r);
    const outletsOf = (enterpriseId: string, entryId: string) => entries.get(enterpriseId)?.get(entryId)?.outletMns ?? [];
    const mns = new Set(
      r.enterprises.flatMap((e) =>
        e.measures.filter((m) => m.obligation === 'required').flatMap((m) => outletsOf(e.enterpriseId, m.entryId)),
      ),
    );
    const rates = new Map<string, OutletRates>();
    for (const mn of mns) rates.set(mn, await outletRates(ctx, mn, from, until));
    const ambient: AmbientEffect =
      tenant === null ? ambientFrom(await deps.ambientOf(r.warningId)) : { available: false, reason: 'not-shown' };
    const effect = responseEffect({ response: r, outletsOf, ratesOf: (mn) => rates.get(mn) ?? {}, until, utcOffsetMinutes: off, ambient });
    if (tenant === null) return effect;
    const own = responseEffectForEnterprise(effect, tenant);
    if (!own) throw new HttpError(404, 'not_found', `response ${id} not found`);
    return own;
  }
}
