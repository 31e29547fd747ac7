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

/** Parses YAML text and validates it; `what` names the document in the error. */
function parseYaml<T>(schema: z.ZodType<T>, text: string, path: string, what: string): T {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new RegistryFileError(`${path} is not valid YAML`, { cause: err });
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new RegistryFileError(`${path} is not a valid ${what}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export const parseRegistry = (text: string, path: string): Registry => parseYaml(registrySchema, text, path, 'registry');
export const parseLimitPack = (text: string, path: string): LimitPack => parseYaml(limitPackSchema, text, path, 'rule pack');

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
