// A call campaign's hand-over: each recipient still allowed (the recipients read again) is placed on the call list
// with their script, in one statement for the batch. Agents take it from there (calls.service.ts).
import { CHANNELS, type CallContent } from '../channels/index.js';
import type { RecipientRow, SentOutcome } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { placeCalls } from './calls.repository.js';

export interface CallToPlace {
  message: { id: number; public_id: string };
  recipient: RecipientRow;
  address: string;
  content: CallContent;
}

export async function placeOnCallList(
  deps: Deps,
  campaignId: number,
  calls: CallToPlace[],
  current: () => Promise<Map<number, RecipientRow>>,
  skip: (call: CallToPlace, reason: string) => void,
): Promise<SentOutcome[]> {
  const now = await current();
  const going = calls.filter((c) => {
    const row = now.get(c.recipient.id);
    if (!row || row.reason) skip(c, row?.reason ?? 'contact_deleted');
    return row && !row.reason;
  });
  const at = deps.clock();
  const placed = await placeCalls(deps.db, going.map((c) => {
    const task = CHANNELS.call.compose(c.content, { messageId: c.message.public_id, to: c.address });
    return { message_id: c.message.id, campaign_id: campaignId, contact_id: c.recipient.id, phone: task.phone, script: task.script };
  }), at);
  return going.map((c) => ({ id: c.message.id, address: c.address, provider_message_id: `call:${placed.get(c.message.id)}`, at }));
}
