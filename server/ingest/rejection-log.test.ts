import { describe, expect, it } from 'vitest';
import { RejectionLog, type RejectionLogTimers } from './rejection-log';

interface Line {
  level: 'warn' | 'debug';
  obj: Record<string, unknown>;
  msg: string;
}

/** A recording logger, a hand-driven clock and timers that fire when the clock passes them. */
function harness(firstLines = 2, intervalMs = 10_000) {
  const lines: Line[] = [];
  let now = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  let next = 0;
  const timers: RejectionLogTimers = {
    setTimeout: (fn, ms) => (due.set(++next, { at: now + ms, fn }), next),
    clearTimeout: (handle) => due.delete(handle as number),
  };
  const log = {
    warn: (obj: object, msg?: string) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg: msg ?? '' }),
    debug: (obj: object, msg?: string) => lines.push({ level: 'debug', obj: obj as Record<string, unknown>, msg: msg ?? '' }),
  };
  const rejections = new RejectionLog<string>(log as never, {
    firstLines,
    intervalMs,
    message: 'message rejected',
    now: () => now,
    timers,
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...due]) {
      if (t.at > now) continue;
      due.delete(id);
      t.fn();
    }
  };
  const warns = () => lines.filter((l) => l.level === 'warn');
  return { rejections, lines, warns, advance, pending: () => due.size };
}

describe('RejectionLog', () => {
  it('logs the first lines of a reason in full, the rest at debug, then one summary when the interval ends', () => {
    const h = harness(2);
    for (let i = 0; i < 100; i++) h.rejections.note('invalid_json', { topic: `t${i}` });
    expect(h.warns().map((l) => l.obj.topic)).toEqual(['t0', 't1']);
    expect(h.lines.filter((l) => l.level === 'debug')).toHaveLength(98);
    h.advance(9_999);
    expect(h.warns()).toHaveLength(2);
    h.advance(1);
    expect(h.warns()).toHaveLength(3);
    expect(h.warns()[2]).toEqual({
      level: 'warn',
      msg: 'message rejected: not logged',
      obj: { reason: 'invalid_json', logged: 2, notLogged: 98, intervalS: 10 },
    });
    expect(h.pending()).toBe(0);
  });

  it('throttles each reason on its own', () => {
    const h = harness(1);
    for (const reason of ['invalid_json', 'unknown_mn', 'invalid_json', 'unknown_mn', 'too_large']) h.rejections.note(reason, {});
    expect(h.warns().map((l) => l.obj.reason)).toEqual(['invalid_json', 'unknown_mn', 'too_large']);
    h.advance(10_000);
    expect(
      h
        .warns()
        .slice(3)
        .map((l) => [l.obj.reason, l.obj.notLogged]),
    ).toEqual([
      ['invalid_json', 1],
      ['unknown_mn', 1],
    ]);
  });

  it('writes no summary when nothing was held back, and starts a fresh interval afterwards', () => {
    const h = harness(2);
    h.rejections.note('invalid_json', { n: 1 });
    h.advance(20_000);
    h.rejections.note('invalid_json', { n: 2 });
    h.rejections.note('invalid_json', { n: 3 });
    expect(h.warns().map((l) => [l.msg, l.obj.n])).toEqual([
      ['message rejected', 1],
      ['message rejected', 2],
      ['message rejected', 3],
    ]);
    expect(h.pending()).toBe(0);
  });

  it('a rejection after the interval closes the old one with its summary before logging in full again', () => {
    const h = harness(1);
    h.rejections.note('invalid_json', { n: 1 });
    h.rejections.note('invalid_json', { n: 2 });
    h.advance(5_000);
    h.rejections.note('invalid_json', { n: 3 });
    h.advance(5_000); // the timer of the first interval fires here
    h.rejections.note('invalid_json', { n: 4 });
    expect(h.warns().map((l) => [l.msg, l.obj.n ?? l.obj.notLogged])).toEqual([
      ['message rejected', 1],
      ['message rejected: not logged', 2],
      ['message rejected', 4],
    ]);
  });

  it('stop writes the summaries of open intervals and cancels their timers', () => {
    const h = harness(1);
    h.rejections.note('too_large', {});
    h.rejections.note('too_large', {});
    h.rejections.stop();
    expect(h.warns().at(-1)?.obj).toEqual({ reason: 'too_large', logged: 1, notLogged: 1, intervalS: 10 });
    expect(h.pending()).toBe(0);
  });
});
