/**
 * The server's answers (HJ 212-2017 §6): 9014 data reply echoing the upload's QN, PW and MN;
 * 9011 request reply with a QnRtn code for a refused upload; 1012 "set the logger's time" in answer
 * to a 1013 time-calibration request. Replies carry the version of the frame they answer, without
 * the acknowledge bit (a 1012 command asks for one: the logger answers 9011 then 9012).
 */
import { encodeFrame } from '../../domain/hj212/encode';
import { formatHjTime, formatQn } from '../../domain/hj212/hj-time';
import { CN, decodeFlag, ST_SYSTEM, type Hj212Frame } from '../../domain/hj212/types';

function echo(to: Hj212Frame, cn: string, ack: boolean, params: Record<string, string>, st = ST_SYSTEM): Hj212Frame {
  const reply: Hj212Frame = { st, cn, mn: to.mn, flag: (decodeFlag(to.flag).version << 2) | (ack ? 1 : 0), cp: { params, factors: [] } };
  if (to.qn !== undefined) reply.qn = to.qn;
  if (to.pw !== undefined) reply.pw = to.pw;
  return reply;
}

/** 9014: the upload `to` was received (sent once its data is durable). */
export function dataReply(to: Hj212Frame): Uint8Array {
  return encodeFrame(echo(to, CN.dataReply, false, {}));
}

/** 9011 with QnRtn (3 PW error, 4 MN error, 8 CN error, 2 refused...). */
export function requestReply(to: Hj212Frame, qnRtn: number): Uint8Array {
  return encodeFrame(echo(to, CN.requestReply, false, { QnRtn: String(qnRtn) }));
}

/** 1012 with the server's time, answering a 1013 request; a new QN, the logger's ST. */
export function setTimeCommand(to: Hj212Frame, now: number, utcOffsetMinutes: number): Uint8Array {
  const cmd = echo(to, CN.setTime, true, { SystemTime: formatHjTime(now, utcOffsetMinutes) }, to.st ?? '31');
  cmd.qn = formatQn(now, utcOffsetMinutes);
  return encodeFrame(cmd);
}
