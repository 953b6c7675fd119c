// An email someone sent us, read from its MIME source: who, what, and whether a program sent it (an out-of-office
// is no reply). postal-mime runs on Workers and Node.
import PostalMime from 'postal-mime';

export interface InboundMail {
  from: string | null;
  subject: string | null;
  text: string;
  messageId: string | null;
  /** Auto-Submitted other than "no" (RFC 3834), or an out-of-office's usual headers. */
  automatic: boolean;
}

const MAX_TEXT = 10_000;

export async function readInboundMail(raw: string): Promise<InboundMail> {
  const mail = await PostalMime.parse(raw);
  const header = (name: string) => mail.headers.find((h) => h.key === name)?.value?.trim().toLowerCase();
  const auto = header('auto-submitted');
  const automatic = (auto !== undefined && auto !== 'no') || header('x-autoreply') !== undefined || header('x-autorespond') !== undefined
    || header('precedence') === 'auto_reply';
  const text = (mail.text ?? (mail.html ? mail.html.replace(/<[^>]*>/g, ' ') : '')).replace(/\u0000/g, '').trim().slice(0, MAX_TEXT);
  return { from: mail.from?.address?.toLowerCase() ?? null, subject: mail.subject ?? null, text, messageId: mail.messageId ?? null, automatic };
}
