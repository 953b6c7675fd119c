// A topic's name in the reader's language: `names` holds the translations, `name` is the default for the others.
import { LANGS, type Lang } from '../i18n/index.js';

export type TopicNames = Partial<Record<Lang, string>>;

/** The translations as stored (a JSON object), keeping only the languages the platform speaks. */
export function topicNames(stored: unknown): TopicNames {
  const out: TopicNames = {};
  if (!stored || typeof stored !== 'object') return out;
  for (const lang of LANGS) {
    const name = Object.hasOwn(stored, lang) ? (stored as Record<string, unknown>)[lang] : undefined;
    if (typeof name === 'string' && name !== '') out[lang] = name;
  }
  return out;
}

/** The name to show a reader of `lang`: its translation, else the default name. */
export function topicName(topic: { name: string; names?: unknown }, lang: Lang): string {
  return topicNames(topic.names)[lang] ?? topic.name;
}
