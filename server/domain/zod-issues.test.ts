import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatZodIssues, zodIssueLines, zodIssuePath } from './zod-issues';

const schema = z.object({ port: z.number(), tags: z.array(z.string()) }).refine((o) => o.port !== 0, 'port 0 is not a port');
const errorOf = (input: unknown): z.ZodError => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return r.error;
};

describe('zod issue text', () => {
  it.each([
    // [input, options, lines]
    [{ port: 'x', tags: [] }, {}, ['port: Invalid input: expected number, received string']],
    [{ port: 1, tags: ['a', 3] }, {}, ['tags.1: Invalid input: expected string, received number']],
    [{ port: 0, tags: [] }, {}, ['port 0 is not a port']],
    [{ port: 0, tags: [] }, { root: 'request' }, ['request: port 0 is not a port']],
    [{ port: 0, tags: [] }, { prefix: 'a.yaml' }, ['a.yaml: port 0 is not a port']],
    [{ port: 'x', tags: [] }, { prefix: 'a.yaml', root: 'ignored' }, ['a.yaml: port: Invalid input: expected number, received string']],
  ])('%j with %j', (input, options, lines) => {
    expect(zodIssueLines(errorOf(input), options)).toEqual(lines);
  });

  it('joins every issue with "; "', () => {
    expect(formatZodIssues(errorOf({ port: 'x', tags: [1] }), { root: 'args' })).toBe(
      'port: Invalid input: expected number, received string; tags.0: Invalid input: expected string, received number',
    );
  });

  it('an issue about the whole input without a root is its message alone, never ": message"', () => {
    expect(zodIssueLines({ issues: [{ path: [], message: 'not an object' }] })).toEqual(['not an object']);
    expect(
      formatZodIssues({
        issues: [
          { path: [], message: 'a' },
          { path: ['b'], message: 'c' },
        ],
      }),
    ).toBe('a; b: c');
  });

  it('names a top-level issue by its root and prints symbol keys', () => {
    expect(zodIssuePath({ path: [], message: 'm' }, 'row')).toBe('row');
    expect(zodIssuePath({ path: ['a', 0, Symbol('s')], message: 'm' })).toBe('a.0.Symbol(s)');
  });
});
