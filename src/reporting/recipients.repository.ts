// A campaign's recipients: its ledger rows, one per audience member, with what each person did with their message
// (message_engagement, kept by the ingestion). Read a page at a time in message id order.
import type { Executor as Db } from '../db/transaction.js';
import type { Page } from '../http/pagination.js';

export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What `engaged` keeps, by the engagement column that must be set: opens and clicks are people's, never machines'. */
const ENGAGED_COLUMNS = {
  opened: 'e.first_open_human_at',
  clicked: 'e.first_click_human_at',
  replied: 'e.replied_at',
  converted: 'e.converted_at',
  unsubscribed: 'e.unsubscribed_at',
  bounced: 'e.bounced_at',
} as const;
export type Engagement = keyof typeof ENGAGED_COLUMNS;
export const ENGAGEMENTS = Object.keys(ENGAGED_COLUMNS) as Engagement[];

export interface RecipientFilter {
  status?: MessageStatus;
  engaged?: Engagement;
}

/** The page after `page.after` (a message id), with one row more than asked when there is a next page. */
export async function findRecipients(db: Db, campaignId: number, filter: RecipientFilter, page: Page) {
  let query = db
    .selectFrom('messages as m')
    .leftJoin('message_engagement as e', 'e.message_id', 'm.id')
    .select([
      'm.id', 'm.public_id', 'm.contact_id', 'm.address', 'm.channel', 'm.status', 'm.skip_reason', 'm.capped_by', 'm.sent_at', 'm.sms_encoding', 'm.sms_segments',
      'm.attempts', 'm.not_before', 'm.deferred_by',
      'e.delivered_at', 'e.bounced_at', 'e.bounce', 'e.complained_at', 'e.first_open_human_at', 'e.first_click_human_at',
      'e.first_open_machine_at', 'e.first_click_machine_at', 'e.opens_human', 'e.opens_machine', 'e.clicks_human', 'e.clicks_machine',
      'e.replied_at', 'e.replies', 'e.converted_at', 'e.conversions', 'e.revenue', 'e.unsubscribed_at',
    ])
    .where('m.campaign_id', '=', campaignId);
  if (filter.status) query = query.where('m.status', '=', filter.status);
  // The engagement row's own campaign_id (always the message's) lets the planner start from the few engaged messages.
  if (filter.engaged) query = query.where('e.campaign_id', '=', campaignId).where(ENGAGED_COLUMNS[filter.engaged], 'is not', null);
  if (page.after !== undefined) query = query.where('m.id', '>', page.after);
  return query.orderBy('m.id').limit(page.limit + 1).execute();
}

export type RecipientRow = Awaited<ReturnType<typeof findRecipients>>[number];
