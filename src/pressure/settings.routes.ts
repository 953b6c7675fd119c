import { createRoute, z } from '@hono/zod-openapi';
import { exampleBody, exampleResponse } from '../http/examples.js';
import { badRequest, commonErrors, security } from '../http/schemas.js';
import { CHANNEL_NAMES } from '../channels/index.js';
import { DEFAULT_PRESSURE_RULES } from './pressure.rules.js';
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
      z.object({
        channel, days: z.array(z.enum(WEEKDAYS)).min(1).max(7), from: time, to: time,
        breaks: z.array(z.object({ from: time, to: time }).strict().refine((b) => !HHMM.test(b.from) || !HHMM.test(b.to) || b.from < b.to, { message: 'from must be before to', path: ['to'] }))
          .max(4).optional().openapi({ description: 'Times inside the window when nothing goes, such as 13:00–14:00 for calls' }),
        skip_holidays: z.boolean().default(false),
      })
        .strict()
        .refine((r) => !HHMM.test(r.from) || !HHMM.test(r.to) || r.from < r.to, { message: 'from must be before to', path: ['to'] }),
    ).max(20),
  })
  .strict()
  .openapi('QuietHours', { example: { rules: DEFAULT_QUIET_HOURS } });

const pressureExample: z.input<typeof PressureSchema> = {
  rules: [{ channel: 'sms', max: 2, period: 'calendar_month' }, { channel: 'email', max: 3, period: 'rolling_days', days: 7 }],
};

export const getPressureRoute = createRoute({
  method: 'get', path: '/settings/pressure', tags, security,
  summary: 'Get the marketing-pressure caps',
  description:
    'The most marketing messages a contact may get on a channel in a window: a calendar month or week in the contact\'s ' +
    'time zone (weeks start on Monday), or a number of rolling days, counted across all campaigns. On a channel with ' +
    'several rules the strictest wins, and a contact\'s own frequency choice adds a stricter one. Defaults: SMS 2, email ' +
    '12, postal 2 per calendar month; transactional campaigns ignore caps.',
  responses: { 200: exampleResponse(PressureSchema, 'The caps', { rules: DEFAULT_PRESSURE_RULES }), ...commonErrors },
});

export const putPressureRoute = createRoute({
  method: 'put', path: '/settings/pressure', tags, security,
  summary: 'Replace the marketing-pressure caps',
  description:
    'Admins only. The whole list is replaced; an empty list removes every cap. rolling_days needs `days`, and only it ' +
    'takes them (422 otherwise). Recorded in the audit log.',
  request: exampleBody(PressureSchema, pressureExample),
  responses: { 200: exampleResponse(PressureSchema, 'Saved', pressureExample), ...badRequest, ...commonErrors },
});

export const getQuietHoursRoute = createRoute({
  method: 'get', path: '/settings/quiet-hours', tags, security,
  summary: 'Get the quiet hours',
  description:
    'When marketing messages may go out, per channel: days of the week and a time window in the contact\'s time zone, ' +
    'and with skip_holidays not on the public holidays of the contact\'s country. A message due outside its window is ' +
    'deferred to the next opening, not dropped; a channel without a rule sends at any time. Default: SMS Monday to ' +
    'Saturday 08:00–20:00, calls Monday to Friday 10:00–20:00 with a break 13:00–14:00, neither on public holidays; ' +
    'transactional campaigns ignore quiet hours.',
  responses: { 200: exampleResponse(QuietHoursSchema, 'The windows', { rules: DEFAULT_QUIET_HOURS }), ...commonErrors },
});

const quietExample: z.output<typeof QuietHoursSchema> = {
  rules: [...DEFAULT_QUIET_HOURS, { channel: 'email', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '22:00', skip_holidays: false }],
};

export const putQuietHoursRoute = createRoute({
  method: 'put', path: '/settings/quiet-hours', tags, security,
  summary: 'Replace the quiet hours',
  description:
    'Admins only. The whole list is replaced; an empty list means no quiet hours. Times are HH:MM (`to` may be 24:00) ' +
    'and `from` must be before `to`. Recorded in the audit log.',
  request: exampleBody(QuietHoursSchema, quietExample),
  responses: { 200: exampleResponse(QuietHoursSchema, 'Saved', quietExample), ...badRequest, ...commonErrors },
});
