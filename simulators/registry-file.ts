/** Reads a registry YAML file and validates it with the domain's registrySchema. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
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

export async function loadRegistry(path: string): Promise<Registry> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RegistryFileError(`cannot read registry ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseRegistry(text, path);
}
