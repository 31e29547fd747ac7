/**
 * The HJ 212 frame as this product models it (DOMAIN §3). Values stay as the text the logger
 * sent, so a canonical frame re-encodes byte for byte; numbers are parsed where a frame becomes
 * a reading (server/ingest/hj212/frame-reading.ts).
 */

/** CN codes the product handles. Uploads: 2011 real-time, 2051 minute, 2061 hour, 2031 day data,
 * 2021 equipment state, 2081 logger restart, 1013 time calibration request, 9015 heartbeat (2025).
 * Replies: 9011 request reply (QnRtn), 9012 execution result (ExeRtn), 9013 notice reply,
 * 9014 data reply. Commands: 1012 set the logger's time. */
export const CN = {
  realtime: '2011',
  minute: '2051',
  hour: '2061',
  day: '2031',
  equipmentState: '2021',
  restart: '2081',
  setTime: '1012',
  timeCalibrationRequest: '1013',
  requestReply: '9011',
  executionResult: '9012',
  noticeReply: '9013',
  dataReply: '9014',
  heartbeat: '9015',
} as const;

/** ST of system replies. */
export const ST_SYSTEM = '91';

/** Versions in the Flag's bits 2–7. */
export const VERSION = { hj2005: 0, hj2017: 1, hj2025: 2 } as const;

/** The Flag field decoded: bit0 A (acknowledge), bit1 D (split packet), bits 2–7 the version. */
export interface FrameFlag {
  ack: boolean;
  split: boolean;
  version: number;
}

/** One quantity in the CP area: its code as sent (`a21026`, legacy `02`) and its fields by wire
 * name (`Rtd`, `Avg`, `ZsRtd`, `Flag`, `EFlag`, `SampleTime`, `Info`, ...), in the order sent. */
export interface CpFactor {
  code: string;
  fields: Record<string, string>;
}

/** The CP area: entries without a factor code (`DataTime`, `RestartTime`, `QnRtn`, ...) in
 * `params`, quantities in `factors`, both in the order sent. */
export interface CpArea {
  params: Record<string, string>;
  factors: CpFactor[];
}

export interface Hj212Frame {
  /** Request number YYYYMMDDhhmmsszzz; absent from 2005 devices. */
  qn?: string;
  st?: string;
  cn: string;
  /** Access password; may be empty. */
  pw?: string;
  mn: string;
  /** The raw Flag number; absent from 2005 devices (then: no ack, not split, version 0). */
  flag?: number;
  /** Total sub-packets and this one's number (1-based), for split uploads. */
  pnum?: number;
  pno?: number;
  cp: CpArea;
}

export function decodeFlag(flag: number | undefined): FrameFlag {
  const f = flag ?? 0;
  return { ack: (f & 1) === 1, split: (f & 2) === 2, version: f >>> 2 };
}

export function encodeFlag(f: FrameFlag): number {
  return (f.version << 2) | (f.split ? 2 : 0) | (f.ack ? 1 : 0);
}
