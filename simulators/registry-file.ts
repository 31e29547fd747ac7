/**
 * Reads a registry YAML file and the rule pack, validates both with the domain's schemas and
 * resolves each source's effective limits (what the server judges against).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { limitPackSchema, withEffectiveLimits, type LimitPack } from '../server/domain/limit-pack';
import { registrySchema, type Registry } from '../server/domain/registry';

export class RegistryFileError extends Error {
  override readonly name = 'RegistryFileError';
}

export function parseRegistry(text: string, path: string): Registry {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new RegistryFileError(`${path} is not valid YAML`, { cause: err });
  }
  const result = registrySchema.safeParse(raw);
  if (!result.success) throw new RegistryFileError(`${path} is not a valid registry:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function parseLimitPack(text: string, path: string): LimitPack {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new RegistryFileError(`${path} is not valid YAML`, { cause: err });
  }
  const result = limitPackSchema.safeParse(raw);
  if (!result.success) throw new RegistryFileError(`${path} is not a valid rule pack:\n${z.prettifyError(result.error)}`);
  return result.data;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new RegistryFileError(`cannot read ${what} ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** The registry with every source's effective limits from the rule pack. */
export async function loadRegistry(path: string, rulesPath = 'config/rules/limits.yaml'): Promise<Registry> {
  const registry = parseRegistry(await readText(path, 'registry'), path);
  return withEffectiveLimits(registry, parseLimitPack(await readText(rulesPath, 'rule pack'), rulesPath));
}
