// A stand-in for SNS in tests: a self-signed certificate made with the openssl CLI, messages signed like SNS signs
// them, and a fetcher that serves the certificate and records every URL it is asked for.
import { execFileSync } from 'node:child_process';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalString, type SnsMessage } from '../../src/channels/email/sns.js';

export interface TestCertificate {
  pem: string;
  privateKey: KeyObject;
}

export function makeCertificate(): TestCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'sns-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const pem = execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-days', '2', '-subj', '/CN=sns.amazonaws.com'], { encoding: 'utf8' });
    return { pem, privateKey };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CERT_URL = 'https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-test.pem';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-3:123456789012:ses-events';

export function sign(m: Omit<SnsMessage, 'Signature'>, key: KeyObject): SnsMessage {
  const signer = createSign(m.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
  signer.update(canonicalString(m as SnsMessage));
  return { ...m, Signature: signer.sign(key, 'base64') } as SnsMessage;
}

let seq = 0;

/** A signed Notification carrying `message` (an SES event object). */
export function notification(
  event: unknown,
  key: KeyObject,
  overrides: Partial<SnsMessage> = {},
): SnsMessage {
  return sign(
    {
      Type: 'Notification',
      MessageId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
      TopicArn: TOPIC_ARN,
      Message: JSON.stringify(event),
      Timestamp: '2026-03-02T10:00:00.000Z',
      SignatureVersion: '2',
      SigningCertURL: CERT_URL,
      UnsubscribeURL: 'https://sns.eu-west-3.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x',
      ...overrides,
    },
    key,
  );
}

export function subscriptionConfirmation(subscribeUrl: string, key: KeyObject, overrides: Partial<SnsMessage> = {}): SnsMessage {
  return sign(
    {
      Type: 'SubscriptionConfirmation',
      MessageId: `sub-${++seq}`,
      Token: 'token-123',
      TopicArn: TOPIC_ARN,
      Message: 'You have chosen to subscribe to the topic. To confirm the subscription, visit the SubscribeURL included in this message.',
      SubscribeURL: subscribeUrl,
      Timestamp: '2026-03-02T10:00:00.000Z',
      SignatureVersion: '1',
      SigningCertURL: CERT_URL,
      ...overrides,
    },
    key,
  );
}

/** Serves `certs` by URL (404 otherwise) and 200 for anything else it is asked; records every call. */
export function recordingFetcher(certs: Record<string, string>) {
  const calls: string[] = [];
  const fetcher = async (input: string) => {
    calls.push(input);
    if (input in certs) return new Response(certs[input], { status: 200 });
    if (input.endsWith('.pem')) return new Response('not found', { status: 404 });
    return new Response('<ConfirmSubscriptionResponse/>', { status: 200 });
  };
  return { fetcher, calls };
}

export const bounceEvent = (bounceType: 'Permanent' | 'Transient' | 'Undetermined', ...emails: string[]) => ({
  eventType: 'Bounce',
  bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: emails.map((emailAddress) => ({ emailAddress })), timestamp: '2026-03-02T10:00:00.000Z' },
  mail: { messageId: 'ses-1', destination: emails },
});

export const deliveryEvent = (...emails: string[]) => ({
  eventType: 'Delivery',
  delivery: { recipients: emails, timestamp: '2026-03-02T10:00:00.000Z', smtpResponse: '250 ok' },
  mail: { messageId: 'ses-2', destination: emails },
});

export const complaintEvent = (...emails: string[]) => ({
  notificationType: 'Complaint',
  complaint: { complainedRecipients: emails.map((emailAddress) => ({ emailAddress })), complaintFeedbackType: 'abuse' },
  mail: { messageId: 'ses-3', destination: emails },
});
