/**
 * Ambient air quality over REST (staff only: admin, officer, ozone; issue 17).
 *
 * GET /api/air/aqi?scope=station|district|city&interval=hour|day&from&to[&district]
 *   → AqiResponse {scope, interval, from, to, rows}: per station / district / the city and per hour or
 *     local day, AQI, level, primary pollutants, each index's concentration, IAQI and validity.
 *     from/to: local dates YYYY-MM-DD, both included, default today; at most 31 days of hours or
 *     366 of days. 400 on a bad query, 503 when the telemetry store cannot be read.
 */
import type { Router } from 'express';
import { aqiQuerySchema } from '../domain/air-quality';
import { described } from '../domain/api-schemas';
import type { AirQualityService } from '../control/air-quality';
import { routes } from './access';

export function airRouter(service: AirQualityService): Router {
  const r = routes();
  r.get(
    '/aqi',
    'air.read',
    {
      summary: { en: 'AQI of stations, districts or the city, per hour or day', zh: '空气质量指数' },
      query: aqiQuerySchema,
      response: described('AqiResponse', 'AqiResponse (server/domain/air-quality.ts)'),
      refusals: [503],
    },
    async (req, res) => {
      res.json(await service.aqi(aqiQuerySchema.parse(req.query)));
    },
  );
  return r.router;
}
