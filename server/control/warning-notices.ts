/**
 * Pre-notices (预通知, PLANS E8), acknowledgements (已知悉) of warning notices and pre-notices, and
 * the effect report of a lifted warning (PLANS E9).
 *
 * - A pre-notice is offered when the forecasts show frequent orange-or-worse conditions
 *   (prenotice-outlook.ts) and issued by a person only: it goes to the continuous-process
 *   enterprises (config warnings.preNotice.industries) of the districts chosen, is pushed live to
 *   them (`prenotice:changed`, each its own entry) and sent through the notification targets.
 * - A warning's notice goes to every enterprise of its districts: they are recorded when it is
 *   issued (an enterprise of a covered district found later is added when it acknowledges).
 * - The effect report reads the forecasts, the city's daily and the districts' hourly AQI
 *   (air-quality.ts), the recipients and the history (warning-effect.ts computes it).
 */
import type { AqiQuery, AqiResponse } from '../domain/air-quality';
import { HttpError } from '../domain/errors';
import type { EventBus } from '../domain/internal-events';
import { addDays, localDate } from '../domain/local-time';
import { compareRecipients, type NoticeRecipient, type PreNotice, type PreNoticeProposal } from '../domain/prenotice';
import { PRE_NOTICE_MESSAGE, type IssuePreNoticeInput } from '../domain/prenotice-schema';
import type { Enterprise } from '../domain/registry';
import type { RegistryView } from '../domain/registry-view';
import { coversDistrict, type Warning } from '../domain/warning';
import type { EffectNotices, WarningEffect } from '../domain/warning-effect';
import type { Logger } from '../logger';
import type { NoticeStore } from '../storage/sql/notice-store';
import type { OzoneRules } from './ozone-rules';
import { frequentWarningOutlook, isContinuousProcess } from './prenotice-outlook';
import { datesOf, warningEffect } from './warning-effect';
import type { ProposalForecast } from './warning-proposals';
import { enterpriseById } from '../domain/registry';

export interface WarningNoticesDeps {
  store: NoticeStore;
  warnings: { get(id: number): Promise<Warning | null>; list(): Promise<Warning[]> };
  registry: RegistryView;
  rules: Pick<OzoneRules, 'warnings' | 'utcOffsetMinutes'>;
  districts: () => readonly string[];
  forecasts: (from: string, to: string) => Promise<readonly ProposalForecast[]>;
  air: { aqi(q: AqiQuery): Promise<AqiResponse> };
  /** Sends a pre-notice through the notification targets. */
  notify: (p: PreNotice) => void;
  events: EventBus;
  log: Logger;
  now: () => number;
}

const recipientOf = (e: Enterprise): NoticeRecipient => ({
  enterpriseId: e.id,
  name: e.name,
  district: e.district,
  industryCode: e.industry?.code ?? null,
  industryName: e.industry?.name ?? null,
  acknowledgedAt: null,
  acknowledgedBy: null,
});

/** The hourly AQI endpoint answers at most this many days a request. */
const HOUR_CHUNK_DAYS = 31;

export class WarningNotices {
  constructor(private readonly deps: WarningNoticesDeps) {}

  /** The continuous-process enterprises of these districts (every district when not given). */
  private continuousProcess(districts?: readonly string[]): NoticeRecipient[] {
    const { industries } = this.deps.rules.warnings.preNotice;
    return this.deps.registry
      .current()
      .enterprises.filter(
        (e) => (districts === undefined || districts.includes(e.district)) && isContinuousProcess(e.industry?.code, industries),
      )
      .map(recipientOf)
      .sort(compareRecipients);
  }

  private async outlook() {
    const { rules } = this.deps;
    const today = localDate(this.deps.now(), rules.utcOffsetMinutes);
    const forecasts = await this.deps.forecasts(today, addDays(today, rules.warnings.preNotice.horizonDays - 1));
    return frequentWarningOutlook(forecasts, today, rules.warnings);
  }

  /** GET /api/pre-notices/proposal: what the forecasts say and whom a pre-notice would reach. */
  async proposal(): Promise<PreNoticeProposal> {
    const outlook = await this.outlook();
    const eps = outlook.episodes;
    return {
      outlook,
      level: eps.length === 0 ? null : eps.some((e) => e.level === 'red') ? 'red' : 'orange',
      from: eps[0]?.from ?? null,
      to: eps[eps.length - 1]?.to ?? null,
      recipients: this.continuousProcess(),
      industries: this.deps.rules.warnings.preNotice.industries,
    };
  }

  /** Issues a pre-notice by hand (400: unknown district, no period to name, nobody to address). */
  async issue(input: IssuePreNoticeInput, actor: string): Promise<PreNotice> {
    const known = new Set(this.deps.districts());
    const unknown = input.districts.filter((d) => !known.has(d));
    if (unknown.length > 0) throw new HttpError(400, 'bad_request', `districts: unknown district(s) ${unknown.join(', ')}`);
    const proposal = await this.proposal();
    const from = input.from ?? proposal.from;
    const to = input.to ?? proposal.to;
    const level = input.level ?? proposal.level;
    if (from === null || to === null || level === null)
      throw new HttpError(400, 'bad_request', 'from: the forecasts show no orange-or-worse episode; give level, from and to');
    const recipients = this.continuousProcess(input.districts);
    if (recipients.length === 0) throw new HttpError(400, 'bad_request', 'districts: no continuous-process enterprise in these districts');
    const p = await this.deps.store.insertPreNotice({
      districts: input.districts,
      level,
      from,
      to,
      message: input.message ?? PRE_NOTICE_MESSAGE,
      issuedBy: actor,
      issuedAt: this.deps.now(),
      outlook: proposal.outlook,
      recipients,
    });
    this.deps.log.info({ preNotice: p.id, enterprises: recipients.length, actor }, 'pre-notice issued');
    this.deps.events.emit('prenotice:changed', p);
    this.deps.notify(p);
    return p;
  }

