import { describe, expect, it } from 'vitest';
import { sourceSchema, type Facility, type Source } from './registry';
import { signalChannels, signalRefusal, type SignalChannels } from './signal-acceptance';
import type { SourceKind } from './source-kinds';

const source = (kind: SourceKind, mn = '211300TEST00000000000001'): Source =>
  sourceSchema.parse({ mn, enterpriseId: 'e1', name: 'n', kind, lat: 36, lon: 118 });
const facility = (mn: string, channel: string): Facility => ({ id: 'f1', enterpriseId: 'e1', kind: 'treatment', name: 'RTO', mn, channel });
const MN = '211300TEST00000000000001';
const named: SignalChannels = signalChannels([facility(MN, '02')]);
const none: SignalChannels = signalChannels([]);

describe('which sources may send working-condition signals', () => {
  it.each([
    ['a condition logger, any channel', 'condition', 'gkw07', none],
    ['a CEMS logger, any channel', 'cems', 'gtc03', none],
    ['a VOCs logger', 'vocs', 'gbv01', none],
    ['an ammonia-slip logger', 'ammonia', 'gqr01', none],
    ['a catering logger on a channel a facility names', 'catering', 'gkw02', named],
    ['an ambient station on a channel a facility names', 'ambient', 'grs02', named],
    ['a factor that is not a signal, from any kind', 'ambient', 'a05024', none],
    ['a non-standard code that does not look like a signal', 'dust', 'x99001', none],
  ] as const)('takes %s', (_name, kind, code, channels) => {
    expect(signalRefusal(code, source(kind), channels)).toBeUndefined();
  });

  it.each([
    ['a catering logger on a channel no facility names', 'catering', 'gkw03', named, /no facility names channel 03/],
    ['a dust logger with no facility', 'dust', 'gkw01', none, /no facility names channel 01/],
    ['an ambient station', 'ambient', 'gbv01', none, /ambient/],
    ['a look-alike of an unknown family', 'condition', 'gzz01', none, /not a working-condition signal code/],
    ['a look-alike on channel 00', 'cems', 'gkw00', none, /not a working-condition signal code/],
  ] as const)('refuses %s', (_name, kind, code, channels, why) => {
    expect(signalRefusal(code, source(kind), channels)).toMatch(why);
  });

  it('a facility of another logger does not open this one', () => {
    const other = signalChannels([facility('211300TEST00000000000002', '03')]);
    expect(signalRefusal('gkw03', source('catering'), other)).toMatch(/no facility names/);
  });
});
