// Topics: what people subscribe to, with a default name and its translations.
import { writeAudit, type Actor } from '../audit/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { inTransaction, type Executor as Db } from '../db/transaction.js';
import type { Lang } from '../i18n/index.js';
import { insertTopic, updateTopicNames } from './consent.repository.js';
import type { TopicNames } from './topic-names.js';

/** Who changes the topics, and when: the audit log records it. */
export interface TopicChange {
  actor: Actor;
  at: Date;
}

export async function createTopic(db: Db, input: { key: string; name: string; names?: TopicNames; double_opt_in?: boolean }, change: TopicChange) {
  return inTransaction(db, async (trx) => {
    const topic = await insertTopic(trx, input);
    if (!topic) throw new ConflictError(`Topic ${input.key} already exists`);
    await writeAudit(trx, { actor: change.actor, action: 'topic.created', subject: `topic:${input.key}`, details: { ...input } }, change.at);
    return topic;
  });
}

/** A new default name and translations: a name sets that language's translation, null removes it, absent keeps it. */
export async function renameTopic(db: Db, key: string, input: { name?: string; names?: Partial<Record<Lang, string | null>> }, change: TopicChange) {
  const entries = Object.entries(input.names ?? {}) as Array<[Lang, string | null | undefined]>;
  const set = Object.fromEntries(entries.filter(([, v]) => typeof v === 'string')) as TopicNames;
  const remove = entries.filter(([, v]) => v === null).map(([lang]) => lang);
  return inTransaction(db, async (trx) => {
    const topic = await updateTopicNames(trx, key, { name: input.name, set, remove });
    if (!topic) throw new NotFoundError('Topic', key);
    await writeAudit(trx, { actor: change.actor, action: 'topic.updated', subject: `topic:${key}`, details: { ...input } }, change.at);
    return topic;
  });
}
