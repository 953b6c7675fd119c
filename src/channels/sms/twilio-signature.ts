// Twilio webhook signatures (X-Twilio-Signature) and constant-time secret checks, with Web Crypto only
// so the same code runs on Node and workerd.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security

const encoder = new TextEncoder();

/**
 * What Twilio signs for a form POST: the full URL it called, then every POST parameter's name and value,
 * sorted by name (and by value for a repeated name, as Twilio's own libraries do).
 */
export function twilioSignedPayload(url: string, params: Iterable<[string, string]>): string {
  const pairs = [...params].sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return url + pairs.map(([k, v]) => k + v).join('');
}

async function hmacSha1Key(authToken: string) {
  return crypto.subtle.importKey('raw', encoder.encode(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign', 'verify']);
}

/** base64(HMAC-SHA1(authToken, url + sorted params)): the value Twilio puts in X-Twilio-Signature. */
export async function twilioSignature(authToken: string, url: string, params: Iterable<[string, string]>): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacSha1Key(authToken), encoder.encode(twilioSignedPayload(url, params))));
  let s = '';
  for (const b of mac) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
  try {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** True when `signature` is Twilio's for this URL and parameters. subtle.verify compares in constant time. */
export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  signature: string | undefined | null,
): Promise<boolean> {
  if (!authToken || !signature) return false;
  const given = fromBase64(signature.trim());
  if (!given || given.length !== 20) return false;
  return crypto.subtle.verify('HMAC', await hmacSha1Key(authToken), given, encoder.encode(twilioSignedPayload(url, params)));
}

/**
 * Compares two secrets without leaking, through timing, where they differ or how long the expected one is:
 * both are hashed first, so the loop always runs over 32 bytes.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([given, expected].map(async (s) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(s)))));
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0 && expected.length > 0;
}
