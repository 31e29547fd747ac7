import { describe, expect, it } from 'vitest';
import { EventBus } from '../domain/internal-events';
import { registrySchema } from '../domain/registry';
import { RegistryHolder } from '../registry/registry-holder';
import { labelsOf } from './alerting';

const MN = 'A0000000000000000000000A';
const registry = (sourceName: string, enterpriseName: string) =>
  registrySchema.parse({
    enterprises: [{ id: 'e1', name: enterpriseName, district: '张店区' }],
    sources: [{ mn: MN, enterpriseId: 'e1', name: sourceName, kind: 'cems', lat: 36, lon: 118, pw: 'pw' }],
  });

describe('labelsOf: the names a notification shows', () => {
  it('come from the registry as it is when the notification is formatted', () => {
    const holder = new RegistryHolder(registry('1号锅炉', '甲公司'), new EventBus());
    const label = labelsOf(holder);
    expect(label(MN)).toEqual({ sourceName: '1号锅炉', enterpriseName: '甲公司' });
    holder.replace(registry('1号锅炉（改造后）', '甲公司（更名）'), 'test');
    expect(label(MN)).toEqual({ sourceName: '1号锅炉（改造后）', enterpriseName: '甲公司（更名）' });
    expect(label('B0000000000000000000000B')).toEqual({});
  });
});
