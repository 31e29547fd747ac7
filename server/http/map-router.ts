/**
 * GET /api/map → CityMap (server/domain/city-map.ts): the city's name, initial view and district
 * boundary from the config (map.*), read and checked at start. Everyone who may see sources may
 * see the map. The body is built once; its ETag is the SHA-256 of it, so a dashboard revalidates
 * (`Cache-Control: no-cache`) and gets 304 until the boundary changes (a restart with another file).
 */
import { createHash } from 'node:crypto';
import type { Router } from 'express';
import type { CityMap } from '../domain/city-map';
import { described } from '../domain/api-schemas';
import { routes } from './access';

export function mapRouter(map: CityMap): Router {
  const body = JSON.stringify(map);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const r = routes();
  r.get(
    '/',
    'sources.read',
    {
      summary: { en: 'The city map: view and district boundaries', zh: '城市地图与区县边界' },
      response: described('CityMap', 'CityMap (server/domain/city-map.ts); ETag, 304 when unchanged'),
    },
    (req, res) => {
      res.set({ ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Cookie' });
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.type('application/json').send(body);
    },
  );
  return r.router;
}
