// Node-only transports that write each message to a folder instead of sending it (development, demos, tests).
// Only the Node entry imports this file: it uses node:fs.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMessageId, buildMime } from './email/mime.js';
import type { EmailTransport, SmsTransport } from './types.js';

export function createOutboxEmailTransport(opts: {
  dir: string;
  domain: string;
  clock: () => Date;
}): EmailTransport {
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
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${file}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, join(dir, file));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
