// The shape of the catalogue: every language fills in all of it, so a key missing in one fails the typecheck.
// Entries with parameters are functions; topic, contact and brand names come in as plain text.

export interface Messages {
  /** The language's name in itself, for language pickers. */
  languageName: string;
  channels: { email: string; sms: string; postal: string; webhook: string; call: string };
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

  /** /q/{token}: the page a letter's reply coupon (its QR code) opens. */
  couponPage: { title: string; done: string; again: string; preferences: string };

  /** The link text of the footer added to marketing emails that have no unsubscribe link. */
  unsubscribeLink: string;

  /** Printed letters (src/channels/postal/print.ts): the object line, and the reply coupon at the foot of the last page. */
  letter: {
    /** The object line, with the template's subject. */
    subject: (subject: string) => string;
    couponTitle: string;
    /** Over the coupon's code. */
    couponCode: string;
    /** Under the code: where to type it in, by host name (relais.example.fr), for those who cannot scan. */
    couponScan: (host: string) => string;
  };

  /** Charts on pages (src/pages/charts.tsx): numbers as the language writes them, and what a chart says without data. */
  charts: {
    noData: string;
    /** The summary over the table that holds a chart's numbers. */
    dataTable: string;
    number: (n: number) => string;
    /** A share (0.356) as a percentage, to one decimal at most. */
    percent: (share: number) => string;
    /** One series in a chart's legend, with its total already formatted. */
    total: (name: string, total: string) => string;
  };

  /** /reports/campaigns/{id} and /reports/shared/{token}: a campaign's report. Times are UTC, as the report's buckets. */
  report: {
    title: (campaign: string) => string;
    statuses: { draft: string; sending: string; sent: string; cancelled: string };
    launched: (at: Date) => string;
    notLaunched: string;
    asOf: (at: Date) => string;
    sharedUntil: (at: Date) => string;
    unknownAttribute: (name: string) => string;
    funnel: {
      heading: string;
      /** Under the heading: what the rates are taken over. */
      note: string;
      steps: { targeted: string; sent: string; delivered: string; opened: string; clicked: string; replied: string; converted: string };
      step: string;
      count: string;
      rate: string;
    };
    outcomes: {
      heading: string;
      heldBack: string;
      bouncedHard: string;
      bouncedSoft: string;
      complained: string;
      unsubscribed: string;
      openedByMachines: string;
      clickedByMachines: string;
      revenue: string;
      what: string;
      count: string;
    };
    series: {
      heading: string;
      note: string;
      truncated: string;
      time: string;
      openHuman: string;
      openMachine: string;
      clickHuman: string;
      clickMachine: string;
      /** An hourly point, then a daily one, on the axis and in the table. */
      hour: (at: Date) => string;
      day: (at: Date) => string;
    };
    links: { heading: string; note: string; link: string; people: string; machines: string; total: string; none: string };
    breakdowns: {
      heading: string;
      note: string;
      channel: string;
      variant: string;
      locale: string;
      attribute: (name: string) => string;
      /** The heading of each table's first column. */
      keys: { channel: string; variant: string; locale: string };
      /** The template's default content, in the variant breakdown. */
      defaultVariant: string;
      notSet: string;
      none: string;
      columns: {
        sent: string; opened: string; clicked: string; replied: string; converted: string; revenue: string; unsubscribed: string;
        openRate: string; clickRate: string;
      };
    };
  };

  /** /reports/workspace and /reports/workspace/shared/{token}: the workspace over a period. Days and times are UTC. */
  workspaceReport: {
    title: string;
    /** The period [from, to) when both are midnights UTC: its first and its last day (the same day for one day). */
    periodDays: (first: Date, last: Date) => string;
    /** Otherwise: where it starts, and where it ends (excluded). */
    periodTimes: (from: Date, to: Date) => string;
    channel: (name: string) => string;
    allChannels: string;
    /** What a query the page cannot use was, said in a notice; the rest of the page is shown without it. */
    invalidDate: (field: string, value: string) => string;
    invalidPeriod: string;
    defaultPeriod: (days: number) => string;
    unknownChannel: (value: string) => string;
    campaigns: {
      heading: string;
      note: string;
      none: string;
      /** When more campaigns were launched than the table lists. */
      listed: (shown: number, total: number) => string;
      caption: string;
      columns: {
        campaign: string; channel: string; launched: string; sent: string; delivered: string; opened: string; clicked: string; converted: string;
        unsubscribed: string; openRate: string; clickRate: string; bounceRate: string;
      };
      launched: (at: Date) => string;
      openChart: string;
      clickChart: string;
      /** When the table lists more campaigns than the charts draw. */
      drawn: (drawn: number, listed: number) => string;
      /** The charts' table: the rate in percent, and the count it is taken from. */
      rate: string;
      ofDelivered: string;
      fraction: (part: string, whole: string) => string;
    };
    trend: { heading: string; note: string; chart: (channel: string) => string; day: string; opens: string; clicks: string };
    audience: {
      heading: string;
      note: string;
      contacts: string;
      what: string;
      count: string;
      atStart: string;
      atEnd: string;
      created: string;
      erased: string;
      subscriptions: string;
      columns: { channel: string; subscribedAtStart: string; optIns: string; optOuts: string; optOutRate: string };
    };
    pressure: {
      heading: string;
      note: string;
      caption: string;
      total: string;
      columns: { channel: string; targeted: string; capped: string; deferred: string; waiting: string; cappedRate: string };
      byRule: string;
      rule: string;
      noRule: string;
    };
    deliverability: {
      heading: string;
      note: string;
      emailOnly: string;
      overall: string;
      caption: string;
      columns: { rate: string; value: string; warning: string; atRisk: string; status: string };
      bounce: string;
      complaint: string;
      /** Said in words as well as in colour. */
      statuses: { ok: string; warning: string; at_risk: string };
      /** Rates to two decimals of a percent: the complaint thresholds are 0.05% and 0.1%. */
      percent: (share: number) => string;
      counts: string;
      what: string;
      count: string;
      sent: string;
      delivered: string;
      bouncedHard: string;
      bouncedSoft: string;
      rejected: string;
      complained: string;
    };
  };
}
