// One path for every way a contact arrives (API, CSV import): validate, match, insert or update, record consent.
import { CHANNEL_NAMES, isChannel } from '../channels/index.js';
import { applyConsentChanges, requireConfirmation, type ConsentChange } from '../consent/index.js';
import type { Trx } from '../db/transaction.js';
import type { FieldProblem } from '../errors.js';
import { coerceAttributes, type AttributeDefinition } from './attribute-values.js';
import { normaliseContactFields, type ContactFieldsInput } from './contact-fields.js';
import { bulkUpdateContacts, findContactsByKeys, insertContacts, updateContact, type ContactWrite } from './contacts.repository.js';

export interface SubscriptionInput {
  channel: string;
  topic: string;
  status?: 'subscribed' | 'unsubscribed';
  wording_version?: string;
  ip?: string;
  user_agent?: string;
}

export interface ContactInput extends ContactFieldsInput {
  attributes?: Record<string, unknown>;
  subscriptions?: SubscriptionInput[];
}

export interface PreparedContact {
  write: ContactWrite;
  consents: Array<Omit<ConsentChange, 'contactId' | 'source'>>;
}

export interface Catalogue {
  attributes: Map<string, AttributeDefinition>;
  topics: Map<string, number>;
}

export function prepareContact(input: ContactInput, catalogue: Catalogue, opts: { creating: boolean }): { prepared?: PreparedContact; problems: FieldProblem[] } {
  const { fields, problems } = normaliseContactFields(input);
  const write: ContactWrite = { ...fields };
  if (input.attributes !== undefined) {
    const attrs = coerceAttributes(catalogue.attributes, input.attributes ?? {});
    problems.push(...attrs.problems);
    write.attributes = attrs.values;
  }
  const consents: PreparedContact['consents'] = [];
  (input.subscriptions ?? []).forEach((s, i) => {
    const topicId = catalogue.topics.get(s.topic);
    if (!isChannel(s.channel)) {
      problems.push({ field: `subscriptions.${i}.channel`, message: `"${s.channel}" is not one of ${CHANNEL_NAMES.join(', ')}` });
    } else if (topicId === undefined) {
      problems.push({ field: `subscriptions.${i}.topic`, message: `topic "${s.topic}" does not exist (POST /v1/topics)` });
    } else {
      consents.push({
        channel: s.channel,
        topicId,
        status: s.status ?? 'subscribed',
        wordingVersion: s.wording_version,
        ip: s.ip,
        userAgent: s.user_agent,
      });
    }
  });
  // An identifier that was given but refused is reported once, by its own problem.
  const badKey = problems.some((p) => p.field === 'email' || p.field === 'phone' || p.field === 'external_id');
  if (opts.creating && !badKey && !write.email && !write.phone && !write.external_id) {
    problems.push({ field: 'email', message: 'a contact needs at least an email, a phone or an external_id' });
  }
  return problems.length ? { problems } : { prepared: { write, consents }, problems };
}

export type SaveOutcome = { created: true; id: number } | { created: false; id: number } | { problems: FieldProblem[] };

/**
 * Upserts prepared contacts in one transaction: matched by external_id, then email, then phone.
 * Rows repeating a key within the batch are merged into the first, later values winning.
 */
