/**
 * No secrets in the client bundle: the built dashboard (what any visitor downloads before signing
 * in) holds no password or MQTT credential from the registry or the demo accounts, nor anything of
 * the password hashing or the session cookie.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoAccounts } from '../../server/auth/demo-accounts';
import { loadConfig } from '../../server/config';
import { buildClientIfStale } from '../../scripts/client-build';
import { ROOT } from '../helpers/test-app';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

describe('the client bundle', () => {
  it('carries no password, MQTT credential or secret', async () => {
    await buildClientIfStale();
    const config = loadConfig({}, ROOT);
    const secrets = [
      ...demoAccounts(config.registry.enterprises, config.registry.sources).map((a) => a.password),
      ...config.registry.sources.map((s) => s.mqttPassword).filter((p): p is string => !!p),
      'argon2',
      'o3s_session=',
    ];
    const bundle = files(join(ROOT, 'dist/client')).filter((f) => /\.(js|css|html|json|map)$/.test(f));
    expect(bundle.length).toBeGreaterThan(2);
    for (const f of bundle) {
      const text = readFileSync(f, 'utf8');
      for (const secret of secrets) expect({ file: f, secret, found: text.includes(secret) }).toMatchObject({ found: false });
    }
  }, 120_000);
});
