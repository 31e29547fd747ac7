/**
 * The server's internal events, declared once: what one stage announces and others (the realtime
 * hub, the broker, the notifier) act on. Payloads are plain data — no class instances, functions,
 * Dates or shared identity — so that an event can cross processes later (a Redis-backed bus): every
 * payload survives `structuredClone` and a JSON round trip (internal-events.test.ts checks each).
 */
import type { Alert, MaintenanceWindow, Silence } from './alert';
import type { RectificationCase } from './case';
import type { Campaign, CampaignNotice, NoticeKind } from './campaign';
import type { GradeProposal } from './grade-downgrade';
import type { AlertEventKind, LatestValues, LoggerStatusEvent, RulesChangedEvent } from './events';
import type { IdentityRevoked } from './principal';
import type { RegistryChanged } from './registry-view';
import type { NoticeRecipient, PreNotice } from './prenotice';
import type { ReductionResponse } from './response';
import type { Warning } from './warning';

export interface InternalEvents {
  /** A source's latest values moved forward. */
  'reading:latest': LatestValues;
  /** An alert opened, changed state or was annotated. */
  'alert:changed': { kind: AlertEventKind; alert: Alert };
  /** A silence or a maintenance window was created or changed. */
  'suppression:changed': { silence: Silence } | { window: MaintenanceWindow };
  /** The rule pack or a source's override changed (mn: null for the pack). */
  'rules:changed': RulesChangedEvent;
  /** A special-control campaign was created or changed state. */
  'campaign:changed': Campaign;
  /** A campaign notice was sent to an enterprise or acknowledged by it. */
  'notice:sent': { kind: NoticeKind; campaign: Campaign; notice: CampaignNotice };
  /** A heavy-pollution or ozone warning was issued, started, changed, lifted or cancelled (the whole warning). */
  'warning:changed': Warning;
  /** A pre-notice (预通知) was issued or acknowledged by one of its enterprises (the whole pre-notice). */
  'prenotice:changed': PreNotice;
  /** An enterprise acknowledged (已知悉) a warning's notice. */
  'warning:acknowledged': { warningId: number; recipient: NoticeRecipient };
  /** A data logger connected or its last connection closed (MQTT on the embedded broker, HJ 212 TCP). */
  'logger:status': LoggerStatusEvent;
  /** A session ended or a user's identity changed: close what was granted under it. */
  'user:revoked': IdentityRevoked;
  /** A rectification case was created, changed state, got an attachment or went overdue (the whole case, the bureau's view). */
  'case:changed': RectificationCase;
  /** Enterprises, sources or facilities were added, changed or removed (read the new snapshot from the RegistryView). */
  'registry:changed': RegistryChanged;
  /**
   * A heavy-pollution response started, was re-planned, acknowledged, verified for more hours or
   * ended (the whole response, the bureau's view).
   */
  'response:changed': ReductionResponse;
  /** A grade downgrade was proposed, confirmed or dismissed (the whole proposal; the bureau's only). */
  'grade-proposal:changed': GradeProposal;
}

export type InternalEventName = keyof InternalEvents;

/**
 * A small synchronous typed emitter. Listeners run in subscription order; one listener's failure is
 * reported to `onError` and never keeps the others from running (nor reaches the emitter).
 */
export class EventBus<M extends object = InternalEvents> {
  private readonly listeners = new Map<keyof M, ((payload: never) => void)[]>();

  constructor(private readonly onError: (err: unknown, event: keyof M) => void = () => undefined) {}

  /** Subscribes; returns the unsubscribe. */
  on<K extends keyof M>(event: K, listener: (payload: M[K]) => void): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  emit<K extends keyof M>(event: K, payload: M[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (p: M[K]) => void)(payload);
      } catch (err) {
        this.onError(err, event);
      }
    }
  }

  listenerCount(event: keyof M): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}
