/**
 * A real Mosquitto configured as `npm run broker:credentials` tells operators to: the generated
 * password and ACL files and conf snippet (anonymous off, client id = username, packet size cap),
 * with persistence and the deep queues of tests/helpers/services.ts, on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { writeMosquittoAuthFiles, type MqttCredential } from '../../server/broker/mosquitto-credentials';
import { findBinary, freePort } from './services';
import { until } from './wait';

export interface SecuredMosquitto {
  url: string;
  /** Stops the broker (SIGTERM: it saves its sessions and queues) and keeps its files. */
  halt(): Promise<void>;
  /** Starts it again on the same port, files and persistence. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** `gateways`: HJ 212 gateway users (publishing on the gateway topics only); `partitions`: ingest workers' partition users. */
export async function startSecuredMosquitto(
  sources: readonly { mn: string; mqttPassword?: string | undefined }[],
  ingest: MqttCredential,
  maxPacketBytes: number,
  gateways: readonly MqttCredential[] = [],
  partitions = 0,
): Promise<SecuredMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'o3-mosquitto-secured-'));
  chmodSync(dir, 0o777); // Mosquitto started as root drops to its own user: it reads the files, writes its store
  const files = writeMosquittoAuthFiles(dir, sources, ingest, 1000, 0o644, maxPacketBytes, gateways, partitions);
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      files.confSnippet.trimEnd(),
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 1000000',
      'max_inflight_messages 1000',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      '',
    ].join('\n'),
  );
  let proc!: ChildProcess;
  const launch = async () => {
    proc = spawn(findBinary('mosquitto'), ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stderr?.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-8_000)));
    await until(async () => {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited ${proc.exitCode}:\n${output}`);
      const probe = { clientId: 'probe', clean: true, reconnectPeriod: 0, username: sources[0]?.mn, password: sources[0]?.mqttPassword };
      return mqtt.connectAsync(url, probe).then(
        (c) => (c.end(true), true),
        () => false,
      );
    }, 'the secured mosquitto to accept a logger');
  };
  const halt = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url,
    halt,
    resume: launch,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
