/**
 * Why a notification failed, in the page's words (the server's delivery errors are technical English:
 * `HTTP 502: …`, `robot refused: errcode 310000 …`, `request failed: …`): a key of
 * `admin.notify.why` and its figures. The HTTP status and the robot's error code are kept, the rest is not shown.
 */
export interface ErrorWords {
  key:
    | 'http'
    | 'robot'
    | 'timeout'
    | 'network'
    | 'deleted'
    | 'smtpRefused'
    | 'smtpLogin'
    | 'smtpLater'
    | 'smsPhone'
    | 'smsTemplate'
    | 'smsSign'
    | 'smsKey'
    | 'smsThrottled'
    | 'smsOther'
    | 'notConfigured'
    | 'other';
  params: Record<string, string | number>;
}

/** An Aliyun SMS refusal code in words (the code itself is not shown). */
function smsWords(code: string): ErrorWords['key'] {
  if (/MOBILE_NUMBER/.test(code)) return 'smsPhone';
  if (/TEMPLATE/.test(code)) return 'smsTemplate';
  if (/SIGNATURE_ILLEGAL|SIGN_NAME/.test(code)) return 'smsSign';
  if (/^SignatureDoesNotMatch|^InvalidAccessKeyId|^Forbidden/.test(code)) return 'smsKey';
  if (/^Throttling|LIMIT_CONTROL/.test(code)) return 'smsThrottled';
  return 'smsOther';
}

export function notifyErrorWords(error: string): ErrorWords {
  const smtp = /^SMTP (\d{3})\b/.exec(error);
  if (smtp) {
    const code = Number(smtp[1]);
    if (code === 535 || code === 534 || code === 530) return { key: 'smtpLogin', params: {} };
    return code >= 500 ? { key: 'smtpRefused', params: { code } } : { key: 'smtpLater', params: { code } };
  }
  const sms = /^SMS refused: (\S+)/.exec(error);
  if (sms) return { key: smsWords(sms[1] as string), params: {} };
  if (/^no SMTP server|is not configured|is not available/.test(error)) return { key: 'notConfigured', params: {} };
  const http = /^HTTP (\d{3})\b/.exec(error);
  if (http) return { key: 'http', params: { status: Number(http[1]) } };
  const robot = /^robot refused: errcode (-?\d+)/.exec(error);
  if (robot) return { key: 'robot', params: { code: Number(robot[1]) } };
  if (/^request failed: .*(timeout|aborted|ETIMEDOUT)/i.test(error)) return { key: 'timeout', params: {} };
  if (/^request failed: /.test(error)) return { key: 'network', params: {} };
  if (/was deleted$|is no longer configured$/.test(error)) return { key: 'deleted', params: {} };
  return { key: 'other', params: {} };
}
