/**
 * What a received frame means, decided without I/O: a reading (possibly one part of a split
 * upload), a logger status (2081 restart, 9015 heartbeat), a time-calibration request (1013), a
 * reply of the logger to a command (9011–9014), or a refusal with its reason. Checked in order:
 * envelope and data segment, MN of the MQTT topic, registered MN, password (Source.pw; a source
 * without one refuses every frame unless `allowMissingPw`, the insecure start-up flag), CN, then
 * the CN's content. CN 2021 (equipment state) is a reading like a data upload (frame-reading.ts).
 */
import type { FrameDecoded } from '../../domain/hj212/decode';
import { parseHjTime } from '../../domain/hj212/hj-time';
import { CN, decodeFlag, type FrameFlag, type Hj212Frame } from '../../domain/hj212/types';
import type { Reading } from '../../domain/reading';
import type { Source } from '../../domain/registry';
import { dataTimeOf, frameToReading, isReadingCn, type ReadingContext } from './frame-reading';
import type { Hj212RejectionReason } from './rejections';

export interface VerdictContext extends ReadingContext {
  lookup: (mn: string) => Source | undefined;
  /** MQTT: the MN of the topic, which the frame must carry. */
  expectedMn?: string;
  /** hj212.allowMissingPw (insecure): a source without a pw takes any PW. Default false. */
  allowMissingPw?: boolean;
}

/** Compares without stopping at the first difference (no timing hint of how much was right). */
function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i % Math.max(a.length, 1)) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Why the frame's PW does not open `source`, or undefined when it does. */
function passwordProblem(frame: Hj212Frame, source: Source, allowMissingPw: boolean): string | undefined {
  if (source.pw === undefined || source.pw === '') return allowMissingPw ? undefined : 'the source has no logger password registered';
  if (frame.pw !== undefined && sameSecret(frame.pw, source.pw)) return undefined;
  return frame.pw === undefined || frame.pw === '' ? 'no PW, the source has one' : 'PW does not match the source’s';
}

interface Known {
  frame: Hj212Frame;
  flag: FrameFlag;
  source: Source;
}

/** Limit on PNUM: a split upload of more parts than this is refused. */
export const MAX_SPLIT_PARTS = 64;

export type Verdict =
  /** `refused`: factors left out for a bad value or flag (the rest is taken). */
  | (Known & { kind: 'reading'; reading: Reading; notes: string[]; refused: string[]; split?: { pnum: number; pno: number } })
  | (Known & { kind: 'status'; event: 'restart' | 'heartbeat'; at: number; restartTime?: number })
  | (Known & { kind: 'time_request' })
  | (Known & { kind: 'logger_reply' })
  | { kind: 'rejected'; reason: Hj212RejectionReason; detail: string; frame?: Hj212Frame; flag?: FrameFlag };

const LOGGER_REPLIES = new Set<string>([CN.requestReply, CN.executionResult, CN.noticeReply, CN.dataReply]);

function splitOf(frame: Hj212Frame, flag: FrameFlag): { pnum: number; pno: number } | string | undefined {
  if (!flag.split) return undefined;
  const { pnum, pno } = frame;
  if (pnum === undefined || pno === undefined) return 'Flag marks a split upload but PNUM or PNO is missing';
  if (pnum < 1 || pnum > MAX_SPLIT_PARTS) return `PNUM=${pnum} is not 1–${MAX_SPLIT_PARTS}`;
  if (pno < 1 || pno > pnum) return `PNO=${pno} is not 1–PNUM (${pnum})`;
  return pnum === 1 ? undefined : { pnum, pno };
}

export function judge(decoded: FrameDecoded, ctx: VerdictContext): Verdict {
  if (!decoded.ok) return { kind: 'rejected', reason: decoded.reason, detail: decoded.detail };
  const { frame } = decoded;
  const flag = decodeFlag(frame.flag);
  const refuse = (reason: Hj212RejectionReason, detail: string): Verdict => ({ kind: 'rejected', reason, detail, frame, flag });
  if (ctx.expectedMn !== undefined && frame.mn !== ctx.expectedMn)
    return refuse('mn_mismatch', `frame MN "${frame.mn.slice(0, 30)}" is not the topic's MN "${ctx.expectedMn}"`);
  const source = ctx.lookup(frame.mn);
  if (!source) return refuse('unknown_mn', `MN "${frame.mn.slice(0, 30)}" is not registered`);
  const pwProblem = passwordProblem(frame, source, ctx.allowMissingPw === true);
  if (pwProblem !== undefined) return refuse('bad_password', pwProblem);
  const cn = frame.cn;
  if (isReadingCn(cn)) {
    const split = splitOf(frame, flag);
    if (typeof split === 'string') return refuse('bad_split', split);
    const r = frameToReading(frame, source, ctx);
    if (!r.ok) return refuse(r.reason, r.detail);
    const reading = { kind: 'reading' as const, frame, flag, source, reading: r.reading, notes: r.notes, refused: r.refused };
    return split ? { ...reading, split } : reading;
  }
  if (cn === CN.restart) {
    const dataTime = dataTimeOf(frame);
    const at = dataTime === undefined ? undefined : parseHjTime(dataTime.trim(), ctx.utcOffsetMinutes);
    if (at === undefined)
      return refuse(
        'bad_datatime',
        dataTime === undefined ? 'no DataTime in the restart notice' : `DataTime "${dataTime.slice(0, 20)}" is not a real time`,
      );
    const restart = frame.cp.params.RestartTime;
    const restartTime = restart === undefined ? undefined : parseHjTime(restart.trim(), ctx.utcOffsetMinutes);
    return restartTime !== undefined
      ? { kind: 'status', frame, flag, source, event: 'restart', at, restartTime }
      : { kind: 'status', frame, flag, source, event: 'restart', at };
  }
  if (cn === CN.heartbeat) return { kind: 'status', frame, flag, source, event: 'heartbeat', at: ctx.now };
  if (cn === CN.timeCalibrationRequest) return { kind: 'time_request', frame, flag, source };
  if (LOGGER_REPLIES.has(cn)) return { kind: 'logger_reply', frame, flag, source };
  return refuse('unsupported_cn', `CN ${cn} is not taken by this server`);
}
