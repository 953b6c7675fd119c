// Double opt-in, per topic: consent given by import or API to an email topic that asks for it stays
// "pending" until the person follows the signed link in a confirmation email. Until then, no mail.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { findContactById } from '../contacts/contacts.repository.js';
import { applyConsentChanges, type ConsentChange } from './consent.repository.js';
import {
  confirmedEmailSubscriptions, doubleOptInTopicIds, markConfirmationSent, subscriptionStatus, unconfirmedToAsk,
} from './double-opt-in.repository.js';
import { getSigningSecret } from './settings.repository.js';
import { signToken, verifyToken } from './tokens.js';

/** Email consents from import or API to double opt-in topics become pending, unless already confirmed. */
export async function requireConfirmation(trx: Transaction<DB>, changes: ConsentChange[]): Promise<ConsentChange[]> {
  const candidates = changes.filter((c) => c.channel === 'email' && c.status === 'subscribed' && (c.source === 'api' || c.source === 'import'));
  if (!candidates.length) return changes;
  const topics = await doubleOptInTopicIds(trx);
  const asking = candidates.filter((c) => topics.has(c.topicId));
  if (!asking.length) return changes;
  const confirmed = await confirmedEmailSubscriptions(trx, asking);
  return changes.map((c) =>
    asking.includes(c) && !confirmed.has(`${c.contactId}:${c.topicId}`) ? { ...c, status: 'pending' as const } : c,
  );
}

const TEXT = {
  fr: {
    subject: (topic: string) => `Confirmez votre inscription : ${topic}`,
    body: (name: string, topic: string, url: string) =>
      `<p>Bonjour ${name},</p><p>Pour recevoir « ${topic} », confirmez votre inscription :</p><p><a href="${url}">Je confirme</a></p><p>Sans confirmation, nous ne vous écrirons pas.</p>`,
  },
  en: {
    subject: (topic: string) => `Please confirm your subscription: ${topic}`,
    body: (name: string, topic: string, url: string) =>
      `<p>Hello ${name},</p><p>To receive “${topic}”, please confirm your subscription:</p><p><a href="${url}">I confirm</a></p><p>Without confirmation we will not write to you.</p>`,
  },
};

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Sends each pending double opt-in subscription its one confirmation email (no marketing, no cap). */
export async function sendConfirmations(deps: Deps, limit = 500) {
  const { db, config, clock } = deps;
  const secret = await getSigningSecret(db);
  let sent = 0;
  for (const row of await unconfirmedToAsk(db, limit)) {
    if (!(await markConfirmationSent(db, Number(row.contact_id), Number(row.topic_id), clock()))) continue;
    const id = crypto.randomUUID().replace(/-/g, '');
    const token = await signToken(secret, { purpose: 'confirm', contactId: Number(row.contact_id), messageId: id, topicId: Number(row.topic_id) });
    const url = `${config.publicUrl}/c/${token}`;
    const t = TEXT[row.locale.startsWith('en') ? 'en' : 'fr'];
    const html = t.body(escape(row.first_name ?? ''), escape(row.topic_name), url);
    await deps.email.send({
      messageId: id,
      from: config.emailFrom,
      to: { address: row.email! },
      subject: t.subject(row.topic_name),
      html,
      text: html.replace(/<a href="([^"]+)">([^<]+)<\/a>/g, '$2: $1').replace(/<[^>]+>/g, '\n').replace(/\n+/g, '\n').trim(),
      headers: {},
    });
    sent++;
  }
  return sent;
}

export async function resolveConfirmToken(db: Database, token: string) {
  const claims = await verifyToken(await getSigningSecret(db), token, 'confirm');
  if (!claims) return undefined;
  const contact = await findContactById(db, claims.contactId);
  const topic = await db.selectFrom('topics').select(['id', 'name']).where('id', '=', claims.topicId).executeTakeFirst();
  return contact && topic ? { contact, topic } : undefined;
}

/** Confirms a pending subscription. An unsubscribed one stays unsubscribed: an old link can't undo an opt-out. */
export async function confirm(db: Database, target: NonNullable<Awaited<ReturnType<typeof resolveConfirmToken>>>, request: { ip?: string; userAgent?: string }, at: Date) {
  const contactId = Number(target.contact.id);
  const topicId = Number(target.topic.id);
  const status = await subscriptionStatus(db, contactId, topicId);
  if (status !== 'pending') return status === 'subscribed';
  await db.transaction().execute((trx) =>
    applyConsentChanges(trx, [{
      contactId, channel: 'email', topicId, status: 'subscribed', source: 'double_opt_in', ip: request.ip ?? null, userAgent: request.userAgent ?? null,
    }], at),
  );
  return true;
}
