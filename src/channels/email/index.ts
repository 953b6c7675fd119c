// The email channel: an address per contact, MJML templates, SES or the outbox.
import type { ChannelDefinition, EmailContent, EmailMessage, Envelope, Senders } from '../types.js';
import { normaliseEmail } from './address.js';

export const email = {
  name: 'email' as const,
  address: { column: 'email' as const, normalise: (raw: string) => normaliseEmail(raw), loose: (raw: string) => raw.trim().toLowerCase() },
  suppressible: true as const,
  defaultCap: { max: 12, period: 'calendar_month' as const },
  content: 'email' as const,
  compose(content: EmailContent, envelope: Envelope, senders: Senders): EmailMessage {
    return {
      messageId: envelope.messageId,
      from: senders.email.from,
      to: { address: envelope.to, name: envelope.toName },
      replyTo: envelope.replyTo ?? senders.email.replyTo,
      subject: content.subject,
      html: content.html,
      text: content.text,
      // Marketing only (RFC 8058); transactional mail (receipts, password resets) carries no List-Unsubscribe.
      headers: envelope.unsubscribeUrl
        ? { 'List-Unsubscribe': `<${envelope.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {},
    };
  },
} satisfies ChannelDefinition<EmailContent, EmailMessage>;

export { normaliseEmail };
