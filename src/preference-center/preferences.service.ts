// The preference center: what a person receives, on which channel, how often, and their rights.
import { writeAudit } from '../audit/index.js';
import { CHANNEL_NAMES, postsToEndpoint, type ChannelName } from '../channels/index.js';
import { applyConsentChanges, recordConsent, setPausedUntil, topicName, topicsWithStatus, type ConsentChange } from '../consent/index.js';
import { addressOf, findContactById, setNameAndLanguage } from '../contacts/index.js';
import { inTransaction, type Executor as Database } from '../db/transaction.js';
import { unstorableText } from '../http/storable.js';
import { langOf } from '../i18n/index.js';
import { findMessageByPublicId } from '../delivery/index.js';
import { readLinkToken } from '../links/index.js';
import { contactFrequencyChoices, setContactFrequency } from '../pressure/index.js';

export const FREQUENCIES = {
  none: undefined,
  '1w': { max: 1, period: 'calendar_week' },
  '2m': { max: 2, period: 'calendar_month' },
  '1m': { max: 1, period: 'calendar_month' },
} as const;
export type Frequency = keyof typeof FREQUENCIES;

export const PAUSE_DAYS = [30, 60, 90] as const;

export async function resolvePreferencesToken(db: Database, token: string) {
  const claims = await readLinkToken(db, token, 'preferences');
  if (!claims) return undefined;
  const message = await findMessageByPublicId(db, claims.messageId);
  if (!message || Number(message.contact_id) !== claims.contactId) return undefined;
  return findContactById(db, claims.contactId);
}

export type PreferenceContact = NonNullable<Awaited<ReturnType<typeof resolvePreferencesToken>>>;

/** Channels the person can be reached on: a topic row is shown only for those. */
export function reachableChannels(contact: PreferenceContact): ChannelName[] {
  return CHANNEL_NAMES.filter((c) => addressOf(contact, c) !== null);
}

export async function preferencesModel(db: Database, contact: PreferenceContact, now: Date) {
  const rows = await topicsWithStatus(db, Number(contact.id), now);
  // A channel every contact can be reached on (a webhook) is shown only to those who have a subscription on it.
  const channels = reachableChannels(contact).filter((c) => !postsToEndpoint(c) || rows.some((r) => r.channel === c));
  const topics = new Map<number, { id: number; name: string; status: Record<string, string> }>();
  for (const r of rows) {
    const t = topics.get(Number(r.topic_id)) ?? { id: Number(r.topic_id), name: topicName(r, langOf(contact.locale)), status: {} };
    // A pause that is over reads as subscribed: the one definition of "subscribed now" says so.
    if (r.channel && r.status) t.status[r.channel] = r.subscribed_now ? 'subscribed' : r.status;
    topics.set(t.id, t);
  }
  const prefs = await contactFrequencyChoices(db, Number(contact.id));
  const frequency: Record<string, Frequency> = {};
  for (const p of prefs) {
    const found = (Object.entries(FREQUENCIES) as Array<[Frequency, (typeof FREQUENCIES)[Frequency]]>).find(
      ([, f]) => f && f.max === p.max_messages && f.period === p.period,
    );
    if (found) frequency[p.channel] = found[0];
  }
  const pausedUntil = rows.find((r) => r.status === 'paused' && r.paused_until && new Date(r.paused_until) > now)?.paused_until ?? null;
  return { channels, topics: [...topics.values()], frequency, pausedUntil };
}

export type PreferencesModel = Awaited<ReturnType<typeof preferencesModel>>;

type Form = Record<string, string | File | (string | File)[]>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export interface RequestInfo {
  ip?: string;
  userAgent?: string;
}

/** Applies one submitted form. Every consent change appends a record with source 'preference_center'. */
export async function applyPreferences(db: Database, contact: PreferenceContact, form: Form, request: RequestInfo, at: Date): Promise<string> {
  const id = Number(contact.id);
  const action = str(form.action) ?? 'save';
  const model = await preferencesModel(db, contact, at);
  const change = (channel: ChannelName, topicId: number, status: ConsentChange['status']): ConsentChange => ({
    contactId: id, channel, topicId, status, source: 'preference_center', ip: request.ip ?? null, userAgent: request.userAgent?.slice(0, 500) ?? null,
  });
  const current = model.topics.flatMap((t) => Object.entries(t.status).map(([channel, status]) => ({ topicId: t.id, channel: channel as ChannelName, status })));

  if (action === 'unsubscribe_all') {
    await recordConsent(db, current.map((s) => change(s.channel, s.topicId, 'unsubscribed')), at);
    return 'unsubscribed_all';
  }
  const pause = PAUSE_DAYS.find((d) => action === `pause_${d}`);
  if (pause) {
    const until = new Date(at.getTime() + pause * 86_400_000);
    await inTransaction(db, async (trx) => {
      await applyConsentChanges(trx, current.filter((s) => s.status === 'subscribed').map((s) => change(s.channel, s.topicId, 'paused')), at);
      await setPausedUntil(trx, id, until);
    });
    return 'paused';
  }
  if (action === 'erase') {
    await writeAudit(db, { actor: 'contact', action: 'erasure.requested', subject: `contact:${id}`, details: { via: 'preference_center' } }, at);
    return 'erasure_requested';
  }

  // Save: name and language, subscriptions shown on the page, and frequency per channel. A field that cannot be
  // used is left as it was and the rest is saved: a name that cannot be stored is named in the outcome; a choice the
  // page never offers (a forged form) is ignored.
  const first = nameField(form.first_name, contact.first_name);
  const last = nameField(form.last_name, contact.last_name);
  // Keep the region (fr-CA stays fr-CA) when the language does not change.
  const lang = str(form.locale);
  const locale = lang !== 'fr' && lang !== 'en' ? contact.locale : contact.locale.startsWith(lang) ? contact.locale : lang;
  const changes: ConsentChange[] = [];
  for (const topic of model.topics) {
    for (const channel of model.channels) {
      const wanted = form[`sub:${topic.id}:${channel}`] !== undefined;
      const now = topic.status[channel];
      if (wanted && now !== 'subscribed') changes.push(change(channel, topic.id, 'subscribed'));
      if (!wanted && (now === 'subscribed' || now === 'paused')) changes.push(change(channel, topic.id, 'unsubscribed'));
    }
  }
  await inTransaction(db, async (trx) => {
    await setNameAndLanguage(trx, id, { first_name: first.value, last_name: last.value, locale }, at);
    await applyConsentChanges(trx, changes, at);
    for (const channel of model.channels) {
      const choice = frequencyChoice(form[`freq:${channel}`]);
      if (choice) await setContactFrequency(trx, id, channel, FREQUENCIES[choice]);
    }
  });
  return first.refused || last.refused ? 'saved_except_name' : 'saved';
}

/** One of the page's choices, or undefined; an own key only, so `constructor` or `__proto__` is not a choice. */
function frequencyChoice(value: unknown): Frequency | undefined {
  const choice = str(value);
  return choice !== undefined && Object.hasOwn(FREQUENCIES, choice) ? (choice as Frequency) : undefined;
}

/** A name as typed (blank clears it); the current one when the field is missing, not text, or cannot be stored. */
function nameField(value: unknown, current: string | null): { value: string | null; refused: boolean } {
  const text = str(value);
  if (text === undefined) return { value: current, refused: false };
  if (unstorableText(text)) return { value: current, refused: true };
  // Cut at 200 code units, but never between the two halves of an emoji.
  const cut = text.trim().slice(0, 200).replace(/[\ud800-\udbff]$/, '');
  return { value: cut || null, refused: false };
}
