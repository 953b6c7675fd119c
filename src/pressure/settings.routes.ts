import { createRoute, z } from '@hono/zod-openapi';
import { badRequest, commonErrors, jsonBody, jsonResponse, security } from '../http/schemas.js';
import { CHANNEL_NAMES } from '../channels/index.js';
import { DEFAULT_QUIET_HOURS, WEEKDAYS } from './quiet-hours.js';

const tags = ['Settings'];
const channel = z.enum(CHANNEL_NAMES);

const PressureSchema = z
  .object({
    rules: z.array(
      z.object({
        channel,
        max: z.number().int().min(0).max(1000),
        period: z.enum(['calendar_month', 'calendar_week', 'rolling_days']),
        days: z.number().int().min(1).max(366).optional(),
      }).strict(),
    ).max(50),
  })
  .strict()
  .openapi('PressureRules', { example: { rules: [{ channel: 'sms', max: 2, period: 'calendar_month' }, { channel: 'email', max: 3, period: 'rolling_days', days: 7 }] } });

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const time = z.string().regex(HHMM, 'HH:MM');
const QuietHoursSchema = z
  .object({
    rules: z.array(
      z.object({ channel, days: z.array(z.enum(WEEKDAYS)).min(1).max(7), from: time, to: time, skip_holidays: z.boolean().default(false) })
        .strict()
        .refine((r) => !HHMM.test(r.from) || !HHMM.test(r.to) || r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    ).max(20),
  })
  .strict()
  .openapi('QuietHours', { example: { rules: DEFAULT_QUIET_HOURS } });

export const getPressureRoute = createRoute({
  method: 'get', path: '/settings/pressure', tags, security,
  summary: 'Marketing-pressure caps per channel (strictest wins); defaults SMS 2, email 12, postal 2 per calendar month',
  responses: { 200: jsonResponse(PressureSchema, 'The caps'), ...commonErrors },
});

export const putPressureRoute = createRoute({
  method: 'put', path: '/settings/pressure', tags, security, request: jsonBody(PressureSchema),
  responses: { 200: jsonResponse(PressureSchema, 'Saved'), ...badRequest, ...commonErrors },
});

export const getQuietHoursRoute = createRoute({
  method: 'get', path: '/settings/quiet-hours', tags, security,
  summary: "Send windows in the contact's time zone; default SMS Monday–Saturday 08:00–20:00, no public holidays",
  responses: { 200: jsonResponse(QuietHoursSchema, 'The windows'), ...commonErrors },
});

export const putQuietHoursRoute = createRoute({
  method: 'put', path: '/settings/quiet-hours', tags, security, summary: 'An empty list means no quiet hours', request: jsonBody(QuietHoursSchema),
  responses: { 200: jsonResponse(QuietHoursSchema, 'Saved'), ...badRequest, ...commonErrors },
});
