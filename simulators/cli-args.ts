/** Command-line arguments of `npm run simulate`, parsed with node:util and validated with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FACTOR_CODE_RE } from '../server/domain/mqtt-contract';
import { mnSchema } from '../server/domain/registry';
import { SCENARIO_NAMES } from './scenarios';

export const USAGE = `Usage: npm run simulate -- --url mqtt://localhost:1883 [options]

  --url URL          MQTT broker (mqtt://, mqtts://, ws://, wss://)          required
  --protocol P       json | hj212-tcp | hj212-mqtt                         (default json)
  --hj212 HOST:PORT  HJ 212 TCP listener, with --protocol hj212-tcp     (default localhost:6212)
  --fault-rate R     share of HJ 212 uploads with an injected fault, 0–1 (default 0)
  --scenario NAME    ${SCENARIO_NAMES.join(' | ')}   (default normal)
  --interval MS      real-time (CN 2011) interval in ms                       (default 5000)
  --mn MN            source the scenario acts on          (default: first source of a fitting kind)
  --factor CODE      factor for exceedance / flatline     (default: the kind's main factor)
  --value NUMBER     forced value for exceedance / flatline (default: 1.15–1.5 × limit / last value)
  --start S          seconds after start the event begins (scenario default)
  --duration S       seconds the event lasts              (scenario default)
  --every S          repeat the event every S seconds     (scenario default)
  --registry FILE    registry YAML                        (default config/registry.yaml)
  --rules FILE       rule pack whose limits the values aim at (default config/rules/limits.yaml)
  --seed N           PRNG seed for reproducible values    (default random, logged)
  --connections N    share N MQTT connections among all sources (default one per source)
  --once             publish one round and exit
  --log-level LEVEL  fatal | error | warn | info | debug | trace | silent (default info)
  --help             show this help

Credentials: environment MQTT_USERNAME / MQTT_PASSWORD.
`;

const integer = (min: number) => z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min));
const number = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
  .transform(Number);
const seconds = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
  .transform(Number);

const argsSchema = z.object({
  url: z.string({ error: '--url is required' }).regex(/^(mqtts?|wss?|tcp):\/\/[^\s/]+/, 'must look like mqtt://host:1883'),
  scenario: z.enum(SCENARIO_NAMES).default('normal'),
  interval: integer(100).default(5000),
  mn: mnSchema.optional(),
  factor: z.string().regex(FACTOR_CODE_RE, 'must be a factor code such as a21001').optional(),
  value: number.optional(),
  start: seconds.optional(),
  duration: seconds.pipe(z.number().positive('must be positive')).optional(),
  every: seconds.pipe(z.number().positive('must be positive')).optional(),
  registry: z.string().min(1).default('config/registry.yaml'),
  rules: z.string().min(1).default('config/rules/limits.yaml'),
  protocol: z.enum(['json', 'hj212-tcp', 'hj212-mqtt']).default('json'),
  hj212: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must look like host:6212')
    .default('localhost:6212'),
  'fault-rate': z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
    .transform(Number)
    .default(0),
  seed: integer(0).optional(),
  connections: integer(1).optional(),
  once: z.boolean().default(false),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type CliArgs = z.infer<typeof argsSchema>;

export type CliParse = { kind: 'args'; args: CliArgs } | { kind: 'help' } | { kind: 'error'; error: string };

const str = { type: 'string' } as const;

export function parseCliArgs(argv: readonly string[]): CliParse {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: str,
        scenario: str,
        interval: str,
        mn: str,
        factor: str,
        value: str,
        start: str,
        duration: str,
        every: str,
        registry: str,
        rules: str,
        protocol: str,
        hj212: str,
        'fault-rate': str,
        seed: str,
        connections: str,
        'log-level': str,
        once: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return { kind: 'error', error: err instanceof Error ? err.message : String(err) };
  }
  if (values.help === true) return { kind: 'help' };
  const result = argsSchema.safeParse(values);
  if (!result.success) return { kind: 'error', error: z.prettifyError(result.error) };
  return { kind: 'args', args: result.data };
}
