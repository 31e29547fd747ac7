/**
 * The auth stage's outgoing signal: a session ended (logout) or a user's identity changed
 * (password, disabled, role, enterprise, deleted), announced as `user:revoked` on the internal
 * event bus. The realtime hub and the embedded broker listen and end the live connections granted
 * under the old identity. Payloads are plain data (`IdentityRevoked`), so a cluster can forward them
 * between processes unchanged.
 */
import { EventBus } from '../domain/internal-events';
import type { IdentityRevoked, RevocationReason } from '../domain/principal';
import type { Logger } from '../logger';

export type RevocationListener = (e: IdentityRevoked) => void;

export class Revocations {
  /** Signals emitted, per reason (for /healthz). */
  readonly counts: Partial<Record<RevocationReason, number>> = {};

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    // One listener's bug must not keep the others from closing their connections.
    private readonly events: EventBus = new EventBus((err) => log.error({ err }, 'revocation listener failed')),
  ) {}

  on(listener: RevocationListener): void {
    this.events.on('user:revoked', listener);
  }

  /** One session ended. */
  session(userId: number, sessionId: string, reason: RevocationReason = 'logout'): void {
    this.emit({ userId, reason, sessionId, at: this.now() });
  }

  /** Every session and connection of the user ended. */
  user(userId: number, reason: RevocationReason): void {
    this.emit({ userId, reason, at: this.now() });
  }

  private emit(e: IdentityRevoked): void {
    this.counts[e.reason] = (this.counts[e.reason] ?? 0) + 1;
    this.log.info({ userId: e.userId, reason: e.reason, session: e.sessionId?.slice(0, 12) }, 'identity revoked');
    this.events.emit('user:revoked', e);
  }
}
