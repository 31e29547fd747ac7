import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { withRoleArgument } from './role';

const ROOT = resolve(import.meta.dirname, '..');
const load = (env: Record<string, string>) => loadConfig(env, ROOT);
const GATEWAY = { ROLE: 'gateway', MQTT_URL: 'mqtt://broker:1883', DATABASE_URL: 'postgres://o3@db/o3' };
const INGEST = { ...GATEWAY, ROLE: 'ingest', INFLUX_URL: 'http://influx:8086' };

describe('role (issue 15 item 5): one binary, roles by config', () => {
  it('is all (everything in one process) by default', () => {
    expect(load({}).role).toBe('all');
  });

  it.each(['web', 'ingest', 'gateway'])('ROLE=%s', (role) => {
    expect(load({ ...INGEST, REDIS_URL: 'redis://cache:6379', ROLE: role }).role).toBe(role);
  });

  it('refuses an unknown role, naming it', () => {
    expect(() => load({ ROLE: 'worker' })).toThrow(ConfigError);
    expect(() => load({ ROLE: 'worker' })).toThrow(/role/);
  });

  it.each([
    [{ MQTT_URL: '' }, /MQTT_URL/],
    [{ DATABASE_URL: '' }, /DATABASE_URL/],
    [{ HJ212_ENABLED: 'false' }, /hj212\.enabled/],
    [{ GATEWAY_CLIENT_ID: 'o3-sentinel-ingest' }, /client id/],
  ])('a gateway needs a broker, the shared database, its listener and its own client id: %j', (env, problem) => {
    expect(() => load({ ...GATEWAY, ...env })).toThrow(problem);
  });

  it.each([
    [{ MQTT_URL: '' }, /MQTT_URL/],
    [{ DATABASE_URL: '' }, /DATABASE_URL/],
    [{ INFLUX_URL: '' }, /INFLUX_URL/],
  ])('an ingest worker needs the shared broker, PostgreSQL and InfluxDB: %j', (env, problem) => {
    expect(() => load({ ...INGEST, ...env })).toThrow(problem);
  });

  const WEB = { ROLE: 'web', DATABASE_URL: 'postgres://o3@db/o3', REDIS_URL: 'redis://cache:6379', INFLUX_URL: 'http://influx:8086' };

  it('a web process needs no broker and no HJ 212 listener of its own', () => {
    expect(load(WEB).role).toBe('web');
  });

  it.each([
    [{ DATABASE_URL: '' }, /database\.url.*DATABASE_URL/s],
    [{ REDIS_URL: '' }, /realtime\.redisUrl.*REDIS_URL/s],
    [{ INFLUX_URL: '' }, /influx\.url.*INFLUX_URL/s],
  ])('a web process needs the shared PostgreSQL, Redis and InfluxDB: %j', (env, problem) => {
    expect(() => load({ ...WEB, ...env })).toThrow(problem);
  });

  it('takes the cluster settings from the environment (64 partitions unless told)', () => {
    expect(load(INGEST).cluster).toEqual({ partitions: 64, worker: '', recheckS: 2, usernamePerPartition: true, drainS: 5 });
    const env = {
      CLUSTER_PARTITIONS: '8',
      CLUSTER_WORKER: 'w-1',
      CLUSTER_RECHECK_S: '1',
      CLUSTER_USERNAME_PER_PARTITION: 'false',
      CLUSTER_DRAIN_S: '0',
    };
    expect(load({ ...INGEST, ...env }).cluster).toEqual({
      partitions: 8,
      worker: 'w-1',
      recheckS: 1,
      usernamePerPartition: false,
      drainS: 0,
    });
    expect(() => load({ ...INGEST, CLUSTER_PARTITIONS: '0' })).toThrow(/cluster\.partitions/);
    expect(() => load({ ...INGEST, CLUSTER_DRAIN_S: '61' })).toThrow(/cluster\.drainS/);
  });

  it('takes the gateway settings from the environment', () => {
    const config = load({ ...GATEWAY, GATEWAY_CLIENT_ID: 'gw-7', GATEWAY_MAX_PENDING: '50', GATEWAY_REGISTRY_POLL_S: '2' });
    expect(config.gateway).toEqual({ clientId: 'gw-7', maxPending: 50, registryPollS: 2 });
  });

  it.each([
    [['--role', 'gateway'], {}, 'gateway'],
    [['--role=web'], {}, 'web'],
    [['--role', 'ingest'], { ROLE: 'web' }, 'ingest'],
    [[], { ROLE: 'web' }, 'web'],
    [['--other', 'x'], {}, undefined],
  ])('the command line %j over the environment %j → ROLE %s', (argv, env, want) => {
    expect(withRoleArgument(argv, env).ROLE).toBe(want);
  });
});
