/**
 * Rule configuration over REST (changes: administrators; reading: staff, and an enterprise user for
 * its own sources). A pack or override that does not validate is refused with every problem and
 * the running rules stay as they were.
 *   GET    /api/rules                → {pack, overrides: [{mn, override}]}
 *   GET    /api/rules/sources/:mn    → {mn, limits, params, override} (what applies to that source)
 *   PUT    /api/rules/pack           {…rules.yaml} → {pack}; DELETE → back to the file's pack
 *   PUT    /api/rules/sources/:mn    {limits?, rules?} → {override}; DELETE → removed
 * Refusals: 400 {error: 'invalid_rules', message, issues: [..]}.
 */
import type { Response, Router } from 'express';
import { principalOf } from '../auth/auth-middleware';
import { routes } from './access';
import { described } from '../domain/api-schemas';
import { mnSchema } from '../domain/registry';
import { RulePackError, rulePackSchema } from '../domain/rule-pack';
import type { RuleBook } from '../rules/rule-book';
import type { RulesService } from '../rules/rules-service';
import type { SourceDirectory } from '../sources/source-directory';
import { visibleSource } from './tenant';

function refuse(res: Response, err: unknown): void {
  if (!(err instanceof RulePackError)) throw err;
  res.status(400).json({ error: 'invalid_rules', message: err.issues.join('; '), issues: err.issues });
}

export function rulesRouter(rules: RulesService, book: RuleBook, directory: SourceDirectory): Router {
  const r = routes();
  r.get(
    '/',
    'rules.read',
    {
      summary: { en: 'The rule pack and every source override', zh: '规则包与单点覆盖' },
      response: described('RulesAnswer', '{pack: RulePack, overrides: [{mn, override}]} (server/domain/rule-pack.ts)'),
    },
    (_req, res) => {
      res.json({ pack: book.rulePack, overrides: book.allOverrides().map(([mn, override]) => ({ mn, override })) });
    },
  );

  r.get(
    '/sources/:mn',
    'sources.read',
    {
      summary: { en: 'What applies to one source: limits and rule parameters', zh: '监测点适用限值与规则' },
      params: { mn: mnSchema },
      response: described('SourceRules', '{mn, limits, params, override}'),
    },
    (req, res) => {
      const source = visibleSource(res, req.params.mn as string, (mn) => directory.get(mn));
      const subject = book.subject(source.mn);
      res.json({
        mn: source.mn,
        limits: subject?.limits ?? {},
        params: subject?.params ?? null,
        override: book.overrideOf(source.mn) ?? null,
      });
    },
  );

  r.put(
    '/pack',
    'rules.write',
    {
      summary: { en: 'Replace the rule pack', zh: '替换规则包' },
      body: rulePackSchema,
      description: 'A rule pack as config/rules.yaml; refused whole with every issue (400 invalid_rules).',
      response: described('RulePackAnswer', '{pack}'),
    },
    async (req, res) => {
      try {
        res.json({ pack: await rules.setPack(req.body, principalOf(res).username) });
      } catch (err) {
        refuse(res, err);
      }
    },
  );

  r.delete(
    '/pack',
    'rules.write',
    { summary: { en: 'Back to the file’s rule pack', zh: '恢复默认规则包' }, response: described('RulePackReset', '{pack}') },
    async (_req, res) => {
      res.json({ pack: await rules.setPack(null, principalOf(res).username) });
    },
  );

  r.put(
    '/sources/:mn',
    'rules.write',
    {
      summary: { en: 'Set a source’s override', zh: '设置单点规则覆盖' },
      params: { mn: mnSchema },
      body: described('RuleOverrideBody', '{limits?, rules?}: refused whole with every issue (400 invalid_rules)'),
      response: described('RuleOverrideAnswer', '{override}'),
    },
    async (req, res) => {
      try {
        res.json({ override: await rules.setOverride(req.params.mn as string, req.body, principalOf(res).username) });
      } catch (err) {
        refuse(res, err);
      }
    },
  );

  r.delete(
    '/sources/:mn',
    'rules.write',
    { summary: { en: 'Remove a source’s override', zh: '删除单点规则覆盖' }, params: { mn: mnSchema }, status: 204 },
    async (req, res) => {
      const source = visibleSource(res, req.params.mn as string, (mn) => directory.get(mn));
      await rules.setOverride(source.mn, null, principalOf(res).username);
      res.status(204).end();
    },
  );
  return r.router;
}
