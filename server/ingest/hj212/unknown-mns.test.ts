import { describe, expect, it } from 'vitest';
import { UnknownMnList } from './unknown-mns';

describe('unknown MNs listed for administrators', () => {
  it('counts frames per MN, most recently seen first', () => {
    const list = new UnknownMnList();
    list.note('A', '2011', 1, 'tcp', 'p1');
    list.note('B', '2061', 2, 'mqtt', 'topic');
    list.note('A', '2051', 3, 'tcp', 'p2');
    expect(list.list()).toEqual([
      { mn: 'A', firstSeenAt: 1, lastSeenAt: 3, frames: 2, lastCn: '2051', transport: 'tcp', peer: 'p2' },
      { mn: 'B', firstSeenAt: 2, lastSeenAt: 2, frames: 1, lastCn: '2061', transport: 'mqtt', peer: 'topic' },
    ]);
  });

  it('is bounded: the MN heard from longest ago is forgotten first', () => {
    const list = new UnknownMnList(2);
    list.note('A', '2011', 1, 'tcp', 'p');
    list.note('B', '2011', 2, 'tcp', 'p');
    list.note('A', '2011', 3, 'tcp', 'p');
    list.note('C', '2011', 4, 'tcp', 'p');
    expect(list.list().map((u) => u.mn)).toEqual(['C', 'A']);
  });
});
