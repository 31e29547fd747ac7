import { describe, expect, it } from 'vitest';
import {
  fairShare,
  fnv1a32,
  mnsOfPartition,
  partitionClientId,
  partitionOf,
  partitionTopics,
  sourceHash,
  topicChanges,
} from './partitioning';

describe('partitioning', () => {
  // FNV-1a's published test vectors, then MNs: this table is the contract every version keeps.
  it.each([
    ['', 0x811c9dc5, 0xab3e7c0b, 11, 3],
    ['a', 0xe40c292c, 0x1a80b1b3, 51, 3],
    ['foobar', 0xbf9cf968, 0x0c0da6dc, 28, 4],
    ['88888880000001', 0xeee3ce82, 0xcde19356, 22, 6],
    ['MN0001', 0xf84e09d5, 0x365b1d3c, 60, 4],
    ['31011500000001IA00000001', 0xa3df8872, 0xa5bfd4c2, 2, 2],
    ['汇川区', 0x0abed9a9, 0x00886a16, 22, 6],
  ])('%j: FNV-1a %i, mixed %i, partition %i of 64, %i of 8', (mn, fnv, mixed, of64, of8) => {
    expect(fnv1a32(mn)).toBe(fnv);
    expect(sourceHash(mn)).toBe(mixed);
    expect(partitionOf(mn, 64)).toBe(of64);
    expect(partitionOf(mn, 8)).toBe(of8);
  });

  it.each([0, -1, 1.5, 1025, Number.NaN])('refuses %d partitions', (p) => {
    expect(() => partitionOf('MN0001', p)).toThrow(/partition count/);
  });

  // Consecutive MNs differing in their last digits (how a province numbers its loggers).
  it.each([
    ['310115%08d', 64],
    ['310115%08d', 8],
    ['MN%06d', 64],
    ['88888880%06d', 100],
  ])('spreads 20,000 sources %s evenly over %i partitions (each within 20 %% of the mean)', (pattern, p) => {
    const counts = new Array<number>(p).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const mn = pattern.replace(/%0(\d)d/, (_, width: string) => String(i).padStart(Number(width), '0'));
      counts[partitionOf(mn, p)]!++;
    }
    const mean = 20_000 / p;
    expect(Math.min(...counts)).toBeGreaterThan(mean * 0.8);
    expect(Math.max(...counts)).toBeLessThan(mean * 1.2);
  });

  it('gives each partition its own sources and the topics of each', () => {
    const mns = ['MN0001', 'a', 'foobar', '88888880000001'];
    expect(mnsOfPartition(mns, 4, 8)).toEqual(['MN0001', 'foobar']);
    expect(mnsOfPartition(mns, 6, 8)).toEqual(['88888880000001']);
    expect(partitionTopics(['a'])).toEqual(['sentinel/v1/a/data', 'sentinel/v1/a/hj212', 'sentinel/v1/a/hj212/gateway']);
    expect(partitionClientId(7)).toBe('o3-ingest-p7');
  });

  it('tells a session what to subscribe and unsubscribe', () => {
    expect(topicChanges(['x', 'y'], ['y', 'z'])).toEqual({ subscribe: ['z'], unsubscribe: ['x'] });
    expect(topicChanges([], [])).toEqual({ subscribe: [], unsubscribe: [] });
  });

  it.each([
    [64, 1, 64],
    [64, 2, 32],
    [64, 3, 22],
    [8, 3, 3],
    [8, 0, 8],
    [8, 9, 1],
  ])('%i partitions over %i live workers: %i each at most', (p, w, share) => {
    expect(fairShare(p, w)).toBe(share);
  });
});
