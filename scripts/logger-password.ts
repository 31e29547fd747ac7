/**
 * `npx tsx scripts/logger-password.ts [--length 24] [--count 1]`: prints new HJ 212 logger
 * passwords, one a line, for the `pw` of a source in the registry (and for the logger's own
 * settings). Every source needs one: the server refuses a registry without (hj212.allowMissingPw).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { generateLoggerPassword, LOGGER_PASSWORD_LENGTH } from '../server/domain/logger-password';
import { zodIssueLines } from '../server/domain/zod-issues';

const count = (max: number) => z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(max));
const args = z
  .object({ length: count(64).pipe(z.number().min(6)).default(LOGGER_PASSWORD_LENGTH), count: count(10_000).default(1) })
  .safeParse(parseArgs({ options: { length: { type: 'string' }, count: { type: 'string' } } }).values);

if (!args.success) {
  process.stderr.write(
    `logger-password: ${zodIssueLines(args.error)
      .map((line) => `--${line}`)
      .join('; ')}\n`,
  );
  process.stderr.write('usage: npx tsx scripts/logger-password.ts [--length 6..64] [--count n]\n');
  process.exit(2);
}
const lines: string[] = [];
for (let i = 0; i < args.data.count; i++) lines.push(generateLoggerPassword(args.data.length));
process.stdout.write(`${lines.join('\n')}\n`);
