import { describe, expect, it } from 'vitest';
import { wrapSegment } from './encode';
import { FrameScanner, type ScanEvent } from './stream-scanner';
import { VECTORS } from './vectors';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const qn = (i: number) => `20260701100${String(i).padStart(6, '0')}`;
const frame = (i: number) =>
  dec(wrapSegment(`QN=${qn(i)};ST=31;CN=2011;MN=88888880000001;Flag=5;CP=&&DataTime=20260701100000;a21026-Rtd=${i}&&`));

/** Events as short labels: the QN of a frame, or the reason of a rejection. */
const labels = (events: ScanEvent[]) => events.map((e) => (e.ok ? dec(e.segment).slice(3, 20) : e.reason));

function scanAll(input: string, chunk = Infinity): ScanEvent[] {
  const s = new FrameScanner();
  const bytes = enc(input);
  const out: ScanEvent[] = [];
  for (let at = 0; at < bytes.length; at += chunk) out.push(...s.push(bytes.subarray(at, Math.min(bytes.length, at + chunk))));
  return [...out, ...s.finish()];
}

describe('FrameScanner', () => {
  it.each([
    ['frames with \\r\\n', frame(1) + frame(2), [qn(1), qn(2)]],
    ['glued frames without \\r\\n', frame(1).trimEnd() + frame(2).trimEnd() + frame(3).trimEnd(), [qn(1), qn(2), qn(3)]],
    ['extra blank lines between frames', `\r\n${frame(1)}\r\n\n${frame(2)}`, [qn(1), qn(2)]],
    ['garbage before, between and after', `xyz${frame(1)}GARBAGE${frame(2)}tail`, ['garbage', qn(1), 'garbage', qn(2), 'garbage']],
    ['a stray # and a ### before a frame', `#a${frame(1)}###${frame(2).slice(2)}`, ['garbage', qn(1), 'garbage', qn(2)]],
    ['## without digits', `##ab${frame(1)}`, ['garbage', qn(1)]],
    ['a bad CRC between good frames', frame(1) + frame(2).replace(/[0-9A-F]{4}\r\n$/, '0000\r\n') + frame(3), [qn(1), 'bad_crc', qn(3)]],
    ['a length too long swallowing the next frame', frame(1).replace(/^##\d{4}/, '##0900') + frame(2), ['bad_length', qn(2)]],
    [
      'a length too long, glued',
      frame(1)
        .trimEnd()
        .replace(/^##\d{4}/, '##0150') + frame(2).trimEnd(),
      ['bad_length', qn(2)],
    ],
    ['a length too short', frame(1).replace(/^##\d{4}/, '##0050') + frame(2), ['bad_length', qn(2)]],
    ['a frame cut short by the next one', frame(1).slice(0, 60) + frame(2), ['bad_length', qn(2)]],
    ['a truncated frame at the end', frame(1) + frame(2).slice(0, 70), [qn(1), 'bad_length']],
    ['a truncated header at the end', frame(1) + '##01', [qn(1), 'garbage']],
    ['a frame inside a frame', frame(1).slice(0, 40) + frame(2) + frame(1).slice(40), ['bad_length', qn(2), 'garbage']],
    ['the DOMAIN vectors glued', VECTORS.join(''), ['20160801085857223', '20231008125115215', '20231008130452757', '20190925181031464']],
  ])('%s', (_name, input, want) => {
    expect(labels(scanAll(input))).toEqual(want);
  });

  it('gives the same events whatever the chunking, down to one byte at a time', () => {
    const stream = [
      frame(1),
      'junk',
      frame(2).trimEnd(),
      frame(3).replace(/^##\d{4}/, '##0999'),
      frame(4),
      frame(5).slice(0, 50),
      frame(6),
      VECTORS[3],
    ].join('');
    const whole = labels(scanAll(stream));
    expect(whole).toEqual([qn(1), 'garbage', qn(2), 'bad_length', qn(4), 'bad_length', qn(6), '20190925181031464']);
    for (const chunk of [1, 2, 3, 7, 64, 100, 1000]) expect(labels(scanAll(stream, chunk))).toEqual(whole);
  });

  it('chunking never changes a verdict: 2,000 random streams of good and mutated frames', () => {
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const mutate = (f: Uint8Array): Uint8Array => {
      const c = f.slice();
      switch (rnd(6)) {
        case 0:
          c[rnd(c.length)] = rnd(256);
          return c;
        case 1:
          return c.subarray(0, 1 + rnd(c.length - 1));
        case 2:
          c[2 + rnd(4)] = 0x30 + rnd(10);
          return c;
        case 3: {
          const i = rnd(c.length);
          return Uint8Array.from([...c.subarray(0, i), ...enc('##0'), ...c.subarray(i)]);
        }
        case 4: {
          const i = rnd(c.length - 1);
          return Uint8Array.from([...c.subarray(0, i), ...c.subarray(i + 1 + rnd(10))]);
        }
        default:
          return c.subarray(0, c.length - 2);
      }
    };
    for (let n = 0; n < 2000; n++) {
      const parts = Array.from({ length: 6 }, (_, i) => (rnd(2) ? mutate(enc(frame(i))) : enc(frame(i))));
      const stream = Uint8Array.from(parts.flatMap((x) => [...x]));
      const one = new FrameScanner();
      const whole = labels([...one.push(stream), ...one.finish()]);
      const s = new FrameScanner();
      const events: ScanEvent[] = [];
      for (let at = 0; at < stream.length;) {
        const size = 1 + rnd(150);
        events.push(...s.push(stream.subarray(at, at + size)));
        at += size;
      }
      expect(labels([...events, ...s.finish()])).toEqual(whole);
    }
  });

  it('hands out a frame as soon as its CRC arrives, before the \\r\\n', () => {
    const s = new FrameScanner();
    const f = enc(frame(1));
    expect(s.push(f.subarray(0, f.length - 3))).toEqual([]);
    expect(labels(s.push(f.subarray(f.length - 3, f.length - 2)))).toEqual([qn(1)]);
    expect(s.push(f.subarray(f.length - 2))).toEqual([]);
    expect(s.buffered).toBe(0);
  });

  it('a waiting candidate with a wrong length does not hold back the good frames behind it', () => {
    const s = new FrameScanner();
    expect(labels(s.push(enc(frame(1).replace(/^##\d{4}/, '##9999'))))).toEqual([]);
    // The next complete, valid frame shows the candidate was wrong: both come out without waiting for 9999 bytes.
    expect(labels(s.push(enc(frame(2))))).toEqual(['bad_length', qn(2)]);
  });

  it('keeps the rejected bytes, and at most maxGarbageKept of a garbage run', () => {
    const s = new FrameScanner({ maxGarbageKept: 10 });
    const events = [...s.push(enc('x'.repeat(5000))), ...s.push(enc(frame(1))), ...s.finish()];
    expect(events).toHaveLength(2);
    const [garbage] = events;
    expect(garbage).toMatchObject({ ok: false, reason: 'garbage', detail: '5000 bytes that are not a frame (first 10 kept)' });
    expect(garbage!.bytes).toHaveLength(10);
  });

  it('holds no more than one candidate: garbage streams through without growing the buffer', () => {
    const s = new FrameScanner();
    for (let i = 0; i < 1000; i++) s.push(enc('y'.repeat(1000)));
    expect(s.buffered).toBe(0);
    s.push(enc(frame(1).slice(0, 30)));
    expect(s.buffered).toBe(30);
  });

  it('returns copies: later pushes do not change a handed-out frame', () => {
    const s = new FrameScanner();
    const [first] = s.push(enc(frame(1)));
    for (let i = 2; i < 200; i++) s.push(enc(frame(i)));
    expect(first?.ok && dec(first.bytes)).toBe(frame(1).trimEnd());
  });
});
