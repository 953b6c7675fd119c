// The shape of the catalogue: every language fills in all of it, so a key missing in one fails the typecheck.
// Entries with parameters are functions; topic, contact and brand names come in as plain text.

export interface Messages {
  /** The language's name in itself, for language pickers. */
  languageName: string;
  channels: { email: string; sms: string; postal: string };
  /** The frequency choices offered in the preference center. */
  frequencies: { none: string; '1w': string; '2m': string; '1m': string };

  invalidLink: { title: string; body: string };

  /** /u/{token}: the unsubscribe confirmation and the page after it. */
  unsubscribe: {
    title: string;
    body: (topic: string, address: string) => string;
    button: string;
    doneTitle: string;
    doneBody: (topic: string) => string;
  };

  /** /c/{token}: the double opt-in confirmation page. */
  confirm: {
    title: string;
    /** The address comes masked (c•••@example.fr). */
    body: (topic: string, address: string) => string;
    button: string;
    done: (topic: string) => string;
    gone: string;
  };

  /** /p/{token}: the preference center. */
  preferences: {
    title: string;
    /** Which addresses the page is about, masked, already joined as a list. */
    about: (addresses: string) => string;
    intro: string;
    you: string;
    firstName: string;
    lastName: string;
    language: string;
    topics: string;
    frequency: string;
    /** Accessible name of one control in a per-channel row: "La lettre — E-mail". */
    perChannel: (what: string, channel: string) => string;
    save: string;
    /** The heading over the pause buttons, and what a pause does. */
    pause: string;
    pauseHelp: string;
    pauseFor: (days: number) => string;
    /** The day the pause ends, in the contact's time zone when it is known. */
    pausedUntil: (until: Date, timeZone?: string) => string;
    stopAll: string;
    stopAllHelp: string;
    unsubscribeAll: string;
    data: string;
    dataHelp: string;
    download: string;
    /** Opens the erasure's second step, which says what it does before the request is sent. */
    erase: string;
    eraseStep: { title: string; warning: string; delay: string; confirm: string; cancel: string };
    /** Shown after a form was handled, by outcome. */
    notices: { saved: string; saved_except_name: string; paused: string; unsubscribed_all: string; erasure_requested: string };
    formExpired: string;
  };

  /** The double opt-in email. */
  confirmationEmail: {
    subject: (topic: string) => string;
    /** HTML: name and topic must already be HTML-escaped. */
    body: (name: string, topic: string, url: string) => string;
  };

  /** Automatic answers to SMS keywords: confirmations and help, never marketing. */
  smsReplies: {
    stop: (brand: string) => string;
    start: (brand: string) => string;
    help: (brand: string, contact?: string) => string;
  };

  /** The link text of the footer added to marketing emails that have no unsubscribe link. */
  unsubscribeLink: string;
}