  preNotices(): Promise<PreNotice[]> {
    return this.deps.store.preNotices();
  }

  /** 已知悉 of a pre-notice by its enterprise (404 when not addressed to it). */
  async acknowledgePreNotice(id: number, enterpriseId: string, actor: string): Promise<PreNotice> {
    const entry = await this.deps.store.acknowledge('pre_notice', id, enterpriseId, this.deps.now(), actor);
    const p = entry ? await this.deps.store.preNotice(id) : null;
    if (!p) throw new HttpError(404, 'not_found', `pre-notice ${id} not found`);
    this.deps.events.emit('prenotice:changed', p);
    return p;
  }

  /** Records the enterprises of a newly issued warning's districts as its notice's recipients; resolves their ids. */
  async recordWarning(w: Warning): Promise<string[]> {
    const recipients = this.deps.registry
      .current()
      .enterprises.filter((e) => coversDistrict(w, e.district))
      .map(recipientOf);
    await this.deps.store.addRecipients('warning', w.id, recipients, w.issuedAt);
    return recipients.map((r) => r.enterpriseId);
  }

  /** 已知悉 of a warning's notice by an enterprise of a district it covers (404 otherwise; 409 once cancelled). */
  async acknowledgeWarning(id: number, enterpriseId: string, actor: string): Promise<NoticeRecipient> {
    const w = await this.deps.warnings.get(id);
    const ent = enterpriseById(this.deps.registry.current().enterprises, enterpriseId);
    if (!w || !ent || !coversDistrict(w, ent.district)) throw new HttpError(404, 'not_found', `warning ${id} not found`);
    if (w.status === 'cancelled') throw new HttpError(409, 'conflict', 'a cancelled warning cannot be acknowledged');
    await this.deps.store.addRecipients('warning', id, [recipientOf(ent)], w.issuedAt);
    const entry = (await this.deps.store.acknowledge('warning', id, enterpriseId, this.deps.now(), actor)) as NoticeRecipient;
    this.deps.events.emit('warning:acknowledged', { warningId: id, recipient: entry });
    return entry;
  }

  /** The recipients of a warning's notice with their acknowledgements (an enterprise: its own only). */
  async warningRecipients(id: number, enterpriseId: string | null): Promise<NoticeRecipient[]> {
    const all = await this.deps.store.recipients('warning', id);
    return enterpriseId === null ? all : all.filter((r) => r.enterpriseId === enterpriseId);
  }

  /** The effect report of a lifted warning (404 unknown; 409 not lifted). */
  async effect(id: number): Promise<WarningEffect> {
    const w = await this.deps.warnings.get(id);
    if (!w) throw new HttpError(404, 'not_found', `warning ${id} not found`);
    if (w.status !== 'lifted' || w.liftedAt === null)
      throw new HttpError(409, 'conflict', 'the effect report is made once a warning is lifted');
    const off = this.deps.rules.utcOffsetMinutes;
    const dates = datesOf(w.startAt, w.liftedAt, off);
    const first = dates[0] as string;
    const last = dates[dates.length - 1] as string;
    const daily = await this.deps.air.aqi({ scope: 'city', interval: 'day', from: first, to: last });
    const hourly: { district: string; time: number; aqi: number | null }[] = [];
    for (let i = 0; i < dates.length; i += HOUR_CHUNK_DAYS) {
      const chunk = dates.slice(i, i + HOUR_CHUNK_DAYS);
      const res = await this.deps.air.aqi({ scope: 'district', interval: 'hour', from: chunk[0], to: chunk[chunk.length - 1] });
      for (const r of res.rows) if (r.district !== null) hourly.push({ district: r.district, time: r.time, aqi: r.aqi });
    }
    return warningEffect({
      warning: w,
      utcOffsetMinutes: off,
      forecasts: await this.deps.forecasts(first, last),
      observedDaily: daily.rows.map((r) => ({ date: r.label, aqi: r.aqi })),
      observedHourly: hourly,
      notices: await this.noticesOf(w, first, last),
    });
  }

  /** The warning's notice and the pre-notices before it that cover one of its districts and overlap its days. */
  private async noticesOf(w: Warning, first: string, last: string): Promise<EffectNotices[]> {
    const count = (kind: EffectNotices['kind'], id: number, issuedAt: number, recipients: NoticeRecipient[]): EffectNotices => ({
      kind,
      id,
      issuedAt,
      notified: recipients.length,
      acknowledged: recipients.filter((r) => r.acknowledgedAt !== null).length,
      recipients,
    });
    const out = [count('warning', w.id, w.issuedAt, await this.deps.store.recipients('warning', w.id))];
    for (const p of (await this.deps.store.preNotices()).reverse()) {
      const overlaps = p.from <= last && p.to >= first && p.issuedAt <= (w.liftedAt ?? w.issuedAt);
      if (overlaps && p.districts.some((d) => w.districts.includes(d))) out.push(count('pre_notice', p.id, p.issuedAt, p.recipients));
    }
    return out;
  }
}
