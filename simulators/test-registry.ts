/** A small registry for the simulators' unit tests: one or more sources of every kind, with the
 * limits of the shipped rule pack resolved into each source as the fleet gets them. */
import { readFileSync } from 'node:fs';
import { withEffectiveLimits } from '../server/domain/limit-pack';
import { registrySchema, type Registry, type Source } from '../server/domain/registry';
import { parseLimitPack } from './registry-file';

const RULES = 'config/rules/limits.yaml';
export const testPack = parseLimitPack(readFileSync(RULES, 'utf8'), RULES);

export function testRegistry(): Registry {
  const at = { lat: 36.8, lon: 118.0, intervalS: 30 };
  return withEffectiveLimits(
    registrySchema.parse({
      enterprises: [{ id: 'plant', name: '测试电厂', district: '张店区' }],
      sources: [
        { mn: 'TESTCEMS0000000000000001', enterpriseId: 'plant', name: '煤电烟囱', kind: 'cems', o2Ref: 6, ...at },
        { mn: 'TESTCEMS0000000000000002', enterpriseId: 'plant', name: '燃气锅炉', kind: 'cems', o2Ref: 3.5, ...at },
        { mn: 'TESTNH300000000000000001', enterpriseId: 'plant', name: 'SNCR出口', kind: 'ammonia', ...at },
        {
          mn: 'TESTNH300000000000000002',
          enterpriseId: 'plant',
          name: 'SCR出口',
          kind: 'ammonia',
          ...at,
          limits: { a21001: { max: 2.5 } },
        },
        { mn: 'TESTVOCS0000000000000001', enterpriseId: 'plant', name: 'RTO进口', kind: 'vocs', position: 'inlet', ...at },
        { mn: 'TESTVOCS0000000000000002', enterpriseId: 'plant', name: 'RTO出口', kind: 'vocs', o2Ref: 3, ...at },
        { mn: 'TESTVOCS0000000000000003', enterpriseId: 'plant', name: '喷涂排口', kind: 'vocs', ...at, limits: { a24088: { max: 50 } } },
        { mn: 'TESTVRS00000000000000001', enterpriseId: 'plant', name: '加油站', kind: 'vapour', ...at },
        { mn: 'TESTAQS00000000000000001', enterpriseId: 'plant', name: '空气站', kind: 'ambient', ...at },
      ],
    }),
    testPack,
  );
}

export function testSource(mn: string): Source {
  const source = testRegistry().sources.find((s) => s.mn === mn);
  if (!source) throw new Error(`no test source ${mn}`);
  return source;
}

/** Epoch ms of a China-time wall clock instant, e.g. chinaTime('2026-07-01T15:00'). */
export const chinaTime = (local: string): number => Date.parse(`${local}:00+08:00`);