export async function saveContacts(trx: Trx, batch: PreparedContact[], source: string, at: Date): Promise<SaveOutcome[]> {
  const externalIds = batch.flatMap((p) => (p.write.external_id ? [p.write.external_id] : []));
  const emails = batch.flatMap((p) => (p.write.email ? [p.write.email] : []));
  // Phone is a key only for rows with neither external_id nor email (SMS-only customers).
  const phones = batch.flatMap((p) => (!p.write.external_id && !p.write.email && p.write.phone ? [p.write.phone] : []));
  const existing = await findContactsByKeys(trx, externalIds, emails, phones);
  const byExternal = new Map(existing.filter((e) => e.external_id).map((e) => [e.external_id!, e]));
  const byEmail = new Map(existing.filter((e) => e.email).map((e) => [e.email!, e]));
  const byPhone = new Map<string, (typeof existing)[number]>();
  for (const e of existing) if (e.phone && !byPhone.has(e.phone)) byPhone.set(e.phone, e);

  const outcomes: SaveOutcome[] = new Array(batch.length);
  const fresh: Array<{ write: ContactWrite; rows: number[] }> = [];
  const freshByKey = new Map<string, number>();
  const updates: Array<{ id: number; row: number }> = [];

  batch.forEach((p, row) => {
    const ext = p.write.external_id ? byExternal.get(p.write.external_id) : undefined;
    const mail = p.write.email ? byEmail.get(p.write.email) : undefined;
    if (ext && mail && ext.id !== mail.id) {
      outcomes[row] = { problems: [{ field: 'email', message: `${p.write.email} already belongs to contact ${mail.id}, whose external_id is ${mail.external_id ?? 'empty'}` }] };
      return;
    }
    if (!ext && mail && p.write.external_id && mail.external_id && mail.external_id !== p.write.external_id) {
      outcomes[row] = { problems: [{ field: 'email', message: `${p.write.email} already belongs to contact ${mail.id} with external_id ${mail.external_id}` }] };
      return;
    }
    const phone = !p.write.external_id && !p.write.email && p.write.phone ? byPhone.get(p.write.phone) : undefined;
    const target = ext ?? mail ?? phone;
    if (target) {
      updates.push({ id: Number(target.id), row });
      return;
    }
    const keys = [
      p.write.external_id && `x:${p.write.external_id}`,
      p.write.email && `e:${p.write.email}`,
      !p.write.external_id && !p.write.email && p.write.phone && `p:${p.write.phone}`,
    ].filter(Boolean) as string[];
    const seen = keys.map((k) => freshByKey.get(k)).find((i) => i !== undefined);
    if (seen !== undefined) {
      const merged = fresh[seen];
      merged.write = { ...merged.write, ...p.write, attributes: { ...merged.write.attributes, ...p.write.attributes } };
      merged.rows.push(row);
      keys.forEach((k) => freshByKey.set(k, seen));
    } else {
      keys.forEach((k) => freshByKey.set(k, fresh.length));
      fresh.push({ write: p.write, rows: [row] });
    }
  });

  const keyed = fresh.filter((f) => f.write.external_id || f.write.email);
  const keyless = fresh.filter((f) => !f.write.external_id && !f.write.email);
  const withAttributes = (f: (typeof fresh)[number]) => ({ ...f.write, attributes: f.write.attributes ?? {} });
  const inserted = await insertContacts(trx, keyed.map(withAttributes), at);
  // Keyless rows cannot conflict, so each comes back, in order.
  const insertedKeyless = await insertContacts(trx, keyless.map(withAttributes), at);
  keyless.forEach((f, i) => f.rows.forEach((row, j) => (outcomes[row] = { created: j === 0, id: Number(insertedKeyless[i].id) } as SaveOutcome)));
  const insertedId = new Map<string, number>();
  for (const r of inserted) {
    if (r.external_id) insertedId.set(`x:${r.external_id}`, Number(r.id));
    if (r.email) insertedId.set(`e:${r.email}`, Number(r.id));
  }
  for (const f of keyed) {
    const id = insertedId.get(`x:${f.write.external_id}`) ?? insertedId.get(`e:${f.write.email}`);
    if (id === undefined) {
      // Someone else inserted the same key meanwhile: fall back to updating that contact.
      const [again] = await findContactsByKeys(trx, f.write.external_id ? [f.write.external_id] : [], f.write.email ? [f.write.email] : []);
      if (!again) throw new Error('contact vanished during upsert');
      await updateContact(trx, Number(again.id), f.write, at);
      f.rows.forEach((row) => (outcomes[row] = { created: false, id: Number(again.id) }));
      continue;
    }
    f.rows.forEach((row, i) => (outcomes[row] = { created: i === 0, id } as SaveOutcome));
  }
  if (batch.length === 1) {
    // The API's single upsert: explicit nulls clear fields.
    for (const u of updates) await updateContact(trx, u.id, batch[u.row].write, at);
  } else {
    // A contact repeated within the batch: later rows win, attributes merge, in row order.
    const merged = new Map<number, ContactWrite>();
    for (const u of updates) {
      const w = batch[u.row].write;
      const prev = merged.get(u.id);
      merged.set(u.id, prev ? { ...prev, ...w, attributes: { ...prev.attributes, ...w.attributes } } : w);
    }
    await bulkUpdateContacts(trx, [...merged].map(([id, write]) => ({ id, write })), at);
  }
  for (const u of updates) outcomes[u.row] = { created: false, id: u.id };

  const consents: ConsentChange[] = [];
  batch.forEach((p, row) => {
    const outcome = outcomes[row];
    if (outcome && 'id' in outcome) for (const c of p.consents) consents.push({ ...c, contactId: outcome.id, source });
  });
  // A contact may repeat a consent within the batch; the last one stands.
  const last = new Map(consents.map((c) => [`${c.contactId}:${c.channel}:${c.topicId}`, c]));
  await applyConsentChanges(trx, await requireConfirmation(trx, [...last.values()]), at);
  return outcomes;
}
