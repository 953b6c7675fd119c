// Node-only transports that write each message to a folder instead of sending it (development, demos, tests).
// Only the Node entry imports this file: it uses node:fs.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMessageId, buildMime } from './email/mime.js';
import { printBatch } from './postal/print.js';
import type { PostalTransport } from './postal/types.js';
import { RetryableSendError, type EmailTransport, type SmsTransport } from './types.js';

/** OUTBOX_DIR must be a folder, or not exist yet (it is created): said at start, not at the first message. */
function assertUsableDir(dir: string): void {
  let isDir: boolean | undefined;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return;
  }
  if (!isDir) throw new Error(`OUTBOX_DIR ${JSON.stringify(dir)} is a file, not a folder`);
}

export function createOutboxEmailTransport(opts: {
  dir: string;
  domain: string;
  clock: () => Date;
}): EmailTransport {
  assertUsableDir(opts.dir);
  return {
    name: 'outbox',
    async send(message) {
      const mime = buildMime(message, { domain: opts.domain, date: opts.clock() });
      const file = `${message.messageId}.eml`;
      await writeAtomically(opts.dir, file, mime);
      return { providerMessageId: file };
    },
  };
}

export function createOutboxSmsTransport(opts: { dir: string; clock: () => Date }): SmsTransport {
  assertUsableDir(opts.dir);
  return {
    name: 'outbox',
    async send(message) {
      assertMessageId(message.messageId);
      const record = {
        to: message.to,
        from: message.from,
        text: message.text,
        encoding: message.encoding,
        segments: message.segments,
        message_id: message.messageId,
        created_at: opts.clock().toISOString(),
      };
      const file = `${message.messageId}.json`;
      await writeAtomically(opts.dir, file, `${JSON.stringify(record, null, 2)}\n`);
      return { providerMessageId: file };
    },
  };
}

/** A batch key names its two files: letters, digits, `_`, `-` and inner dots, like a message id. */
const BATCH_KEY = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * Each batch as the print house would get it: `<dir>/postal/<key>.pdf` and `<key>.csv` (the manifest). The manifest is
 * written last, so a batch is whole once its .csv is there; the same key again replaces both (one copy).
 * Its id is the PDF's file name, and each letter's is `<key>.pdf#page=<first page>` (a PDF open parameter: the
 * letter's first page opens).
 */
export function createOutboxPostalTransport(opts: { dir: string }): PostalTransport {
  assertUsableDir(opts.dir);
  const dir = join(opts.dir, 'postal');
  return {
    name: 'outbox',
    async send(batch) {
      if (!BATCH_KEY.test(batch.key)) throw new Error(`Invalid batch key ${JSON.stringify(batch.key)}: it names the outbox's files`);
      const printed = await printBatch(batch);
      const pdf = `${batch.key}.pdf`;
      await writeAtomically(dir, pdf, printed.pdf);
      await writeAtomically(dir, `${batch.key}.csv`, printed.manifest);
      return { providerMessageId: pdf, letters: Object.fromEntries(printed.pages.map((p) => [p.messageId, `${pdf}#page=${p.first}`])) };
    },
  };
}

// Write beside the target then rename: rename is atomic within one file system, so a reader sees either
// no file or the whole file. The temp name starts with a dot and ends in .tmp so globbing *.eml skips it.
// A resend of the same messageId replaces the file, which keeps retries idempotent.
// No fsync: this is a development outbox, not a durable queue.
async function writeAtomically(dir: string, file: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dir, `.${file}.${randomUUID()}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, content, typeof content === 'string' ? { encoding: 'utf8', flag: 'wx' } : { flag: 'wx' });
    await rename(temp, join(dir, file));
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    // Nothing was written (a full disk, a folder made read-only): writing it later may work.
    throw new RetryableSendError(`outbox: ${(err as Error).message}`, { cause: err });
  }
}
