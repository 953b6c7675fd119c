import { describe, expect, it } from 'vitest';
import { createCloudflareSendQueue, isSendDescriptor, type SendDescriptor } from './send-queue.js';

describe('the Cloudflare send queue', () => {
  it('enqueues in sendBatch calls of at most 100 messages, in order', async () => {
    const calls: SendDescriptor[][] = [];
    const queue = createCloudflareSendQueue({ sendBatch: async (messages) => void calls.push([...messages].map((m) => m.body)) });
    const descriptors = Array.from({ length: 250 }, (_, i) => ({ campaign_id: 7, from_id: i * 100 + 1, to_id: i * 100 + 100 }));
    await queue.enqueue(descriptors);
    expect(calls.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(calls.flat()).toEqual(descriptors);
    await queue.enqueue([]);
    expect(calls.length).toBe(3);
  });
});

describe('isSendDescriptor', () => {
  it('takes positive integer ids with the range in order, nothing else', () => {
    expect(isSendDescriptor({ campaign_id: 1, from_id: 5, to_id: 5 })).toBe(true);
    expect(isSendDescriptor({ campaign_id: 1, from_id: 5, to_id: 9, extra: true })).toBe(true);
    for (const body of [
      null, 'x', {}, { campaign_id: 1, from_id: 9, to_id: 5 }, { campaign_id: 0, from_id: 1, to_id: 2 }, { campaign_id: 1, from_id: 1.5, to_id: 2 },
      { campaign_id: '1', from_id: 1, to_id: 2 }, { campaign_id: 1, from_id: 1 },
      // A tracking hit.
      { id: 'h1', kind: 'open', messageId: 'm', method: 'GET', at: '2026-01-01T00:00:00Z', link: null, headers: {} },
    ]) expect(isSendDescriptor(body)).toBe(false);
  });
});
