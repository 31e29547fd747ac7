/**
 * The alerting module as app.ts builds it: the alert service (with silences and maintenance), the
 * notifier wired to it, and their clocks — escalation checked every `checkIntervalS`, the outbox
 * polled every `notify.pollIntervalMs` (and kicked at once when something is enqueued).
 */
import type { Alert } from '../domain/alert';
import type { EventBus } from '../domain/internal-events';
import { derived } from '../domain/registry-derived';
import type { RegistryView } from '../domain/registry-view';
import type { JobLease } from '../cluster/job-lease';
import type { Logger } from '../logger';
import type { AlertState } from '../storage/sql/alert-store';
import type { SmtpServer } from '../domain/notify-channels';
import { AlertService } from './alert-service';
import { AliyunSms, type AliyunSmsConfig } from './aliyun-sms';
import { EmailChannel } from './email-channel';
import { Notifier, type NotifyTarget } from './notifier';
import type { SourceLabel } from './notify-format';

export interface AlertingConfig {
  escalateAfterMin: number;
  checkIntervalS: number;
  notify: {
    /** Fixed targets, when `AlertingDeps.targets` is not given (the app reads them live from the store). */
    targets: NotifyTarget[];
    timeoutMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    maxAgeH: number;
    pollIntervalMs: number;
    /** The default SMTP server of email targets (host '' = none). */
    email?: Omit<SmtpServer, 'password'> & { password: string };
    /** Aliyun SMS: endpoint and AccessKey (an empty key = no SMS). */
    sms?: AliyunSmsConfig;
  };
}

/** The configured SMTP server, or null when the config names none. */
export const smtpOf = (c: AlertingConfig['notify']['email']): SmtpServer | null => (c && c.host !== '' ? c : null);

export interface Alerting {
  alerts: AlertService;
  notifier: Notifier;
  /** Stops the clocks and waits for the alert writes queued and a delivery pass in flight (call before closing the store). */
  stop(): Promise<void>;
}

/** The names a notification shows for a source, from the registry as it is when the notification is formatted. */
export function labelsOf(registry: RegistryView): (mn: string) => SourceLabel {
  const labels = derived(registry, (r) => {
    const enterprises = new Map(r.enterprises.map((e) => [e.id, e.name]));
    return new Map(r.sources.map((s) => [s.mn, { sourceName: s.name, enterpriseName: enterprises.get(s.enterpriseId) }]));
  });
  return (mn) => labels().get(mn) ?? {};
}

export interface AlertingDeps {
  /** The alert state's store (state.db, or PostgreSQL with DATABASE_URL). */
  store: AlertState;
  /** `alert:changed` and `suppression:changed` go out here (the notifier listens to the first). */
  events: EventBus;
  log: Logger;
  now: () => number;
  /** The notification targets as they are now (issue 14: administered in the UI; read at every event). */
  targets?: () => readonly NotifyTarget[];
  /** People reached by their own email or SMS (issue 21, server/alerts/duty-service.ts): their targets, and who gets an event. */
  personal?: { targets: () => readonly NotifyTarget[]; route: (event: 'opened' | 'escalated', alert: Alert) => NotifyTarget[] };
  /** Escalation and outbox delivery run only while this process holds it (a cluster's jobs lease; default: always). */
  jobs?: Pick<JobLease, 'held'>;
}

export async function startAlerting(config: AlertingConfig, registry: RegistryView, deps: AlertingDeps): Promise<Alerting> {
  const { store, events, log, now } = deps;
  const { notify } = config;
  const { personal } = deps;
  const held = () => deps.jobs?.held() ?? true;
  const shared = deps.targets ?? (() => notify.targets);
  const notifier = new Notifier(
    {
      targets: personal ? () => [...shared(), ...personal.targets()] : shared,
      timeoutMs: notify.timeoutMs,
      retryBaseMs: notify.retryBaseMs,
      retryMaxMs: notify.retryMaxMs,
      maxAgeMs: notify.maxAgeH * 3_600_000,
    },
    {
      outbox: store.outbox,
      log: log.child({ module: 'notifier' }),
      now,
      label: labelsOf(registry),
      email: new EmailChannel(smtpOf(notify.email), log.child({ module: 'email' })),
      ...(notify.sms ? { sms: new AliyunSms(notify.sms, { now }) } : {}),
      mayDeliver: held,
    },
  );
  // A fault in routing people must never undo the alert it is about (this runs in its transaction).
  const personalRoute = (event: 'opened' | 'escalated', alert: Alert): NotifyTarget[] => {
    try {
      return personal?.route(event, alert) ?? [];
    } catch (err) {
      log.error({ err, alertId: alert.id }, 'routing the alert to people failed; the shared targets still get it');
      return [];
    }
  };
  // Written in the transaction that records the change; sent as soon as it is committed.
  const alerts = new AlertService(store, log, {
    escalateAfterMs: config.escalateAfterMin * 60_000,
    now,
    notify: (event, alert) => [
      ...notifier.itemsFor(event, alert),
      ...(personal ? notifier.itemsTo(personalRoute(event, alert), event, alert) : []),
    ],
    events,
  });
  await alerts.reloadAll();
  events.on('alert:changed', ({ kind }) => {
    if (kind === 'opened' || kind === 'escalated') notifier.kick();
  });
  const tick = () => {
    if (held()) alerts.tick(now()).catch((err: unknown) => log.error({ err }, 'alert escalation failed'));
  };
  const escalation = setInterval(tick, config.checkIntervalS * 1000).unref();
  const delivery = setInterval(() => notifier.kick(), notify.pollIntervalMs).unref();
  if ((await notifier.pending()) > 0) notifier.kick(); // what a previous run left undelivered
  return {
    alerts,
    notifier,
    async stop() {
      clearInterval(escalation);
      clearInterval(delivery);
      await alerts.settled();
      await notifier.idle();
    },
  };
}
