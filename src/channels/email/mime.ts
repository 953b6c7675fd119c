// Builds the RFC 5322 message for one email. Runs on Node and workerd alike.
// 'mimetext/browser' on purpose: the default (node) entry uses os.EOL ('\n' on Linux, not CRLF)
// and pulls mime-types/Buffer; the browser entry is plain JS with a CRLF end of line.
import { createMimeMessage, Mailbox, type MIMEMessage } from 'mimetext/browser';
import type { EmailMessage } from '../types.js';

const CRLF = '\r\n';
// RFC 5322 recommends lines of at most 78 characters; 998 is the hard limit.
const SOFT_LIMIT = 78;
const HARD_LIMIT = 998;
// 42 UTF-8 bytes -> 56 base64 chars -> a 68-char encoded-word (RFC 2047 allows 75).
const WORD_BYTES = 42;

// Headers that buildMime sets itself; taking them from message.headers would duplicate or corrupt them.
const RESERVED = new Set([
  'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id',
  'mime-version', 'content-type', 'content-transfer-encoding',
]);

// Also used as a file name by the outbox, so no '/', no leading dot, no '..'.
const MESSAGE_ID = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;
const ADDRESS = /^[^\s<>()[\],;:"\\@]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;
const HEADER_NAME = /^[!-9;-~]+$/;

export function assertMessageId(id: string): void {
  if (!MESSAGE_ID.test(id)) throw new Error(`Invalid messageId ${JSON.stringify(id)}`);
}

function assertAddress(address: string, what: string): void {
  if (!ADDRESS.test(address)) throw new Error(`Invalid ${what} address ${JSON.stringify(address)}`);
}

export function buildMime(message: EmailMessage, opts: { domain: string; date: Date }): string {
  assertMessageId(message.messageId);
  if (!DOMAIN.test(opts.domain)) throw new Error(`Invalid Message-ID domain ${JSON.stringify(opts.domain)}`);
  if (Number.isNaN(opts.date.getTime())) throw new Error('Invalid date');
  assertAddress(message.from.address, 'From');
  assertAddress(message.to.address, 'To');

  const msg = createMimeMessage();
  msg.setSender({ addr: message.from.address, name: message.from.name });
  msg.setTo({ addr: message.to.address, name: message.to.name });
  if (message.replyTo !== undefined) {
    assertAddress(message.replyTo, 'Reply-To');
    msg.setHeader('Reply-To', new Mailbox(message.replyTo));
  }
  // toUTCString() is already RFC 5322 except for the zone name.
  msg.setHeader('Date', opts.date.toUTCString().replace('GMT', '+0000'));
  msg.setHeader('Message-ID', `<${message.messageId}@${opts.domain}>`);
  setSubject(msg, message.subject);

  for (const [name, value] of Object.entries(message.headers)) {
    if (!HEADER_NAME.test(name) || RESERVED.has(name.toLowerCase())) {
      throw new Error(`Header ${JSON.stringify(name)} cannot be set through message.headers`);
    }
    // A CR or LF in a value would let it inject headers of its own.
    if (/[\r\n]/.test(value)) throw new Error(`Header ${name} contains a line break`);
    const encoded = /^[\x20-\x7e\t]*$/.test(value) ? foldAscii(name, value) : encodeWords(msg, value);
    msg.setHeader(name, encoded);
  }

  // Quoted-printable keeps lines short (HTML from MJML can exceed 998 chars) and the source readable.
  msg.addMessage({ contentType: 'text/plain', encoding: 'quoted-printable', data: quotedPrintable(message.text) });
  msg.addMessage({ contentType: 'text/html', encoding: 'quoted-printable', data: quotedPrintable(message.html) });
  // mimetext leaves the closing boundary without a line end.
  return msg.asRaw() + CRLF;
}

function setSubject(msg: MIMEMessage, subject: string): void {
  msg.setSubject(subject.replace(/\r\n|\r|\n/g, ' '));
  // mimetext writes the whole subject as one encoded-word, which RFC 2047 caps at 75 chars:
  // replace that field's writer with one that splits it into folded words.
  const field = msg.headers.fields.find((f) => f.name === 'Subject');
  if (!field) throw new Error('mimetext has no Subject field');
  field.dump = (v) => (typeof v === 'string' ? encodeWords(msg, v) : '');
}

/** RFC 2047 B-encoded words of whole code points, folded one per line. */
function encodeWords(msg: MIMEMessage, value: string): string {
  const encoder = new TextEncoder();
  const chunks: string[] = [];
  let chunk = '';
  for (const ch of value) {
    if (chunk && encoder.encode(chunk + ch).length > WORD_BYTES) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk || chunks.length === 0) chunks.push(chunk);
  // Whitespace between adjacent encoded-words is dropped when decoding, so folding is lossless.
  return chunks.map((c) => `=?UTF-8?B?${msg.toBase64(c)}?=`).join(`${CRLF} `);
}

/** Folds an ASCII value before spaces so each line stays within 78 chars when it can. */
function foldAscii(name: string, value: string): string {
  const words = value.split(' ');
  let out = words[0]!;
  let lineLength = name.length + 2 + out.length;
  for (const word of words.slice(1)) {
    if (word && lineLength + 1 + word.length > SOFT_LIMIT) {
      out += `${CRLF} ${word}`;
      lineLength = 1 + word.length;
    } else {
      out += ` ${word}`;
      lineLength += 1 + word.length;
    }
  }
  if (out.split(CRLF).some((line) => line.length > HARD_LIMIT - name.length - 2)) {
    throw new Error(`Header ${name} has a word too long for one line`);
  }
  return out;
}

/** RFC 2045 quoted-printable of the UTF-8 bytes, line breaks made CRLF (canonical text form). */
export function quotedPrintable(input: string): string {
  const encoder = new TextEncoder();
  return input
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const bytes = encoder.encode(line);
      let out = '';
      let length = 0;
      bytes.forEach((b, i) => {
        // Space and tab stay literal except at the end of a line, where transports may strip them.
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && i < bytes.length - 1);
        const token = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
        // 75 chars plus the '=' of the soft break; never split an =XX escape.
        if (length + token.length > 75) {
          out += `=${CRLF}`;
          length = 0;
        }
        out += token;
        length += token.length;
      });
      return out;
    })
    .join(CRLF);
}
