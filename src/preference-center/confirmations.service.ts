// Double opt-in confirmations: one email per pending subscription, with a signed link to /c/{token}. Queued in
// the ledger in the same transaction that claims the subscription, so it is sent once, and a crash before the
// hand-over leaves it pending for the next run instead of marking it sent unsent.
import { claimConfirmation, confirmSubscription, findTopic, topicName, unconfirmedToAsk } from '../consent/index.js';
import { findContactById } from '../contacts/index.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { deliverSystemMessages, queueSystemMessage } from '../delivery/index.js';
import type { Deps } from '../deps.js';
import { langOf, messages } from '../i18n/index.js';
import { getSigningSecret, readLinkToken, signedLink } from '../links/index.js';
import { suppressedSet } from '../suppressions/index.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * Queues and sends each pending double opt-in subscription its one confirmation email (no marketing, no cap).
 * A suppressed address (hard bounce, complaint) is not written to. Returns how many were queued.
 */
export async function sendConfirmations(deps: Deps, limit = 500) {
  const { db, config, clock } = deps;
  const secret = await getSigningSecret(db);
  const rows = await unconfirmedToAsk(db, limit);
  const suppressed = await suppressedSet(db, 'email', rows.map((r) => r.email!));
  const queued: number[] = [];
  for (const row of rows) {
    const contactId = Number(row.contact_id);
    const topicId = Number(row.topic_id);
    const id = await inTransaction(db, async (trx) => {
      if (!(await claimConfirmation(trx, contactId, topicId, clock()))) return undefined;
      if (suppressed.has(row.email!)) return undefined;
      return queueSystemMessage(trx, {
        purpose: 'confirmation', channel: 'email', contactId, address: row.email!,
        async render(publicId) {
          const url = await signedLink(secret, config.publicUrl, { purpose: 'confirm', contactId, messageId: publicId, topicId });
          const lang = langOf(row.locale);
          const t = messages(lang).confirmationEmail;
          const topic = topicName({ name: row.topic_name, names: row.topic_names }, lang);
          const html = t.body(escape(row.first_name ?? ''), escape(topic), url);
          const text = html.replace(/<a href="([^"]+)">([^<]+)<\/a>/g, '$2: $1').replace(/<[^>]+>/g, '\n').replace(/\n+/g, '\n').trim();
          return { subject: t.subject(topic), html, text };
        },
      }, clock());
    });
    if (id !== undefined) queued.push(id);
  }
  if (queued.length) await deliverSystemMessages(deps, queued);
  return queued.length;
}

export async function resolveConfirmToken(db: Database, token: string) {
  const claims = await readLinkToken(db, token, 'confirm');
  if (!claims) return undefined;
  const contact = await findContactById(db, claims.contactId);
  const topic = await findTopic(db, claims.topicId);
  return contact && topic ? { contact, topic } : undefined;
}

/** Confirms a pending subscription. An unsubscribed one stays unsubscribed: an old link can't undo an opt-out. */
export async function confirm(db: Database, target: NonNullable<Awaited<ReturnType<typeof resolveConfirmToken>>>, request: { ip?: string; userAgent?: string }, at: Date) {
  return confirmSubscription(db, { contactId: Number(target.contact.id), topicId: Number(target.topic.id) }, request, at);
}
