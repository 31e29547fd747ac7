import { describe, expect, it } from 'vitest';
import { LinesBuffer } from './lines-buffer';

const joined = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');

describe('LinesBuffer', () => {
  it('holds the lines each followed by a newline, as UTF-8', () => {
    const lines = ['telemetry,cn=2011 a=1 1', '', 'ascii only', '化工园区 VOCs', 'emoji 🙂 pair'];
    expect(LinesBuffer.of(lines).bytes.toString('utf8')).toBe(joined(lines));
    expect(LinesBuffer.of(lines).lines()).toEqual(lines);
    expect(LinesBuffer.of(lines).count).toBe(lines.length);
  });

  it('grows past its first size without cutting a line short', () => {
    const out = new LinesBuffer(8);
    const lines = Array.from({ length: 200 }, (_, i) => `${'氮氧化物'.repeat(i % 7)}line ${i} ${'x'.repeat(i)}`);
    for (const l of lines) out.push(l);
    expect(out.bytes.toString('utf8')).toBe(joined(lines));
    expect(out.bytes.length).toBe(Buffer.byteLength(joined(lines)));
    expect(out.lines()).toEqual(lines);
  });

  it('starts empty again on reset, letting go of memory above what it keeps', () => {
    const out = new LinesBuffer(16);
    out.push('a'.repeat(1000));
    out.reset(64);
    expect(out.bytes.length).toBe(0);
    expect(out.count).toBe(0);
    out.push('b');
    expect(out.bytes.toString()).toBe('b\n');
  });

  it('copies a line another buffer encoded (its `last`, newline included)', () => {
    const a = new LinesBuffer(8);
    const b = new LinesBuffer(8);
    for (const line of ['first', '氮氧化物 NOx', 'third']) {
      a.push(line);
      b.pushEncoded(a.last);
      expect(b.last.toString('utf8')).toBe(`${line}\n`);
    }
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(b.lines()).toEqual(['first', '氮氧化物 NOx', 'third']);
    expect(b.count).toBe(3);
  });

  it('is empty for no lines', () => {
    expect(LinesBuffer.of([]).bytes.length).toBe(0);
    expect(LinesBuffer.of([]).lines()).toEqual([]);
  });
});
