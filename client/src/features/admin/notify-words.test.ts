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
  ])('%s', (error, words) => {
    expect(notifyErrorWords(error)).toEqual(words);
  });
});
