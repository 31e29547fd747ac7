/**
 * Notification targets (issue 14): administrators only (`notify.admin`). A target's URL can carry the
 * webhook's secret, so it is write-only: every answer shows it masked. Changes name the version they
 * were made from (409 version_conflict when another change came first); names are unique (409
 * duplicate_name). Each change is audited by NotifyTargets (before → after, URL masked).
 *
 *   GET    /api/notify-targets               → {items: NotifyTargetView[]} (with each one's delivery state)
 *   POST   /api/notify-targets               {name, kind?, format, url, enabled?} → 201 {target}
 *   PATCH  /api/notify-targets/:id           {version, name?, format?, url?, enabled?} → {target}
 *   DELETE /api/notify-targets/:id?version=n → {abandoned}: queued notifications given up
 *   POST   /api/notify-targets/:id/test      → {result: {ok, status, error, ms}} (sent now, not queued)
 *
 * Kinds (issue 21): `webhook` {format, url}, `email` {email: {recipients, smtp?}}, `sms` {sms: {phones,
 * signName, templateCode}}. An email or SMS target this server cannot reach (no SMTP server, no SMS
 * AccessKey configured) is refused: 400 channel_unavailable.
 */
import type { Request, Response, Router } from 'express';
import type { Notifier } from '../alerts/notifier';
import type { NotifyTargets } from '../alerts/notify-targets';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import {
  EMPTY_DELIVERY,
  newNotifyTargetSchema,
  notifyTargetDeleteQuery,
  notifyTargetPatchSchema,
  notifyTargetView,
  type NotifyTarget,
} from '../domain/notify-target';
import { routes } from './access';
import { HttpError } from './errors';
import { z } from 'zod';
import { described, itemsOf } from '../domain/api-schemas';

const targetAnswer = described(
  'NotifyTargetView',
  'NotifyTargetView (server/domain/notify-target.ts): the URL masked, with its delivery state',
);

export interface NotifyTargetPorts {
  targets: NotifyTargets;
  notifier: Pick<Notifier, 'deliveryOf' | 'giveUpTarget' | 'sendTest' | 'unreachable'>;
}

const who = (req: Request, res: Response) => [principalOf(res), clientIp(req)] as const;

export function notifyTargetsRouter({ targets, notifier }: NotifyTargetPorts): Router {
  const r = routes();
  const found = (req: Request): NotifyTarget => {
    const id = req.params['id'] as string;
    const t = targets.get(id);
    if (!t) throw new HttpError(404, 'not_found', `notification target ${id} not found`);
    return t;
  };
  const reachable = (t: Parameters<typeof notifier.unreachable>[0]): void => {
    const problem = notifier.unreachable(t);
    if (problem) throw new HttpError(400, 'channel_unavailable', problem);
  };
  const view = async (t: NotifyTarget) => notifyTargetView(t, (await notifier.deliveryOf([t])).get(t.id) ?? EMPTY_DELIVERY);

  r.get(
    '/',
    'notify.admin',
    { summary: { en: 'List notification targets (URLs masked)', zh: '通知目标列表' }, response: itemsOf(targetAnswer) },
    async (_req, res) => {
      const list = targets.list();
      const delivery = await notifier.deliveryOf(list);
      res.json({ items: list.map((t) => notifyTargetView(t, delivery.get(t.id) ?? EMPTY_DELIVERY)) });
    },
  );
  r.post(
    '/',
    'notify.admin',
    {
      summary: { en: 'Add a notification target', zh: '新增通知目标' },
      body: newNotifyTargetSchema,
      status: 201,
      response: z.object({ target: targetAnswer }),
      refusals: [409],
    },
    async (req, res) => {
      const body = newNotifyTargetSchema.parse(req.body ?? {});
      reachable(body);
      res.status(201).json({ target: await view(await targets.create(body, ...who(req, res))) });
    },
  );
  r.patch(
    '/:id',
    'notify.admin',
    {
      summary: { en: 'Change a notification target', zh: '修改通知目标' },
      body: notifyTargetPatchSchema,
      response: z.object({ target: targetAnswer }),
      refusals: [409],
    },
    async (req, res) => {
      const patch = notifyTargetPatchSchema.parse(req.body ?? {});
      const current = targets.get(req.params['id'] as string);
      if (current?.kind === 'email' && patch.email) reachable({ ...current, email: patch.email });
      res.json({ target: await view(await targets.update(req.params['id'] as string, patch, ...who(req, res))) });
    },
  );
  r.delete(
    '/:id',
    'notify.admin',
    {
      summary: { en: 'Delete a notification target', zh: '删除通知目标' },
      query: notifyTargetDeleteQuery,
      response: z.object({ abandoned: z.number().int() }),
      refusals: [409],
    },
    async (req, res) => {
      const { version } = notifyTargetDeleteQuery.parse(req.query);
      const [actor, ip] = who(req, res);
      const { abandoned } = await targets.remove(req.params['id'] as string, version, actor, ip, (t) => notifier.giveUpTarget(t));
      res.json({ abandoned });
    },
  );
  r.post(
    '/:id/test',
    'notify.admin',
    {
      summary: { en: 'Send a test notification now', zh: '发送测试通知' },
      response: z.object({ result: described('NotifyTestResult', 'NotifyTestResult (server/domain/notify-target.ts)') }),
    },
    async (req, res) => {
      const target = found(req);
      const result = await notifier.sendTest(target);
      await targets.tested(target, result, ...who(req, res));
      res.json({ result });
    },
  );
  return r.router;
}
