/**
 * A registry of many generated sources (CEMS, ammonia slip, VOCs in turn; ten per enterprise;
 * 24-character MNs) for load runs and tests with a thousand HJ 212 loggers.
 */
import { registrySchema, type Registry } from '../../server/domain/registry';

const KINDS = ['cems', 'ammonia', 'vocs'] as const;
const CODES = { cems: 'CE', ammonia: 'NH', vocs: 'VO' } as const;

/** 370300 + HJ + kind code + 14-digit index = 24 characters. */
export const bulkMn = (i: number): string => `370300HJ${CODES[KINDS[i % 3]!]}${String(i).padStart(14, '0')}`;

export function bulkRegistry(count: number, opts: { pw?: string } = {}): Registry {
  const enterprises = Array.from({ length: Math.ceil(count / 10) }, (_, e) => ({
    id: `bulk-${e}`,
    name: `负载企业 ${e}`,
    district: `区 ${e % 10}`,
  }));
  const sources = Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % 3]!;
    return {
      mn: bulkMn(i),
      enterpriseId: `bulk-${Math.floor(i / 10)}`,
      name: `${kind} ${i}`,
      kind,
      lat: 36 + (i % 100) / 100,
      lon: 118 + Math.floor(i / 100) / 100,
      ...(kind === 'cems' ? { o2Ref: 6 } : {}),
      ...(opts.pw !== undefined ? { pw: opts.pw } : {}),
    };
  });
  return registrySchema.parse({ enterprises, sources });
}
