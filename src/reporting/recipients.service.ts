// A campaign's per-recipient outcomes: a page for the API, or every row in pages for the CSV export.
import { getCampaignRecord } from '../campaigns/index.js';
import type { Executor as Database } from '../db/transaction.js';
import { paginate, type Page } from '../http/pagination.js';
import { findRecipients, type RecipientFilter, type RecipientRow } from './recipients.repository.js';

/** Throws NotFoundError for an unknown campaign: an export checks this before its first byte goes out. */
export async function requireCampaign(db: Database, campaignId: number): Promise<void> {
  await getCampaignRecord(db, campaignId);
}

export async function listRecipients(db: Database, campaignId: number, filter: RecipientFilter, page: Page) {
  await requireCampaign(db, campaignId);
  return paginate(await findRecipients(db, campaignId, filter, page), page.limit);
}

/**
 * Every recipient matching the filter, `pageSize` rows at a time by message id (keyset, as the API pages): each page
 * is read when the previous one has been written out, so an export never holds more than one.
 */
export async function* allRecipients(db: Database, campaignId: number, filter: RecipientFilter, pageSize = 1000): AsyncGenerator<RecipientRow[]> {
  let after: number | undefined;
  for (;;) {
    const rows = await findRecipients(db, campaignId, filter, { after, limit: pageSize });
    const page = rows.slice(0, pageSize);
    if (page.length) yield page;
    if (rows.length <= pageSize) return;
    after = page[page.length - 1].id;
  }
}
