import { describe, expect, it } from 'vitest';
import { SOURCE_KINDS } from '../server/domain/source-kinds';
import { loadRegistry, parseRegistry, RegistryFileError } from './registry-file';

describe('registry file', () => {
  it('loads and validates the demo registry', async () => {
    const registry = await loadRegistry('config/registry.yaml');
    expect(registry.sources.length).toBeGreaterThan(5);
    expect(new Set(registry.sources.map((s) => s.kind))).toEqual(new Set(SOURCE_KINDS));
  });

  it.each([
    ['a missing file', () => loadRegistry('simulators/no-such-registry.yaml'), /cannot read registry .*ENOENT/],
    ['invalid YAML', async () => parseRegistry('enterprises: [', 'x.yaml'), /not valid YAML/],
    ['a registry that breaks the schema', async () => parseRegistry('enterprises: []\nsources: []', 'x.yaml'), /not a valid registry/],
  ])('refuses %s with a RegistryFileError', async (_name, load, message) => {
    await expect(load()).rejects.toThrow(RegistryFileError);
    await expect(load()).rejects.toThrow(message);
  });
});
