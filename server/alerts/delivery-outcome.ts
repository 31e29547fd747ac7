/** How one delivery attempt went, whatever the channel (webhook, email, SMS). */
export interface DeliveryOutcome {
  /** What the other side answered: an HTTP status, or an SMTP reply code (null: no answer). */
  status: number | null;
  /** Why it was not delivered (null: delivered). */
  error: string | null;
  /** The refusal will not change on a retry (an SMTP 5xx, an SMS template refused): failed for good, not retried. */
  permanent: boolean;
}

export const deliveredWith = (status: number | null): DeliveryOutcome => ({ status, error: null, permanent: false });
export const retryable = (status: number | null, error: string): DeliveryOutcome => ({ status, error, permanent: false });
export const permanentFailure = (status: number | null, error: string): DeliveryOutcome => ({ status, error, permanent: true });
