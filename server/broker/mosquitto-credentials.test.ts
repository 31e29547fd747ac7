import { describe, expect, it } from 'vitest';
import {
  mosquittoAclFile,
  partitionUsernames,
  mosquittoConfSnippet,
  mosquittoPasswordFile,
  mosquittoPasswordLine,
  verifyMosquittoPasswordLine,
} from './mosquitto-credentials';

/** Written by `mosquitto_passwd -b pwfile alice secret-pass` (Mosquitto 2.0.11). */
const MOSQUITTO_PASSWD_LINE =
  'alice:$7$101$r/qFeuqHM5gEQot/$JtvoEVWfBFHVzfN9oGcaoF8wwupA2fjJ3vVMGvnw5s60vCZoSffHQ4M38TAnakawt6Mts2SspZwke7fXW8HAsA==';

describe('Mosquitto $7$ password lines', () => {
  it('reproduce mosquitto_passwd exactly for the same salt and iterations', () => {
    const salt = Buffer.from('r/qFeuqHM5gEQot/', 'base64');
    expect(mosquittoPasswordLine('alice', 'secret-pass', { salt, iterations: 101 })).toBe(MOSQUITTO_PASSWD_LINE);
  });

  it.each([
    ['secret-pass', true],
    ['secret-pasS', false],
    ['', false],
  ])('verify %j against the mosquitto_passwd line → %s', (password, want) => {
    expect(verifyMosquittoPasswordLine(MOSQUITTO_PASSWD_LINE, password)).toBe(want);
  });

  it('salts each line afresh and round-trips', () => {
    const a = mosquittoPasswordLine('logger', 'p4ssw0rd!');
    const b = mosquittoPasswordLine('logger', 'p4ssw0rd!');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^logger:\$7\$1000\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    expect(verifyMosquittoPasswordLine(a, 'p4ssw0rd!')).toBe(true);
  });

  it.each(['a:b', 'a b', ''])('refuses the username %j', (u) => expect(() => mosquittoPasswordLine(u, 'x')).toThrow());

  it('refuses duplicate usernames in a file', () => {
    expect(() =>
      mosquittoPasswordFile([
        { username: 'a', password: '1' },
        { username: 'a', password: '2' },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('Mosquitto ACL', () => {
  it('lets loggers write only their own uploads and read only their own replies; the ingest user everything and the broker’s drop count', () => {
    const acl = mosquittoAclFile('o3s-ingest');
    const lines = acl.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual([
      'pattern write sentinel/v1/%u/data',
      'pattern write sentinel/v1/%u/hj212',
      'pattern read sentinel/v1/%u/hj212/reply',
      'user o3s-ingest',
      'topic readwrite sentinel/v1/#',
      'topic read $SYS/broker/publish/messages/dropped',
    ]);
  });

  it('gives each HJ 212 gateway its own user, writing the gateway topics and nothing else', () => {
    const lines = mosquittoAclFile('o3s-ingest', ['gw-1', 'gw-2'])
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(lines.slice(6)).toEqual([
      'user gw-1',
      'topic write sentinel/v1/+/hj212/gateway',
      'user gw-2',
      'topic write sentinel/v1/+/hj212/gateway',
    ]);
  });
});

describe('Mosquitto ACL of the ingest workers’ partition sessions', () => {
  it('gives each partition its own user (client id = username): reads every upload, writes replies and dead letters', () => {
    expect(partitionUsernames(3)).toEqual(['o3-ingest-p0', 'o3-ingest-p1', 'o3-ingest-p2']);
    const lines = mosquittoAclFile('o3s-ingest', [], partitionUsernames(2))
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const grants = [
      'topic read sentinel/v1/+/data',
      'topic read sentinel/v1/+/hj212',
      'topic read sentinel/v1/+/hj212/gateway',
      'topic write sentinel/v1/+/hj212/reply',
      'topic write sentinel/v1/deadletter',
    ];
    expect(lines.slice(6)).toEqual(['user o3-ingest-p0', ...grants, 'user o3-ingest-p1', ...grants]);
  });
});

describe('Mosquitto conf snippet', () => {
  it('refuses anonymous clients, binds client ids to usernames and caps packets when asked', () => {
    const lines = (cap?: number) =>
      mosquittoConfSnippet('/etc/o3s/passwd', '/etc/o3s/acl', cap)
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
    expect(lines(69632)).toEqual([
      'allow_anonymous false',
      'password_file /etc/o3s/passwd',
      'acl_file /etc/o3s/acl',
      'max_packet_size 69632',
      'use_username_as_clientid true',
    ]);
    expect(lines()).not.toContain('max_packet_size 69632');
    expect(lines()).toContain('use_username_as_clientid true');
  });
});
