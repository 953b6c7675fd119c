import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretsEqual, twilioSignature, verifyTwilioSignature } from './twilio-signature.js';

// The worked example of Twilio's webhook security guide.
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params: Array<[string, string]> = [
  ['To', '+18005551212'], ['CallSid', 'CA1234567890ABCDE'], ['Digits', '1234'], ['From', '+12349013030'], ['Caller', '+12349013030'],
];

describe('Twilio signatures', () => {
  it('match the documented example, whatever the parameter order', async () => {
    expect(await twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(await verifyTwilioSignature('12345', url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
  });

  it('match node:crypto computing the documented algorithm independently', async () => {
    const p: Array<[string, string]> = [['Body', 'Arrêt 🙏 & co=1'], ['From', '+33612345678'], ['MessageSid', 'SM1'], ['AccountSid', 'AC1']];
    const data = 'https://x.test/webhooks/sms' + [...p].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => k + v).join('');
    const expected = createHmac('sha1', 'tok').update(data, 'utf8').digest('base64');
    expect(await twilioSignature('tok', 'https://x.test/webhooks/sms', p)).toBe(expected);
  });

  it('refuse a tampered parameter, another URL, another token, a truncated or missing signature', async () => {
    const sig = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    const tampered = params.map(([k, v]): [string, string] => [k, k === 'Digits' ? '9999' : v]);
    expect(await verifyTwilioSignature('12345', url, tampered, sig)).toBe(false);
    expect(await verifyTwilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=3', params, sig)).toBe(false);
    expect(await verifyTwilioSignature('54321', url, params, sig)).toBe(false);
    expect(await verifyTwilioSignature('12345', url, params, sig.slice(0, -2))).toBe(false);
    expect(await verifyTwilioSignature('12345', url, params, 'not base64!')).toBe(false);
    expect(await verifyTwilioSignature('12345', url, params, undefined)).toBe(false);
    expect(await verifyTwilioSignature('', url, params, sig)).toBe(false);
  });
});

describe('secretsEqual', () => {
  it('is true only for the same non-empty secret', async () => {
    expect(await secretsEqual('s3cret-value', 's3cret-value')).toBe(true);
    expect(await secretsEqual('s3cret-valuf', 's3cret-value')).toBe(false);
    expect(await secretsEqual('s3cret', 's3cret-value')).toBe(false);
    expect(await secretsEqual('', '')).toBe(false);
  });
});
