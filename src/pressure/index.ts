// Marketing pressure: caps per contact and channel across campaigns, and quiet hours in the contact's zone.
export { allowance, DEFAULT_PRESSURE_RULES, describeRule, windowStart, PRESSURE_CHANNELS, type PressureRule, type Priority } from './pressure.rules.js';
export {
  capsFor, contactFrequencies, contactFrequencyChoices, previewPressure, setContactFrequency, pressureRules, quietHoursRules, releaseSlots, reserveSlots, setPressureRules,
  type ContactPreference, type SlotRequest, type PressurePreview, type SlotVerdict,
} from './pressure.service.js';

export { createHolidayCalendar, DEFAULT_QUIET_HOURS, nextOpening, WEEKDAYS, type HolidayCalendar, type QuietHoursRule } from './quiet-hours.js';
export { settingsRouter as pressureSettingsRouter } from './settings.handlers.js';
export * as pressureSettingsRoutes from './settings.routes.js';
export { localParts } from './time-windows.js';
