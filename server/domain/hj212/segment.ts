/**
 * The data segment: `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;]CP=&&…&&`. Header pairs are
 * order-independent and may be separated by `;` or `,`; QN and Flag may be missing (2005 devices),
 * PW may be empty. MN and CN are required; CN is 4 digits; Flag, PNUM and PNO are numbers.
 */
import { encodeCp, parseCp } from './cp-area';
import type { Hj212Frame } from './types';

export type SegmentResult = { ok: true; frame: Hj212Frame } | { ok: false; detail: string };

const CP_OPEN = 'CP=&&';
const isDigits = (s: string): boolean => {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** Header keys as the standard spells them are the common case; others are trimmed and upper-cased. */
const KNOWN_KEYS: Record<string, string> = { QN: 'QN', ST: 'ST', CN: 'CN', PW: 'PW', MN: 'MN', Flag: 'FLAG', PNUM: 'PNUM', PNO: 'PNO' };
const headerKey = (k: string): string => KNOWN_KEYS[k] ?? k.trim().toUpperCase();

function cpBody(text: string, open: number): string {
  const from = open + CP_OPEN.length;
  const close = text.lastIndexOf('&&');
  // Tolerated: a CP area without its closing `&&` (everything after `CP=&&` is the CP area).
  return close >= from ? text.slice(from, close) : text.slice(from).replace(/&+$/, '');
}

export function parseSegment(text: string): SegmentResult {
  let open = text.indexOf(CP_OPEN);
  if (open < 0) open = text.toUpperCase().indexOf(CP_OPEN);
  if (open < 0) return { ok: false, detail: 'no CP=&& area' };
  const header: Record<string, string> = {};
  let from = 0;
  for (let i = 0; i <= open; i++) {
    const c = i === open ? 59 : text.charCodeAt(i);
    if (c !== 59 && c !== 44) continue; // ; or ,
    if (i > from) {
      const eq = text.indexOf('=', from);
      if (eq < 0 || eq >= i) return { ok: false, detail: `header field "${text.slice(from, Math.min(i, from + 40))}" has no "="` };
      header[headerKey(text.slice(from, eq))] = text.slice(eq + 1, i);
    }
    from = i + 1;
  }
  const { QN: qn, ST: st, CN: cn, PW: pw, MN: mn, FLAG: flag, PNUM: pnum, PNO: pno } = header;
  if (cn === undefined) return { ok: false, detail: 'no CN' };
  if (cn.length !== 4 || !isDigits(cn)) return { ok: false, detail: `CN "${cn.slice(0, 20)}" is not 4 digits` };
  if (mn === undefined || mn.length === 0) return { ok: false, detail: 'no MN' };
  if (qn !== undefined && (!isDigits(qn) || qn.length > 20))
    return { ok: false, detail: `QN "${qn.slice(0, 30)}" is not a request number` };
  if (st !== undefined && !isDigits(st)) return { ok: false, detail: `ST "${st.slice(0, 20)}" is not a number` };
  const frame: Hj212Frame = { cn, mn, cp: parseCp(cpBody(text, open)) };
  if (qn !== undefined) frame.qn = qn;
  if (st !== undefined) frame.st = st;
  if (pw !== undefined) frame.pw = pw;
  for (const [name, value, max, key] of [
    ['Flag', flag, 255, 'flag'],
    ['PNUM', pnum, 9999, 'pnum'],
    ['PNO', pno, 9999, 'pno'],
  ] as const) {
    if (value === undefined) continue;
    if (!isDigits(value) || value.length > 4 || Number(value) > max)
      return { ok: false, detail: `${name} "${value.slice(0, 20)}" is not a number 0–${max}` };
    frame[key] = Number(value);
  }
  return { ok: true, frame };
}

/** The canonical data segment, fields in the standard's order. */
export function encodeSegment(f: Hj212Frame): string {
  let s = '';
  if (f.qn !== undefined) s += `QN=${f.qn};`;
  if (f.st !== undefined) s += `ST=${f.st};`;
  s += `CN=${f.cn};`;
  if (f.pw !== undefined) s += `PW=${f.pw};`;
  s += `MN=${f.mn};`;
  if (f.flag !== undefined) s += `Flag=${f.flag};`;
  if (f.pnum !== undefined) s += `PNUM=${f.pnum};`;
  if (f.pno !== undefined) s += `PNO=${f.pno};`;
  return `${s}CP=&&${encodeCp(f.cp)}&&`;
}
