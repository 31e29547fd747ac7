import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';

const URL = ['--url', 'mqtt://localhost:1883'];

describe('CLI arguments', () => {
  it('applies the defaults', () => {
    expect(parseCliArgs(URL)).toEqual({
      kind: 'args',
      args: {
        url: 'mqtt://localhost:1883', scenario: 'normal', interval: 5000, registry: 'config/registry.yaml', rules: 'config/rules/limits.yaml',
        once: false, 'log-level': 'info',
      },
    });
  });

  it('reads every option', () => {
    const parsed = parseCliArgs([
      ...URL, '--scenario', 'exceedance', '--interval', '1000', '--mn', '370300NH3000000000000201', '--factor', 'a21001',
      '--value', '9.5', '--start', '0', '--duration', '30', '--every', '60', '--seed', '1', '--connections', '2', '--once',
      '--registry', 'x.yaml', '--log-level', 'warn',
    ]);
    expect(parsed).toEqual({
      kind: 'args',
      args: {
        url: 'mqtt://localhost:1883', scenario: 'exceedance', interval: 1000, mn: '370300NH3000000000000201', factor: 'a21001',
        value: 9.5, start: 0, duration: 30, every: 60, seed: 1, connections: 2, once: true, registry: 'x.yaml', rules: 'config/rules/limits.yaml', 'log-level': 'warn',
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
  ])('refuses %s', (_name, argv, message) => {
    const parsed = parseCliArgs(argv);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.error).toMatch(message);
  });
});
