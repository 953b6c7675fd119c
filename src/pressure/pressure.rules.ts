// Marketing-pressure caps: at most N messages per contact and channel in a period, across all campaigns.
import { CHANNEL_NAMES, CHANNELS, type ChannelName } from '../channels/index.js';
import { startOfMonth, startOfNextMonth, startOfNextWeek, startOfWeek } from './time-windows.js';

export const PRESSURE_CHANNELS = CHANNEL_NAMES;
export type PressureChannel = ChannelName;
export type Period = 'calendar_month' | 'calendar_week' | 'rolling_days';
export type Priority = 'high' | 'normal' | 'low';

export interface PressureRule {
  channel: PressureChannel;
  max: number;
  period: Period;
  days?: number;
}

/** Each channel's own default cap (SMS 2, email 12, postal 2 per calendar month). */
export const DEFAULT_PRESSURE_RULES: PressureRule[] = CHANNEL_NAMES.map((channel) => ({ channel, ...CHANNELS[channel].defaultCap }));

export function describeRule(r: PressureRule): string {
  const period = r.period === 'rolling_days' ? `${r.days} days` : r.period === 'calendar_week' ? 'calendar week' : 'calendar month';
  return `${r.channel}: ${r.max} per ${period}`;
}

/** When the rule's current window began for a contact in `timeZone`. */
export function windowStart(rule: PressureRule, timeZone: string, now: Date): Date {
  if (rule.period === 'calendar_month') return startOfMonth(timeZone, now);
  if (rule.period === 'calendar_week') return startOfWeek(timeZone, now);
  // A send exactly `days` old has left the window (reopensAt returns that instant), hence the millisecond.
  return new Date(now.getTime() - (rule.days ?? 30) * 86_400_000 + 1);
}

/**
 * When a capped contact may receive again under this rule. For rolling windows that is when the oldest
 * send that keeps the count at the message's allowance (`allow`, see allowance()) leaves the window.
 */
export function reopensAt(rule: PressureRule, timeZone: string, now: Date, countedTimes: Date[], allow = rule.max): Date {
  if (rule.period === 'calendar_month') return startOfNextMonth(timeZone, now);
  if (rule.period === 'calendar_week') return startOfNextWeek(timeZone, now);
  const sorted = countedTimes.map((d) => d.getTime()).sort((a, b) => a - b);
  const oldestBlocking = sorted[Math.max(0, sorted.length - allow)] ?? now.getTime();
  return new Date(oldestBlocking + (rule.days ?? 30) * 86_400_000);
}

/** Low-priority messages leave the last slot of a window to normal and high priority ones. */
export function allowance(rule: PressureRule, priority: Priority): number {
  return priority === 'low' ? Math.max(0, rule.max - 1) : rule.max;
}
