import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CERT_URL, makeCertificate, notification, recordingFetcher, subscriptionConfirmation, type TestCertificate } from '../../../test/support/sns.js';
import { canonicalString, createSnsVerifier, isSnsUrl, parseSnsMessage, pemToDer, spkiFromCertificate, type SnsMessage } from './sns.js';

let cert: TestCertificate;
beforeAll(() => {
  cert = makeCertificate();
});

describe('certificate parsing', () => {
  it('extracts the SubjectPublicKeyInfo exactly as node does', () => {
    const expected = new X509Certificate(cert.pem).publicKey.export({ type: 'spki', format: 'der' });
    expect(Buffer.from(spkiFromCertificate(pemToDer(cert.pem)))).toEqual(expected);
  });

  it('rejects what is not a certificate', () => {
    expect(() => pemToDer('hello')).toThrow();
    expect(() => spkiFromCertificate(new Uint8Array([0x30, 0x82, 0xff]))).toThrow();
    expect(() => spkiFromCertificate(new Uint8Array([0x02, 0x01, 0x00]))).toThrow();
    expect(() => spkiFromCertificate(new Uint8Array([0x30, 0x03, 0x30, 0x01, 0x02]))).toThrow();
  });
});

describe('SNS URLs', () => {
  it.each([
    ['https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-x.pem', true],
    ['https://sns.cn-north-1.amazonaws.com.cn/x.pem', true],
    ['http://sns.eu-west-3.amazonaws.com/x.pem', false],
    ['https://sns.eu-west-3.amazonaws.com.evil.example/x.pem', false],
    ['https://evil.example/sns.eu-west-3.amazonaws.com/x.pem', false],
    ['https://sns.eu-west-3.amazonaws.com:8443/x.pem', false],
    ['https://user@sns.eu-west-3.amazonaws.com/x.pem', false],
    ['https://s3.amazonaws.com/x.pem', false],
    ['https://169.254.169.254/latest/meta-data', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => expect(isSnsUrl(url)).toBe(ok));
});

describe('canonical string', () => {
  it('follows the AWS key order, with Subject only when present', () => {
    const base = { MessageId: 'id', TopicArn: 'arn', Message: 'msg', Timestamp: 'ts', SignatureVersion: '1', Signature: 's', SigningCertURL: 'u' } as const;
    expect(canonicalString({ ...base, Type: 'Notification' })).toBe('Message\nmsg\nMessageId\nid\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n');
    expect(canonicalString({ ...base, Type: 'Notification', Subject: 'subj' })).toBe(
      'Message\nmsg\nMessageId\nid\nSubject\nsubj\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n',
    );
    expect(canonicalString({ ...base, Type: 'SubscriptionConfirmation', SubscribeURL: 'sub', Token: 'tok' })).toBe(
      'Message\nmsg\nMessageId\nid\nSubscribeURL\nsub\nTimestamp\nts\nToken\ntok\nTopicArn\narn\nType\nSubscriptionConfirmation\n',
    );
  });

  it('parses envelopes and names what is missing', () => {
    expect(parseSnsMessage('{')).toEqual({ error: 'The body is not JSON' });
    expect(parseSnsMessage('{"Type":"Notification"}')).toMatchObject({ error: expect.stringContaining('MessageId') });
    const sub = subscriptionConfirmation('https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription', cert.privateKey);
    expect(parseSnsMessage(JSON.stringify({ ...sub, Token: undefined }))).toEqual({ error: 'SubscriptionConfirmation needs Token and SubscribeURL' });
  });
});

describe('signature verification', () => {
  it('accepts SignatureVersion 1 and 2, with and without Subject, and fetches the certificate once', async () => {
    const { fetcher, calls } = recordingFetcher({ [CERT_URL]: cert.pem });
    const verify = createSnsVerifier(fetcher);
    expect(await verify(notification({ a: 1 }, cert.privateKey, { SignatureVersion: '1' }))).toBe(true);
    expect(await verify(notification({ a: 2 }, cert.privateKey, { SignatureVersion: '2', Subject: 'Amazon SES Email Event Notification' }))).toBe(true);
    expect(await verify(notification({ a: 3 }, cert.privateKey))).toBe(true);
    expect(await verify(subscriptionConfirmation('https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription', cert.privateKey))).toBe(true);
    expect(calls).toEqual([CERT_URL, CERT_URL]); // one per hash algorithm, then cached
  });

  it('rejects a tampered message, another key, a signature of the wrong version and garbage', async () => {
    const other = makeCertificate();
    const { fetcher } = recordingFetcher({ [CERT_URL]: cert.pem });
    const verify = createSnsVerifier(fetcher);
    const good = notification({ eventType: 'Bounce' }, cert.privateKey);
    const tampered: SnsMessage = { ...good, Message: good.Message.replace('Bounce', 'Delivery') };
    expect(await verify(tampered)).toBe(false);
    expect(await verify({ ...good, Subject: 'added' })).toBe(false);
    expect(await verify(notification({}, other.privateKey))).toBe(false);
    expect(await verify({ ...good, SignatureVersion: '1' })).toBe(false);
    expect(await verify({ ...good, Signature: '!!!' })).toBe(false);
    expect(await verify({ ...good, Signature: 'AAAA' })).toBe(false);
  });

  it('treats an unreadable certificate as a failed signature and never fetches a foreign URL', async () => {
    const { fetcher, calls } = recordingFetcher({ [CERT_URL]: 'not a certificate' });
    const verify = createSnsVerifier(fetcher);
    expect(await verify(notification({}, cert.privateKey))).toBe(false);
    expect(await verify(notification({}, cert.privateKey, { SigningCertURL: 'https://evil.example/x.pem' }))).toBe(false);
    expect(calls).toEqual([CERT_URL]);
  });
});
