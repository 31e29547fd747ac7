/** GET /api/alerts?state=active|resolved&mn=…&limit=… → {items: Alert[]}, newest first. */
import { Router } from 'express';
import { z } from 'zod';
import type { AlertService } from '../alerts/alert-service';
import { ALERT_STATES } from '../domain/alert';
import { mnSchema } from '../domain/registry';

const query = z
  .object({
    state: z.enum(ALERT_STATES).optional(),
    mn: mnSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export function alertsRouter(alerts: AlertService): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const q = query.parse(req.query);
    res.json({ items: alerts.list(q) });
  });
  return router;
}
