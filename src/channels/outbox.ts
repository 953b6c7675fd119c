// Node-only transports that write each message to a folder instead of sending it (development, demos, tests).
// Only the Node entry imports this file: it uses node:fs.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMessageId, buildMime } from './email/mime.js';
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

// Write beside the target then rename: rename is atomic within one file system, so a reader sees either
// no file or the whole file. The temp name starts with a dot and ends in .tmp so globbing *.eml skips it.
// A resend of the same messageId replaces the file, which keeps retries idempotent.
// No fsync: this is a development outbox, not a durable queue.
async function writeAtomically(dir: string, file: string, content: string): Promise<void> {
  const temp = join(dir, `.${file}.${randomUUID()}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, join(dir, file));
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    // Nothing was written (a full disk, a folder made read-only): writing it later may work.
    throw new RetryableSendError(`outbox: ${(err as Error).message}`, { cause: err });
  }
}
