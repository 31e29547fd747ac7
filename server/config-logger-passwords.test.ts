import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { generateLoggerPassword } from './domain/logger-password';
import { loggersWithoutPassword } from './domain/registry';
import { TEST_REGISTRY_FILE } from '../tests/helpers/fixtures';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'o3-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The test registry with the pw of two sources taken away (one absent, one empty). */
function registryWithout(): string {
  const text = readFileSync(TEST_REGISTRY_FILE, 'utf8')
    .replace(/(mn: 370300NH3000000000000201,.*?), pw: "[^"]+"/, '$1')
    .replace(/(mn: 370300AQS000000000001003,.*?), pw: "[^"]+"/, '$1, pw: ""');
  const file = join(dir, 'registry.yaml');
  writeFileSync(file, text);
  return file;
}

describe('every logger has a password: start-up', () => {
  it('the shipped registry gives every source its own password', () => {
    const { registry } = loadConfig({}, ROOT);
    expect(loggersWithoutPassword(registry)).toEqual([]);
    const pws = registry.sources.map((s) => s.pw as string);
    expect(new Set(pws).size).toBe(registry.sources.length);
    for (const pw of pws) expect(pw).toMatch(/^[A-Z2-9]{24}$/);
  });

  it('refuses a registry with password-less loggers, naming them and the way out', () => {
    const file = registryWithout();
    let error: unknown;
    try {
      loadConfig({ REGISTRY_FILE: file }, ROOT);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('2 source(s) without a logger password (pw): 370300NH3000000000000201, 370300AQS000000000001003');
    expect(problems).toContain('HJ212_INSECURE_ALLOW_MISSING_PW=true');
  });

  it('starts with them only with the explicit insecure flag (config key or env)', () => {
    const file = registryWithout();
    const config = loadConfig({ REGISTRY_FILE: file, HJ212_INSECURE_ALLOW_MISSING_PW: 'true' }, ROOT);
    expect(config.hj212.allowMissingPw).toBe(true);
    expect(loggersWithoutPassword(config.registry)).toHaveLength(2);
    expect(() => loadConfig({ REGISTRY_FILE: file, HJ212_INSECURE_ALLOW_MISSING_PW: 'false' }, ROOT)).toThrow(ConfigError);
  });

  it('refuses a pw that could never match a frame (an HJ 212 separator in it)', () => {
    const text = readFileSync(TEST_REGISTRY_FILE, 'utf8').replace(/pw: "[^"]+"/, 'pw: "ab;cd=ef"');
    const file = join(dir, 'bad-pw.yaml');
    writeFileSync(file, text);
    expect(() => loadConfig({ REGISTRY_FILE: file }, ROOT)).toThrow(/must not contain ; , & or =/);
  });
});

describe('generateLoggerPassword', () => {
  it('makes distinct passwords from the frame-safe alphabet, of the length asked', () => {
    const many = Array.from({ length: 200 }, () => generateLoggerPassword());
    expect(new Set(many).size).toBe(200);
    for (const pw of many) expect(pw).toMatch(/^[A-HJKMNP-Z2-9]{24}$/);
    expect(generateLoggerPassword(6)).toHaveLength(6);
    expect(() => generateLoggerPassword(5)).toThrow(RangeError);
  });
});
