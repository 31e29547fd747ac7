/**
 * Fault injection for the HJ 212 simulators: what real loggers and real lines do to frames.
 * Each fault turns the good upload into the frames and TCP writes to send; the good data still
 * arrives (a corrupted frame is followed by its resend, a refused copy by the right one), so a run
 * with faults must land every reading. Pure: the randomness comes from the Rng passed in.
 */
import { encodeFrame } from '../../server/domain/hj212/encode';
import type { Hj212Frame } from '../../server/domain/hj212/types';
import type { Rng } from '../random';
import { splitUpload } from './upload-frame';

export const HJ212_FAULTS = [
  /** A corrupted copy (CRC mismatch) before the resend: refused bad_crc, no reply. */
  'bad_crc',
  /** The frame's bytes cut into several TCP writes. */
  'split_chunks',
  /** Frames written together in one write without `\r\n`. */
  'glued',
  /** HJ 212-2005 factor codes (01, 02, B02, S01...) and version 0. */
  'legacy_codes',
  /** A copy with a wrong password before the right one: refused bad_password (9011 QnRtn=3). */
  'wrong_password',
  /** A copy under an MN nobody registered: refused unknown_mn (9011 QnRtn=4). */
  'unknown_mn',
  /** The upload split into sub-packets (PNUM/PNO), reassembled by the server. */
  'split_packet',
] as const;
export type Hj212Fault = (typeof HJ212_FAULTS)[number];

/** A well-formed MN that no registry should hold. */
export const UNKNOWN_HJ212_MN = `370300ZZ${'8'.repeat(16)}`;

export interface PlannedWrite {
  bytes: Uint8Array;
  /** The MN the logger sends it as (MQTT: the topic's). */
  mn: string;
}

export interface FaultPlan {
  /** Byte runs to write, in order (one socket.write or one MQTT message each). */
  writes: PlannedWrite[];
  /** QNs of the frames that must get a 9014 (the good data). */
  expectReplies: string[];
  /** Frames sent that the server must refuse. */
  refused: number;
}

const glue = (frames: Uint8Array[]): Uint8Array => {
  const trimmed = frames.map((f) => f.subarray(0, f.length - 2)); // without \r\n
  const out = new Uint8Array(trimmed.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of trimmed) {
    out.set(f, at);
    at += f.length;
  }
  return out;
};

/** Cuts bytes into 2–5 pieces at random places. */
export function chunk(bytes: Uint8Array, rng: Rng): Uint8Array[] {
  const cuts = new Set<number>();
  const n = 1 + Math.floor(rng() * 4);
  for (let i = 0; i < n && bytes.length > 1; i++) cuts.add(1 + Math.floor(rng() * (bytes.length - 1)));
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  return sorted.slice(1).map((end, i) => bytes.subarray(sorted[i], end));
}

function corrupt(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  const at = copy.length - 6; // the first CRC digit
  copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
  return copy;
}

/**
 * The writes for `frame` (already built, with `legacy` codes if that fault was chosen) under
 * `fault`. `nextQnAt` gives fresh QN instants for split sub-packets.
 */
export function planUpload(frame: Hj212Frame, fault: Hj212Fault | null, rng: Rng, nextQnAt: () => number): FaultPlan {
  const ack = ((frame.flag ?? 0) & 1) === 1;
  const replies = (frames: Hj212Frame[]) => (ack ? frames.map((f) => f.qn ?? '') : []);
  const as = (bytes: Uint8Array, mn = frame.mn): PlannedWrite => ({ bytes, mn });
  const good = encodeFrame(frame);
  switch (fault) {
    case null:
    case 'legacy_codes':
      return { writes: [as(good)], expectReplies: replies([frame]), refused: 0 };
    case 'bad_crc':
      return { writes: [as(corrupt(good)), as(good)], expectReplies: replies([frame]), refused: 1 };
    case 'wrong_password':
      return { writes: [as(encodeFrame({ ...frame, pw: `${frame.pw ?? ''}x` })), as(good)], expectReplies: replies([frame]), refused: 1 };
    case 'unknown_mn':
      return {
        writes: [as(encodeFrame({ ...frame, mn: UNKNOWN_HJ212_MN }), UNKNOWN_HJ212_MN), as(good)],
        expectReplies: replies([frame]),
        refused: 1,
      };
    case 'split_chunks':
      return { writes: chunk(good, rng).map((c) => as(c)), expectReplies: replies([frame]), refused: 0 };
    case 'glued': {
      // A heartbeat and the upload glued without \r\n: two frames in one write.
      const heartbeat: Hj212Frame = {
        st: frame.st,
        cn: '9015',
        pw: frame.pw,
        mn: frame.mn,
        flag: (frame.flag ?? 0) & ~1,
        cp: { params: {}, factors: [] },
      };
      return { writes: [as(glue([encodeFrame(heartbeat), good]))], expectReplies: replies([frame]), refused: 0 };
    }
    case 'split_packet': {
      const parts = splitUpload(frame, 2 + Math.floor(rng() * 2), nextQnAt);
      return { writes: parts.map((p) => as(encodeFrame(p))), expectReplies: replies(parts), refused: 0 };
    }
  }
}
