import { describe, expect, it } from 'vitest';
import { canonicalQuery, percentEncode, rpcSignature, sendSmsRequest, smsOutcome } from './aliyun-sms';

describe('Aliyun RPC signature (version 1.0, HMAC-SHA1)', () => {
  it('reproduces the example of the SMS API documentation', () => {
    // The documented SendSms example: its parameters, AccessKeySecret "testSecret" and the signature it shows.
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(rpcSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(canonicalQuery(params)).toContain('SignName=%E9%98%BF%E9%87%8C%E4%BA%91');
  });

  it.each([
    [' ', '%20'],
    ['*', '%2A'],
    ['~', '~'],
    ["!'()", '%21%27%28%29'],
    ['a-_.Z9', 'a-_.Z9'],
    ['+/=:', '%2B%2F%3D%3A'],
    ['氨', '%E6%B0%A8'],
  ])('percent-encodes %j as %s', (raw, encoded) => expect(percentEncode(raw)).toBe(encoded));

  it('a SendSms request carries the common parameters, the template variables as JSON, and a POST signature', () => {
    const config = { endpoint: 'http://x/', regionId: 'cn-hangzhou', accessKeyId: 'id', accessKeySecret: 'secret' };
    const settings = { phones: ['13800138000', '13900139000'], signName: '淄博生态环境', templateCode: 'SMS_1' };
    const params = {
      level: '严重',
      event: '新告警',
      enterprise: 'e',
      source: 's',
      factor: 'f',
      value: 'v',
      limit: 'l',
      rule: 'r',
      time: 't',
    };
    const req = sendSmsRequest(config, settings, params, Date.UTC(2026, 6, 1, 2, 0, 0, 123), 'n-1');
    expect(req).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'n-1',
      Timestamp: '2026-07-01T02:00:00Z',
      PhoneNumbers: '13800138000,13900139000',
      TemplateParam: JSON.stringify(params),
    });
    const { Signature, ...rest } = req;
    expect(Signature).toBe(rpcSignature('POST', rest, 'secret'));
    expect(Signature).not.toBe(rpcSignature('GET', rest, 'secret'));
  });
});

describe('the provider’s answer', () => {
  it.each([
    [200, '{"Code":"OK","Message":"OK","BizId":"9006197469364984400","RequestId":"F655A8D5"}', null, false],
    [200, '{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1"}', /BUSINESS_LIMIT_CONTROL/, false],
    [400, '{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}', /Throttling\.User/, false],
    [503, '{"Code":"ServiceUnavailable","Message":"busy"}', /ServiceUnavailable/, false],
    [502, 'Bad Gateway', /^HTTP 502/, false],
    [200, '{"Code":"isv.SMS_TEMPLATE_ILLEGAL","Message":"模板不合法"}', /SMS_TEMPLATE_ILLEGAL/, true],
    [200, '{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号"}', /MOBILE_NUMBER_ILLEGAL/, true],
    [400, '{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched"}', /SignatureDoesNotMatch/, true],
    [404, 'not found', /^HTTP 404/, true],
  ])('HTTP %i %s → error %s, permanent %s', (status, text, error, permanent) => {
    const out = smsOutcome(status, text);
    if (error === null) expect(out).toEqual({ status, error: null, permanent: false });
    else expect(out).toMatchObject({ status, error: expect.stringMatching(error), permanent });
  });
});
