/**
 * The app with DATABASE_URL (issue 15): the registry and the notification targets live in
 * PostgreSQL — seeded there on the first start, changed over REST, still there after a restart —
 * and the data dir holds no registry.db. Tools reading the registry (broker:credentials) read it there.
 * The identity stores live there too (users, sessions, audit, known clients, API tokens): a sign-in
 * made on one process is valid on another with its own data dir (several web processes), the data
 * dir holds no auth.db, and `npm run users` works on them there.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnterpriseFile } from '../../server/domain/registry-api';
import { loadConfig } from '../../server/config';
import { readRegistry } from '../../server/registry/registry-read';
import { openSqlDatabase } from '../../server/storage/sql/database';
import { TEST_DISTRICTS_FILE, TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { freshPgDatabase } from '../helpers/sql-engines';
import { ROOT, startTestApp } from '../helpers/test-app';

describe('the app on PostgreSQL (DATABASE_URL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'o3-pg-app-'));
  let database: Awaited<ReturnType<typeof freshPgDatabase>>;
  beforeAll(async () => void (database = await freshPgDatabase()));
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the registry and the notification targets in PostgreSQL across a restart', async () => {
    const dataDir = join(dir, 'data');
    const logFile = join(dir, 'server.log');
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'info' };
    let t = await startTestApp(env, { dataDir, logFile });
    try {
      const admin = await t.signIn('admin');
      expect((await admin.call('PATCH', '/api/enterprises/qilu-power', { park: '临淄化工园' })).status).toBe(200);
      const target = { name: '值班室', format: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' };
      expect((await admin.call('POST', '/api/notify-targets', target)).status).toBe(201);
    } finally {
      await t.stop();
    }
    expect(existsSync(join(dataDir, 'registry.db'))).toBe(false);

    t = await startTestApp(env, { dataDir, logFile });
    try {
      const officer = await t.signIn('admin');
      const file = await officer.call<EnterpriseFile>('GET', '/api/enterprises/qilu-power');
      expect(file.body.enterprise).toMatchObject({ name: '齐鲁示范热电有限公司', park: '临淄化工园' });
      expect(t.app.registry.view.version()).toBe(2);
      const targets = await officer.call<{ items: { name: string }[] }>('GET', '/api/notify-targets');
      expect(targets.body.items.map((x) => x.name)).toEqual(['值班室']);
    } finally {
      await t.stop();
    }
    const read = await readRegistry(t.config);
    expect(read).toMatchObject({ from: 'store', version: 2 });
    expect(read.registry.enterprises.find((e) => e.id === 'qilu-power')?.park).toBe('临淄化工园');
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('registry store was empty: seeded from the YAML registry');
    expect(log).toContain('registry loaded from the store');
  });

  it('keeps users and sessions in PostgreSQL: a sign-in outlives a restart on a fresh data dir; `npm run users` lists them there', async () => {
    const env = { DATABASE_URL: database.url };
    const firstDir = join(dir, 'web-1');
    let t = await startTestApp(env, { dataDir: firstDir });
    let cookie: string;
    try {
      const admin = await t.signIn('admin');
      const created = await admin.call('POST', '/api/users', { username: 'pg-officer', role: 'officer', password: 'correct horse 42' });
      expect(created.status).toBe(201);
      ({ cookie } = await t.signIn('officer'));
    } finally {
      await t.stop();
    }
    expect(readdirSync(firstDir)).not.toContain('auth.db');

    const secondDir = join(dir, 'web-2');
    t = await startTestApp(env, { dataDir: secondDir });
    try {
      const me = await fetch(`${t.baseUrl}/api/auth/me`, { headers: { cookie, origin: t.baseUrl } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { username: 'officer', role: 'officer' } });
      const audit = await (await t.signIn('admin')).call<{ items: { action: string }[] }>('GET', '/api/audit?action=user_created');
      expect(audit.body.items).toHaveLength(1);
    } finally {
      await t.stop();
    }
    expect(readdirSync(secondDir)).not.toContain('auth.db');

    const toolDir = join(dir, 'tool');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/users.ts', 'list'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: toolDir, DATABASE_URL: database.url, REGISTRY_FILE: TEST_REGISTRY_FILE },
    });
    const usernames = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[1]);
    expect(usernames).toEqual(expect.arrayContaining(['admin', 'officer', 'pg-officer']));
    expect(existsSync(join(toolDir, 'auth.db'))).toBe(false);
  });

  it('reads the YAML while the PostgreSQL database holds no registry yet (nothing created there)', async () => {
    const blank = await freshPgDatabase();
    try {
      const env = { DATABASE_URL: blank.url, REGISTRY_FILE: TEST_REGISTRY_FILE, MAP_BOUNDARY_FILE: TEST_DISTRICTS_FILE };
      const config = loadConfig(env, ROOT);
      expect(await readRegistry(config)).toMatchObject({ from: 'yaml', file: TEST_REGISTRY_FILE, version: null });
      const opened = openSqlDatabase(blank.url);
      expect(await opened.db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([]);
      await opened.close();
    } finally {
      await blank.drop();
    }
  });
});
