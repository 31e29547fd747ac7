/**
 * Why a notification failed, in the page's words (the server's delivery errors are technical English:
 * `HTTP 502: …`, `robot refused: errcode 310000 …`, `request failed: …`): a key of
 * `admin.notify.why` and its figures. The HTTP status and the robot's error code are kept, the rest is not shown.
 */
export interface ErrorWords {
  key: 'http' | 'robot' | 'timeout' | 'network' | 'deleted' | 'other';
  params: Record<string, string | number>;
}

export function notifyErrorWords(error: string): ErrorWords {
  const http = /^HTTP (\d{3})\b/.exec(error);
  if (http) return { key: 'http', params: { status: Number(http[1]) } };
  const robot = /^robot refused: errcode (-?\d+)/.exec(error);
  if (robot) return { key: 'robot', params: { code: Number(robot[1]) } };
  if (/^request failed: .*(timeout|aborted)/i.test(error)) return { key: 'timeout', params: {} };
  if (/^request failed: /.test(error)) return { key: 'network', params: {} };
  if (/was deleted$|is no longer configured$/.test(error)) return { key: 'deleted', params: {} };
  return { key: 'other', params: {} };
}
