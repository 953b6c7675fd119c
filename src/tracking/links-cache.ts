// The recorded links of recently clicked messages, kept a minute in memory: a click then costs no query, the way a
// burst of clicks on one newsletter arrives. Bounded (MAX entries, oldest dropped), per database handle (an app, a
// Worker isolate). An erasure in this process empties every cache at once; another Worker isolate may redirect an
// erased contact's link for up to TTL_MS more (docs/TRACKING.md).
import type { Executor as Db } from '../db/transaction.js';

const TTL_MS = 60_000;
const MAX = 20_000;

type Entry<T> = { at: number; value: T };
const caches = new WeakMap<object, Map<string, Entry<unknown>>>();
let generation = 0;
const generations = new WeakMap<object, number>();

/** The cached value for `key`, else `load()`'s when it finds one (a miss is not cached: a new message's links may come). */
export async function cachedLink<T>(db: Db, key: string, now: number, load: () => Promise<T | undefined>): Promise<T | undefined> {
  let cache = caches.get(db);
  if (!cache || generations.get(db) !== generation) {
    cache = new Map();
    caches.set(db, cache);
    generations.set(db, generation);
  }
  const hit = cache.get(key) as Entry<T> | undefined;
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = await load();
  if (value === undefined) return undefined;
  cache.delete(key);
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { at: now, value });
  return value;
}

/** Forgets every cached link (an erasure deleted some). */
export function forgetCachedLinks() {
  generation++;
}
