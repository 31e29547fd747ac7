import { describe, expect, it } from 'vitest';
import { ROLES } from '../config-role';
import { PARTS, ROLE_PARTS, runs, type Part } from './role-parts';

/** The table is the spec: which role runs which part (docs/scale-out.md "What runs where"). */
const SPEC: [Part, boolean, boolean, boolean, boolean][] = [
  // part       all    web    ingest gateway
  ['core', true, true, true, false],
  ['services', true, true, true, false],
  ['jobs', true, true, true, false],
  ['intake', true, false, true, false],
  ['front', true, true, true, false],
  ['gateway', false, false, false, true],
];

describe('which role runs which part (issue 15 item 5)', () => {
  it.each(SPEC)('%s: all %s, web %s, ingest %s, gateway %s', (part, all, web, ingest, gateway) => {
    expect({ all: runs('all', part), web: runs('web', part), ingest: runs('ingest', part), gateway: runs('gateway', part) }).toEqual({
      all,
      web,
      ingest,
      gateway,
    });
  });

  it('covers every role and every part', () => {
    expect(Object.keys(ROLE_PARTS).sort()).toEqual([...ROLES].sort());
    expect(SPEC.map(([part]) => part).sort()).toEqual([...PARTS].sort());
  });

  it('lists each role’s parts in the order they are built: core first, the intake before the front', () => {
    for (const role of ROLES) {
      const parts: readonly Part[] = ROLE_PARTS[role];
      const order = parts.map((p) => PARTS.indexOf(p));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});
