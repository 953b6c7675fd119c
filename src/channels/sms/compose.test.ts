// The sender an SMS goes out with: the destination country's where one is set, the default elsewhere, and the number a
// reply answers above both.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { sendersFrom } from '../index.js';
import { sms } from './index.js';

const content = { text: 'Bonjour', encoding: 'GSM-7' as const, segments: 1 };
const senders = sendersFrom(loadConfig({ SMS_FROM: 'RELAIS', SMS_FROM_BY_COUNTRY: 'CA=+15145550100, BE=RELAISBE' }));

describe('the SMS sender by country', () => {
  it('takes the country of the destination number', () => {
    expect(sms.compose(content, { messageId: 'm1', to: '+15146661234' }, senders).from).toBe('+15145550100');
    expect(sms.compose(content, { messageId: 'm2', to: '+32470123456' }, senders).from).toBe('RELAISBE');
  });

  it('falls back to SMS_FROM where the country has none', () => {
    expect(sms.compose(content, { messageId: 'm3', to: '+33612345678' }, senders).from).toBe('RELAIS');
  });

  it('a reply goes from the number it answers', () => {
    expect(sms.compose(content, { messageId: 'm4', to: '+15146661234', from: '+15145559999' }, senders).from).toBe('+15145559999');
  });

  it('refuses a malformed setting at start, naming it', () => {
    expect(() => loadConfig({ SMS_FROM_BY_COUNTRY: 'CA+1514' })).toThrow(/SMS_FROM_BY_COUNTRY/);
    expect(() => loadConfig({ SMS_FROM_BY_COUNTRY: 'FR=RELAIS,UK=RELAISUK' })).toThrow(/SMS_FROM_BY_COUNTRY: UK is not a country code/);
  });
});
