// What the postal channel hands to its transports: letters, printed together as one batch (one PDF and its manifest).
import type { SendResult, Transport } from '../types.js';

/** One letter of a batch, as the sending code prepared it. */
export interface PostalLetter {
  /** Our message id (messages.public_id): the manifest's key, and the print house's reference for the letter. */
  messageId: string;
  contactId: number;
  /** Language of the letter's own wording (coupon labels, "Objet"): the contact's. */
  lang: 'fr' | 'en';
  /**
   * The address block as printed, top to bottom, at most 7 lines (AFNOR NF Z10-011: name, up to four address lines,
   * postcode and city, then the country for mail abroad).
   */
  addressLines: string[];
  /** The letter's object line (the template's subject); empty: none. */
  subject: string;
  /** The body: paragraphs separated by blank lines, as the template's text rendering gives them. */
  text: string;
  /** A reply coupon at the foot of the letter's last page: its short code, and the signed URL its QR code points to. */
  coupon?: { code: string; url: string };
}

/** How a batch is printed: the envelope's window side, and a blank back to each page for duplex printing. */
export interface PrintOptions {
  window: 'left' | 'right';
  duplex: boolean;
  /** The sender's return address, printed small above the window (optional). */
  returnAddress?: string[];
}

/** A batch of letters: `key` is `<campaign>-<batch>`, the same on a redelivery, so the files and uploads are too. */
export interface PostalBatch {
  key: string;
  letters: PostalLetter[];
  options: PrintOptions;
}

/** What printing a batch gave: the PDF, the manifest CSV, and each letter's 1-based page range in the PDF. */
export interface PrintedBatch {
  pdf: Uint8Array;
  manifest: string;
  pages: Array<{ messageId: string; first: number; last: number }>;
}

/** A postal transport takes a whole batch; the answer is the batch's id at the provider, and one per letter. */
export interface PostalResult extends SendResult {
  letters: Record<string, string>;
}

export interface PostalTransport extends Transport<PostalBatch> {
  send(batch: PostalBatch): Promise<PostalResult>;
}
