/**
 * An archived HJ 212 frame as the audit API returns it (GET /api/sources/:mn/frames), declared
 * once for server and dashboard. `frame` is the bytes as text when they are valid UTF-8, else
 * `frameBase64`.
 */
export interface RawFrameView {
  id: number;
  receivedAt: number;
  mn: string | null;
  cn: string | null;
  transport: string;
  peer: string;
  verdict: string;
  detail: string | null;
  size: number;
  /** Refusals this row stands for: 1, or more for a flooding peer's aggregate row (see `detail`). */
  count: number;
  frame?: string;
  frameBase64?: string;
}
