// Amazon SNS HTTP messages: parsing, the canonical string AWS signs, and signature verification with Web Crypto
// (Node and workerd alike; no X.509 library, so a minimal DER walker pulls the public key out of the certificate).
import { z } from 'zod';

export type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

const envelopeSchema = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1).max(200),
  TopicArn: z.string().min(1).max(1000),
  Message: z.string(),
  Timestamp: z.string().min(1),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1),
  Subject: z.string().nullish(),
  Token: z.string().optional(),
  SubscribeURL: z.string().optional(),
  UnsubscribeURL: z.string().optional(),
});

export type SnsMessage = z.infer<typeof envelopeSchema>;

/** The SNS envelope from a request body, or a reason it is not one. */
export function parseSnsMessage(body: string): { message: SnsMessage } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: 'The body is not JSON' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return { error: `Not an SNS message: ${parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ')}` };
  const m = parsed.data;
  if (m.Type !== 'Notification' && (!m.Token || !m.SubscribeURL)) return { error: `${m.Type} needs Token and SubscribeURL` };
  return { message: m };
}

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Only https://sns.<region>.amazonaws.com(.cn) on the default port: anything else in a body is an SSRF vector. */
export function isSnsUrl(raw: string | undefined): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.port === '' && !url.username && !url.password && SNS_HOST.test(url.hostname);
}

/** The string AWS signs: "Key\nValue\n" for each signed key present, in this order. */
export function canonicalString(m: SnsMessage): string {
  const keys =
    m.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  let s = '';
  for (const key of keys) {
    const value = m[key];
    if (typeof value === 'string') s += `${key}\n${value}\n`;
  }
  return s;
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  try {
    return Uint8Array.from(atob(clean), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

interface Tlv {
  tag: number;
  start: number; // first byte of the header
  body: number; // first byte of the content
  end: number; // one past the last content byte
}

function readTlv(der: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new Error('truncated DER');
  const tag = der[at];
  if ((tag & 0x1f) === 0x1f) throw new Error('multi-byte DER tags are not used in certificates');
  let len = der[at + 1];
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4 || body + n > limit) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[body + i];
    body += n;
  }
  if (body + len > limit) throw new Error('truncated DER');
  return { tag, start: at, body, end: body + len };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; at = out[out.length - 1].end) out.push(readTlv(der, at, parent.end));
  return out;
}

/**
 * SubjectPublicKeyInfo (DER) of an X.509 certificate: Certificate → tbsCertificate → [version], serial, signature,
 * issuer, validity, subject, subjectPublicKeyInfo.
 */
export function spkiFromCertificate(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const SEQUENCE = 0x30;
  const cert = readTlv(der, 0, der.length);
  if (cert.tag !== SEQUENCE) throw new Error('not a certificate');
  const tbs = children(der, cert)[0];
  if (!tbs || tbs.tag !== SEQUENCE) throw new Error('not a certificate');
  const fields = children(der, tbs);
  const rest = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  const spki = rest[5];
  if (!spki || spki.tag !== SEQUENCE) throw new Error('certificate has no public key');
  return der.slice(spki.start, spki.end);
}

/** The DER bytes of the first certificate in a PEM text. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  const der = m ? fromBase64(m[1]) : undefined;
  if (!der?.length) throw new Error('not a PEM certificate');
  return der;
}

type Hash = 'SHA-1' | 'SHA-256';
export const signatureHash = (m: SnsMessage): Hash => (m.SignatureVersion === '1' ? 'SHA-1' : 'SHA-256');

export class CertificateUnavailableError extends Error {
  override name = 'CertificateUnavailableError';
}

/**
 * Verifies SNS signatures, fetching each signing certificate once (the cache lives as long as this verifier).
 * The caller must have checked the SigningCertURL with isSnsUrl: this never fetches anything else.
 */
export function createSnsVerifier(fetcher: Fetcher = (input, init) => fetch(input, init)) {
  const keys = new Map<string, Promise<CryptoKey>>();

  async function load(url: string, hash: Hash): Promise<CryptoKey> {
    let res: Response;
    try {
      res = await fetcher(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new CertificateUnavailableError(`Could not fetch ${url}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new CertificateUnavailableError(`Fetching ${url} answered ${res.status}`);
    const spki = spkiFromCertificate(pemToDer(await res.text()));
    return crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
  }

  function key(url: string, hash: Hash) {
    const id = `${hash} ${url}`;
    let p = keys.get(id);
    if (!p) {
      if (keys.size >= 32) keys.clear(); // AWS rotates rarely; bound the cache anyway
      p = load(url, hash);
      keys.set(id, p);
      p.catch(() => keys.delete(id)); // a failed fetch is retried on the next message
    }
    return p;
  }

  /** True when the signature is SNS's; throws CertificateUnavailableError when the certificate cannot be had. */
  return async function verify(m: SnsMessage): Promise<boolean> {
    if (!isSnsUrl(m.SigningCertURL)) return false;
    const signature = fromBase64(m.Signature);
    if (!signature) return false;
    let k: CryptoKey;
    try {
      k = await key(m.SigningCertURL, signatureHash(m));
    } catch (err) {
      if (err instanceof CertificateUnavailableError) throw err;
      return false; // a certificate we cannot read cannot vouch for anything
    }
    return crypto.subtle.verify('RSASSA-PKCS1-v1_5', k, signature, new TextEncoder().encode(canonicalString(m)));
  };
}

export type SnsVerifier = ReturnType<typeof createSnsVerifier>;
