/**
 * Sources into partitions (issue 15 item 3). A source belongs to partition
 * `fmix32(fnv1a32(utf8(MN))) mod P`: FNV-1a, 32-bit, over the MN's UTF-8 bytes, then MurmurHash3's
 * 32-bit finalizer (FNV-1a alone leaves its low bits clumped for MNs that differ in a few digits: a
 * test found partitions of 64 left empty), modulo P. The function is part of the
 * deployment's contract, like the topic layout: every process of every version must place a source
 * in the same partition, or two workers would own one source. It never changes; changing P moves
 * almost every source, so P is fixed when a cluster is set up (docs/scale-out.md "Partitions and
 * leases": changing it means draining every partition's broker queue first).
 *
 * A partition's MQTT session subscribes to its own sources' topics by name (the JSON data topic and
 * the HJ 212 upload and gateway topics of each MN), not to a wildcard: loggers in the field publish to
 * `sentinel/v1/{mn}/…` and cannot be told a partition, and a wildcard session per partition would
 * make the broker queue every reading P times. ~20,000 sources over 64 partitions is ~310 sources,
 * ~930 exact filters per session: a broker matches exact topics by hash, subscriptions are sent once
 * (the persistent session keeps them) 100 filters per SUBSCRIBE packet (mqtt-transport.ts), and a registry change adds or
 * removes a source's three filters.
 */
import { hj212GatewayTopic, hj212Topic } from '../domain/hj212/mqtt-topics';
import { dataTopic } from '../domain/mqtt-contract';

/** The partitions a deployment has unless told otherwise. */
export const DEFAULT_PARTITIONS = 64;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a 32-bit of a text's UTF-8 bytes, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** MurmurHash3's 32-bit finalizer: every input bit moves every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The stable hash of an MN that places it in a partition. */
export const sourceHash = (mn: string): number => fmix32(fnv1a32(mn));

/** Checks a partition count: a whole number from 1 to 1024. */
export function assertPartitionCount(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    throw new RangeError(`the partition count must be a whole number from 1 to 1024, not ${partitions}`);
  }
}

/** The partition (0 … partitions-1) a source's MN belongs to. */
export function partitionOf(mn: string, partitions: number): number {
  assertPartitionCount(partitions);
  return sourceHash(mn) % partitions;
}

/** The MNs of one partition, in the order given. */
export function mnsOfPartition(mns: Iterable<string>, partition: number, partitions: number): string[] {
  const out: string[] = [];
  for (const mn of mns) if (partitionOf(mn, partitions) === partition) out.push(mn);
  return out;
}

/**
 * The topics a partition's session subscribes to for these MNs: each one's JSON data topic, HJ 212
 * upload topic and the topic HJ 212 gateways forward its frames on.
 */
export function partitionTopics(mns: Iterable<string>): string[] {
  const topics: string[] = [];
  for (const mn of mns) topics.push(dataTopic(mn), hj212Topic(mn), hj212GatewayTopic(mn));
  return topics;
}

/** What a session must subscribe and unsubscribe to go from `current` to `wanted` topics. */
export function topicChanges(current: Iterable<string>, wanted: Iterable<string>): { subscribe: string[]; unsubscribe: string[] } {
  const had = new Set(current);
  const want = new Set(wanted);
  return { subscribe: [...want].filter((t) => !had.has(t)), unsubscribe: [...had].filter((t) => !want.has(t)) };
}

/** The client id of a partition's persistent MQTT session (the same on every worker that owns it). */
export const partitionClientId = (partition: number, prefix = 'o3-ingest'): string => `${prefix}-p${partition}`;

/** How many partitions each worker should own: ceil(partitions / live workers). */
export function fairShare(partitions: number, liveWorkers: number): number {
  return Math.ceil(partitions / Math.max(1, liveWorkers));
}
