/**
 * Broken uploads a bad or misconfigured logger sends, for exercising the ingest's rejection path:
 * each one must be refused (invalid JSON, schema violation, or a topic whose MN is unknown or
 * not an MN at all) and dead-lettered, never crash anything.
 */
import { dataTopic, TOPIC_ROOT } from '../server/domain/mqtt-contract';
import { toChinaIso } from './time';

export interface RawMessage {
  topic: string;
  payload: string;
  /** Why the message is invalid (for logs and tests). */
  reason: string;
}

/** A well-formed MN that no registry should hold. */
export const UNKNOWN_MN = `370300ZZ${'9'.repeat(16)}`;

export function malformedMessages(mn: string, at: number): RawMessage[] {
  const ts = toChinaIso(at);
  const topic = dataTopic(mn);
  const json = (payload: unknown): string => JSON.stringify(payload);
  const good = { cn: '2011', ts, factors: { a21001: { rtd: 3.2, flag: 'N' } } };
  const withFactor = (factor: Record<string, unknown>): string => json({ ...good, factors: { a21001: factor } });
  const cases: Array<[reason: string, payload: string, topic?: string]> = [
    ['invalid-json', `{"cn":"2011","ts":"${ts}","factors":{"a21001":{"rtd":3.2,`],
    ['empty-payload', ''],
    ['not-an-object', '[1,2,3]'],
    ['missing-ts', json({ cn: '2011', factors: good.factors })],
    ['missing-cn', json({ ts, factors: good.factors })],
    ['missing-factors', json({ cn: '2011', ts })],
    ['empty-factors', json({ ...good, factors: {} })],
    ['unknown-cn', json({ ...good, cn: '9999' })],
    ['nan-string', withFactor({ rtd: 'NaN', flag: 'N' })],
    ['number-as-string', withFactor({ rtd: '3.2', flag: 'N' })],
    ['dash-placeholder', withFactor({ rtd: '--', flag: 'N' })],
    ['unknown-flag', withFactor({ rtd: 3.2, flag: 'X' })],
    ['no-value-field', withFactor({ flag: 'N' })],
    ['unknown-factor-field', withFactor({ rtd: 3.2, value: 3.2, flag: 'N' })],
    ['bad-factor-code', json({ ...good, factors: { 氨逃逸: { rtd: 3.2 } } })],
    ['ts-without-offset', json({ ...good, ts: ts.slice(0, 19) })],
    ['ts-not-a-date', json({ ...good, ts: '2026-13-45T25:61:00+08:00' })],
    ['ts-negative-epoch', json({ ...good, ts: -1 })],
    ['unexpected-top-level-field', json({ ...good, mn })],
    ['unknown-mn', json(good), dataTopic(UNKNOWN_MN)],
    ['invalid-mn', json(good), `${TOPIC_ROOT}/NOT-AN-MN!/data`],
  ];
  return cases.map(([reason, payload, t]) => ({ reason, payload, topic: t ?? topic }));
}
