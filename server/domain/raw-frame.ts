/**
 * An archived HJ 212 frame as the audit API returns it (GET /api/sources/:mn/frames), declared
 * once for server and dashboard. `frame` is the bytes as text when they are valid UTF-8, else
 * `frameBase64`; either way with the logger's password masked (`PW=***`, maskFramePassword): the
 * archive keeps the bytes as received for audits, the view does not hand a logger's secret to
 * every staff member and enterprise user.
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
  count?: number;
  frame?: string;
  frameBase64?: string;
}

export const MASKED_PW = '***';

const P = 0x50;
const W = 0x57;
const EQ = 0x3d;
/** Bytes after which a `PW=` key starts: `;` `,` (mix-ups), the length field's last digit, `#`, a space. */
const before = (b: number | undefined): boolean =>
  b === undefined || b === 0x3b || b === 0x2c || b === 0x23 || b === 0x20 || (b >= 0x30 && b <= 0x39);
/** Bytes that end a PW value: `;` `,` `&` (CP=&&), CR, LF. */
const ends = (b: number): boolean => b === 0x3b || b === 0x2c || b === 0x26 || b === 0x0d || b === 0x0a;

/** The frame with the value of every `PW=` key (any case) replaced by `***`; other bytes untouched. */
export function maskFramePassword(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const isKey = (b | 0x20) === (P | 0x20) && ((bytes[i + 1] ?? 0) | 0x20) === (W | 0x20) && bytes[i + 2] === EQ;
    if (isKey && before(i === 0 ? undefined : bytes[i - 1])) {
      out.push(b, bytes[i + 1] as number, EQ);
      for (const c of MASKED_PW) out.push(c.charCodeAt(0));
      i += 3;
      while (i < bytes.length && !ends(bytes[i] as number)) i++;
      continue;
    }
    out.push(b);
    i++;
  }
  return Uint8Array.from(out);
}

/** maskFramePassword on text (a refusal's detail may quote the frame). */
export function maskPasswordText(text: string): string {
  return text.replace(/(^|[;,#\d ])(pw=)[^;,&\r\n]*/gi, `$1$2${MASKED_PW}`);
}
