import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';

const URL = ['--url', 'mqtt://localhost:1883'];

describe('CLI arguments', () => {
  it('applies the defaults', () => {
    expect(parseCliArgs(URL)).toEqual({
      kind: 'args',
      args: {
        url: 'mqtt://localhost:1883',
        scenario: 'normal',
        interval: 5000,
        registry: 'config/registry.yaml',
        rules: 'config/rules/limits.yaml',
        protocol: 'json',
        hj212: 'localhost:6212',
        'fault-rate': 0,
        once: false,
        'log-level': 'info',
      },
    });
  });

  it('reads every option', () => {
    const parsed = parseCliArgs([
      ...URL,
      '--scenario',
      'exceedance',
      '--interval',
      '1000',
      '--mn',
      '370300NH3000000000000201',
      '--factor',
      'a21001',
      '--value',
      '9.5',
      '--start',
      '0',
      '--duration',
      '30',
      '--every',
      '60',
      '--seed',
      '1',
      '--connections',
      '2',
      '--once',
      '--registry',
      'x.yaml',
      '--log-level',
      'warn',
    ]);
    expect(parsed).toEqual({
      kind: 'args',
      args: {
        url: 'mqtt://localhost:1883',
        scenario: 'exceedance',
        interval: 1000,
        mn: '370300NH3000000000000201',
        factor: 'a21001',
        value: 9.5,
        start: 0,
        duration: 30,
        every: 60,
        seed: 1,
        connections: 2,
        once: true,
        registry: 'x.yaml',
        rules: 'config/rules/limits.yaml',
        protocol: 'json',
        hj212: 'localhost:6212',
        'fault-rate': 0,
        'log-level': 'warn',
      },
    });
  });

  it('answers --help without other checks', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    ['no url', [], /--url is required/],
    ['a url that is not MQTT', ['--url', 'http://x'], /mqtt:\/\/host/],
    ['an unknown scenario', [...URL, '--scenario', 'chaos'], /scenario/],
    ['a non-numeric interval', [...URL, '--interval', 'fast'], /whole number/],
    ['a too short interval', [...URL, '--interval', '10'], /interval/],
    ['a malformed MN', [...URL, '--mn', 'abc'], /MN must be/],
    ['a malformed factor', [...URL, '--factor', '氨'], /factor code/],
    ['a value that is not a number', [...URL, '--value', 'NaN'], /must be a number/],
    ['an empty value', [...URL, '--value', ''], /must be a number/],
    ['a zero duration', [...URL, '--duration', '0'], /positive/],
    ['a negative seed', [...URL, '--seed=-1'], /whole number/],
    ['an unknown option', [...URL, '--speed', '3'], /Unknown option '--speed'/],
    ['a positional argument', [...URL, 'extra'], /positional/],
    ['an unknown protocol', [...URL, '--protocol', 'modbus'], /protocol/],
    ['a fault rate above 1', [...URL, '--fault-rate', '1.5'], /from 0 to 1/],
    ['an HJ 212 address without port', [...URL, '--hj212', 'localhost'], /host:6212/],
  ])('refuses %s', (_name, argv, message) => {
    const parsed = parseCliArgs(argv);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.error).toMatch(message);
  });

  it('reads the HJ 212 options', () => {
    const parsed = parseCliArgs([...URL, '--protocol', 'hj212-tcp', '--hj212', '127.0.0.1:7000', '--fault-rate', '0.05']);
    expect(parsed).toMatchObject({ kind: 'args', args: { protocol: 'hj212-tcp', hj212: '127.0.0.1:7000', 'fault-rate': 0.05 } });
  });
});
