/**
 * Who gets what (issue 21): the duty roster and the escalation chain, users' contacts and
 * subscriptions. The roster and chain are administered by administrators (`duty.admin`): the ozone
 * role runs the summer control centre, not the duty room, and officers are the people on the roster
 * (they do not schedule themselves); the whole bureau may read who is on duty (`duty.read`). A user's
 * contacts and subscription: by an administrator (`users.admin`), or by the user (`account.self`,
 * enterprise users too: they only ever get their own enterprise's alerts). Every change is audited.
 *
 *   GET    /api/duty                          → DutyView (shifts, chain, on duty now, people)
 *   GET    /api/duty/now                      → {primary, backup}: {username, displayName} | null
 *   POST   /api/duty/shifts                   {username, position, startsAt, endsAt} → 201 {shift}
 *   PUT    /api/duty/shifts/:id               (the same) → {shift}
 *   DELETE /api/duty/shifts/:id               → {shift}
 *   PUT    /api/duty/escalation               EscalationPolicy → {escalation}
 *   GET    /api/duty/users/:username/settings → NotifySettingsView
 *   PUT    /api/duty/users/:username/settings {contacts, subscription} → NotifySettingsView
 *   GET    /api/notify-settings/me            → NotifySettingsView (own)
 *   PUT    /api/notify-settings/me            {contacts, subscription} → NotifySettingsView
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { DutyService } from '../alerts/duty-service';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import { described } from '../domain/api-schemas';
import { escalationPolicySchema, newShiftSchema, notifySettingsSchema, onDutyAs } from '../domain/duty';
import { routes } from './access';

const dutyView = described('DutyView', 'DutyView (server/domain/duty.ts): shifts, the escalation chain, who is on duty now, the people');
const settingsView = described(
  'NotifySettingsView',
  'NotifySettingsView (server/domain/duty.ts): contacts, subscription, reachable channels',
);
const shiftAnswer = z.object({ shift: described('Shift', 'Shift (server/domain/duty.ts)') });
const holder = z.object({ username: z.string(), displayName: z.string() }).nullable();

export interface DutyPorts {
  duty: DutyService;
  now: () => number;
}

const who = (req: Request, res: Response) => [principalOf(res), clientIp(req)] as const;

export function dutyRouter({ duty, now }: DutyPorts): Router {
  const r = routes();
  r.get(
    '/',
    'duty.read',
    { summary: { en: 'The duty roster, the escalation chain and who is on duty now', zh: '值班表与升级链' }, response: dutyView },
    (_req, res) => {
      res.json(duty.view(now()));
    },
  );
  r.get(
    '/now',
    'duty.read',
    { summary: { en: 'Who is on duty now', zh: '当前值班人员' }, response: z.object({ primary: holder, backup: holder }) },
    (_req, res) => {
      const { shifts } = duty.view(now());
      const named = (u: string | null) => (u === null ? null : { username: u, displayName: duty.displayName(u) });
      res.json({ primary: named(onDutyAs(shifts, 'primary', now())), backup: named(onDutyAs(shifts, 'backup', now())) });
    },
  );
  r.post(
    '/shifts',
    'duty.admin',
    { summary: { en: 'Add a shift to the roster', zh: '新增值班班次' }, body: newShiftSchema, status: 201, response: shiftAnswer },
    async (req, res) => {
      const body = newShiftSchema.parse(req.body ?? {});
      res.status(201).json({ shift: await duty.createShift(body, ...who(req, res)) });
    },
  );
  r.put(
    '/shifts/:id',
    'duty.admin',
    { summary: { en: 'Change a shift', zh: '修改值班班次' }, body: newShiftSchema, response: shiftAnswer },
    async (req, res) => {
      const body = newShiftSchema.parse(req.body ?? {});
      res.json({ shift: await duty.updateShift(req.params['id'] as string, body, ...who(req, res)) });
    },
  );
  r.delete(
    '/shifts/:id',
    'duty.admin',
    { summary: { en: 'Remove a shift', zh: '删除值班班次' }, response: shiftAnswer },
    async (req, res) => {
      res.json({ shift: await duty.removeShift(req.params['id'] as string, ...who(req, res)) });
    },
  );
  r.put(
    '/escalation',
    'duty.admin',
    {
      summary: { en: 'Set the escalation chain', zh: '设置升级链' },
      body: escalationPolicySchema,
      response: z.object({ escalation: described('EscalationPolicy', 'EscalationPolicy (server/domain/duty.ts)') }),
    },
    async (req, res) => {
      const body = escalationPolicySchema.parse(req.body ?? {});
      res.json({ escalation: await duty.putEscalation(body, ...who(req, res)) });
    },
  );
  r.get(
    '/users/:username/settings',
    'users.admin',
    { summary: { en: 'A user’s contacts and subscription', zh: '用户联系方式与订阅' }, response: settingsView },
    async (req, res) => {
      res.json(await duty.settingsOf(req.params['username'] as string));
    },
  );
  r.put(
    '/users/:username/settings',
    'users.admin',
    {
      summary: { en: 'Set a user’s contacts and subscription', zh: '设置用户联系方式与订阅' },
      body: notifySettingsSchema,
      response: settingsView,
    },
    async (req, res) => {
      const body = notifySettingsSchema.parse(req.body ?? {});
      res.json(await duty.putSettings(req.params['username'] as string, body, ...who(req, res)));
    },
  );
  return r.router;
}

/** A user's own notification settings (/api/notify-settings). */
export function notifySettingsRouter({ duty }: Pick<DutyPorts, 'duty'>): Router {
  const r = routes();
  r.get(
    '/me',
    'account.self',
    { summary: { en: 'My contacts and subscription', zh: '我的通知设置' }, response: settingsView },
    async (_req, res) => {
      res.json(await duty.settingsOf(principalOf(res).username));
    },
  );
  r.put(
    '/me',
    'account.self',
    { summary: { en: 'Set my contacts and subscription', zh: '保存我的通知设置' }, body: notifySettingsSchema, response: settingsView },
    async (req, res) => {
      const body = notifySettingsSchema.parse(req.body ?? {});
      res.json(await duty.putSettings(principalOf(res).username, body, ...who(req, res)));
    },
  );
  return r.router;
}
