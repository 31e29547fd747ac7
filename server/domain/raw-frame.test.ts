import { describe, expect, it } from 'vitest';
import { maskFramePassword, maskPasswordText } from './raw-frame';

const masked = (text: string) => new TextDecoder().decode(maskFramePassword(new TextEncoder().encode(text)));

describe('the raw-frame view masks the logger password', () => {
  it.each([
    [
      'a 2017 frame',
      '##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A89;Flag=5;CP=&&RtdInterval=30&&1C80\r\n',
      '##0101QN=20160801085857223;ST=32;CN=1062;PW=***;MN=010000A89;Flag=5;CP=&&RtdInterval=30&&1C80\r\n',
    ],
    ['PW first after the length field', '##0050PW=BF470F88957588DE902D1A52;MN=Z1;CP=&&&&ABCD', '##0050PW=***;MN=Z1;CP=&&&&ABCD'],
    ['an empty PW', 'ST=31;PW=;MN=Z1', 'ST=31;PW=***;MN=Z1'],
    ['lower case and a , mix-up', 'ST=31,pw=secret,MN=Z1', 'ST=31,pw=***,MN=Z1'],
    ['a truncated frame ending in the PW', '##0101QN=1;ST=31;PW=secr', '##0101QN=1;ST=31;PW=***'],
    ['PW= inside a CP value is not the key', 'CP=&&a01-Info=XPW=1&&', 'CP=&&a01-Info=XPW=1&&'],
    ['no PW at all', '##0000ZZZZ', '##0000ZZZZ'],
  ])('%s', (_name, frame, want) => {
    expect(masked(frame)).toBe(want);
  });

  it('masks bytes that are not UTF-8 too, and text details', () => {
    const bytes = Uint8Array.from([0xff, 0x3b, ...new TextEncoder().encode('PW=abc;MN=1'), 0xfe]);
    expect(Array.from(maskFramePassword(bytes))).toEqual([0xff, 0x3b, ...new TextEncoder().encode('PW=***;MN=1'), 0xfe]);
    expect(maskPasswordText('segment "QN=1;PW=abc;MN=2" is not key=value')).toBe('segment "QN=1;PW=***;MN=2" is not key=value');
  });
});
