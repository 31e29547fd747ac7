import { describe, expect, it } from 'vitest';
import { notifyErrorWords } from './notify-words';

describe('a delivery error in words', () => {
  it.each([
    ['HTTP 502: <html>bad gateway</html>', { key: 'http', params: { status: 502 } }],
    ['HTTP 404: ', { key: 'http', params: { status: 404 } }],
    ['robot refused: errcode 310000 keywords not in content', { key: 'robot', params: { code: 310000 } }],
    ['robot refused: errcode -1 system busy', { key: 'robot', params: { code: -1 } }],
    ['request failed: The operation was aborted due to timeout', { key: 'timeout', params: {} }],
    ['request failed: fetch failed', { key: 'network', params: {} }],
    ['the notification target "值班室" was deleted', { key: 'deleted', params: {} }],
    ['target "t1" is no longer configured', { key: 'deleted', params: {} }],
    ['something new', { key: 'other', params: {} }],
    ['SMTP 550: 5.1.1 Mailbox unavailable', { key: 'smtpRefused', params: { code: 550 } }],
    ['SMTP 535: Invalid username or password', { key: 'smtpLogin', params: {} }],
    ['SMTP 451: try again later', { key: 'smtpLater', params: { code: 451 } }],
    ['request failed: ECONNECTION connect ECONNREFUSED 127.0.0.1:25', { key: 'network', params: {} }],
    ['request failed: ETIMEDOUT Greeting never received', { key: 'timeout', params: {} }],
    ['SMS refused: isv.MOBILE_NUMBER_ILLEGAL 非法手机号', { key: 'smsPhone', params: {} }],
    ['SMS refused: isv.SMS_TEMPLATE_ILLEGAL 模板不合法', { key: 'smsTemplate', params: {} }],
    ['SMS refused: isv.TEMPLATE_MISSING_PARAMETERS x', { key: 'smsTemplate', params: {} }],
    ['SMS refused: isv.SMS_SIGNATURE_ILLEGAL 签名不合法', { key: 'smsSign', params: {} }],
    ['SMS refused: SignatureDoesNotMatch Specified signature is not matched', { key: 'smsKey', params: {} }],
    ['SMS refused: InvalidAccessKeyId.NotFound x', { key: 'smsKey', params: {} }],
    ['SMS refused: isv.BUSINESS_LIMIT_CONTROL 触发分钟级流控', { key: 'smsThrottled', params: {} }],
    ['SMS refused: Throttling.User x', { key: 'smsThrottled', params: {} }],
    ['SMS refused: isv.AMOUNT_NOT_ENOUGH 账户余额不足', { key: 'smsOther', params: {} }],
    ['no SMTP server (neither alerts.notify.email nor the target names one)', { key: 'notConfigured', params: {} }],
    ['SMS is not configured (alerts.notify.sms: no access key)', { key: 'notConfigured', params: {} }],
  ])('%s', (error, words) => {
    expect(notifyErrorWords(error)).toEqual(words);
  });
});
