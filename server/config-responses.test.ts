import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const ROOT = resolve(import.meta.dirname, '..');
const load = (env: Record<string, string>) => loadConfig(env, ROOT);

describe('responses.unloading: the signature of a station unloading by day (issue 18)', () => {
  it('ships 300 Pa for 10 min outside 20:00–06:00', () => {
    expect(load({}).responses.unloading).toEqual({ minPa: 300, minMinutes: 10, maxGapMinutes: 5, night: { from: '20:00', to: '06:00' } });
  });

  it('takes the pressure and the duration from the environment', () => {
    const { unloading } = load({ UNLOADING_MIN_PA: '450', UNLOADING_MIN_MINUTES: '20' }).responses;
    expect(unloading).toMatchObject({ minPa: 450, minMinutes: 20 });
  });

  it.each([
    [{ UNLOADING_MIN_PA: '10' }, /minPa/],
    [{ UNLOADING_MIN_MINUTES: '0' }, /minMinutes/],
    [{ UNLOADING_MIN_PA: 'high' }, /UNLOADING_MIN_PA/],
  ])('refuses %j, naming it', (env, problem) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(problem);
  });
});
