/**
 * Ambient air quality over REST (staff only: admin, officer, ozone; issue 17).
 *
 * GET /api/air/aqi?scope=station|district|city&interval=hour|day&from&to[&district]
 *   → AqiResponse {scope, interval, from, to, rows}: per station / district / the city and per hour or
 *     local day, AQI, level, primary pollutants, each index's concentration, IAQI and validity.
 *     from/to: local dates YYYY-MM-DD, both included, default today; at most 31 days of hours or
 *     366 of days. 400 on a bad query, 503 when the telemetry store cannot be read.
 * GET /api/air/assessment?period=YYYY|YYYY-MM|aw-YYYY|YYYY-MM-DD..YYYY-MM-DD&scope=city|district
 *   → AssessmentResponse: good-day and heavy-day ratios, period means, CO p95 and O3-8h p90 with
 *     HJ 663 validity, against the targets, year on year; autumn–winter: the required path.
 * GET /api/air/bulletin?month=YYYY-MM&format=json|xlsx&lang=zh|en
 *   → BulletinResponse, or the same as an XLSX download: the districts ranked by the month's PM2.5
 *     mean with behind-schedule marks.
 */
import type { Router } from 'express';
import { aqiQuerySchema } from '../domain/air-quality';
import { described } from '../domain/api-schemas';
import { assessmentQuerySchema, bulletinQuerySchema } from '../domain/assessment-api';
import type { AirAssessmentService } from '../control/air-assessment';
import type { AirQualityService } from '../control/air-quality';
import { toXlsx } from '../reports/report-export';
import { bulletinTable } from '../reports/bulletin-table';
import { routes } from './access';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function airRouter(service: AirQualityService, assessment: AirAssessmentService, cityName: string): Router {
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
  r.get(
    '/assessment',
    'air.read',
    {
      summary: { en: 'Assessment of the city or its districts over a period against targets', zh: '环境空气质量评估' },
      query: assessmentQuerySchema,
      response: described('AssessmentResponse', 'AssessmentResponse (server/domain/assessment-api.ts)'),
      refusals: [503],
    },
    async (req, res) => {
      res.json(await assessment.assessment(assessmentQuerySchema.parse(req.query)));
    },
  );
  r.get(
    '/bulletin',
    'air.read',
    {
      summary: { en: 'Monthly bulletin: districts ranked by PM2.5, behind-schedule marks', zh: '空气质量月度通报' },
      query: bulletinQuerySchema,
      response: described('BulletinResponse', 'BulletinResponse (server/domain/assessment-api.ts)'),
      files: [XLSX],
      refusals: [503],
    },
    async (req, res) => {
      const q = bulletinQuerySchema.parse(req.query);
      const body = await assessment.bulletin(q.month);
      if (q.format === 'json') {
        res.json(body);
        return;
      }
      res.setHeader('content-type', XLSX);
      res.setHeader('content-disposition', `attachment; filename="o3s-air-bulletin-${q.month}.xlsx"`);
      res.send(await toXlsx(bulletinTable(body, q.lang, cityName), q.lang));
    },
  );
  return r.router;
}
