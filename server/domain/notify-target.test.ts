import { describe, expect, it } from 'vitest';
import { maskUrl, newNotifyTargetSchema, webhookUrlProblem } from './notify-target';

describe('maskUrl: the URL without its secrets (API answers, audit log)', () => {
  it.each([
    ['https://oapi.dingtalk.com/robot/send?access_token=abc123', 'https://oapi.dingtalk.com/robot/***?access_token=***'],
    ['https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1', 'https://qyapi.weixin.qq.com/cgi-bin/***?key=***'],
    ['https://hooks.example.com/services/T000/B000/XXXX', 'https://hooks.example.com/services/***'],
    ['http://127.0.0.1:8080/hook', 'http://127.0.0.1:8080/hook'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['https://a.example/x?sign=1&timestamp=2&sign=3', 'https://a.example/x?sign=***&timestamp=***'],
    ['not a url', '***'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    ['https://example.com/hook', null],
    ['http://10.0.0.5:9000/x', null],
    ['', 'required'],
    ['   ', 'required'],
    ['example.com/hook', 'url'],
    ['ftp://example.com/', 'protocol'],
    ['javascript:alert(1)', 'protocol'],
    ['https://user:pw@example.com/', 'userinfo'],
    ['https://token@example.com/', 'userinfo'],
    [`https://example.com/${'x'.repeat(2000)}`, 'tooLong'],
  ])('%s → %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });

  it('the create schema trims, defaults kind and enabled, and refuses unknown fields', () => {
    expect(newNotifyTargetSchema.parse({ name: ' 值班室 ', format: 'json', url: ' https://example.com/h ' })).toEqual({
      name: '值班室',
      kind: 'webhook',
      format: 'json',
      url: 'https://example.com/h',
      enabled: true,
    });
    expect(newNotifyTargetSchema.safeParse({ name: 'a', format: 'json', url: 'https://example.com/', secret: 1 }).success).toBe(false);
  });
});
