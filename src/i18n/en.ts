import type { Messages } from './messages.js';

const quote = (s: string) => `“${s}”`;
// In the reader's time zone; one the runtime does not know falls back to the server's.
const longDate = (d: Date, timeZone?: string) => {
  try {
    return d.toLocaleDateString('en-CA', { dateStyle: 'long', timeZone });
  } catch {
    return d.toLocaleDateString('en-CA', { dateStyle: 'long' });
  }
};

// Reports: numbers, shares and times as English writes them (times in UTC, as the report's buckets).
const EN_NUMBER = new Intl.NumberFormat('en-CA', { maximumFractionDigits: 2 });
const EN_PERCENT = new Intl.NumberFormat('en-CA', { style: 'percent', maximumFractionDigits: 1 });
const EN_HOUR = new Intl.DateTimeFormat('en-CA', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
const EN_DAY = new Intl.DateTimeFormat('en-CA', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const EN_DATE_TIME = new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
const utcDateTime = (d: Date) => EN_DATE_TIME.format(d);
// The workspace report: days and launch times (UTC), and rates to two decimals of a percent.
const EN_DATE = new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: 'UTC' });
const EN_LAUNCH = new Intl.DateTimeFormat('en-CA', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
const EN_FINE_PERCENT = new Intl.NumberFormat('en-CA', { style: 'percent', maximumFractionDigits: 2 });

export const en: Messages = {
  languageName: 'English',
  channels: { email: 'Email', sms: 'SMS', postal: 'Mail', webhook: 'Our apps', call: 'Phone' },
  frequencies: { none: 'No limit', '1w': 'At most 1 a week', '2m': 'At most 2 a month', '1m': 'At most 1 a month' },

  invalidLink: { title: 'Invalid link', body: 'This link is invalid or has expired.' },

  unsubscribe: {
    title: 'Unsubscribe',
    body: (topic, address) => `You will no longer receive ${quote(topic)} at ${address}.`,
    button: 'Confirm unsubscribe',
    doneTitle: 'Done',
    doneBody: (topic) => `You are unsubscribed from ${quote(topic)}. You will get no more messages of this kind.`,
  },

  confirm: {
    title: 'Confirm your subscription',
    body: (topic, address) => `You are about to receive ${quote(topic)} at ${address}.`,
    button: 'I confirm',
    done: (topic) => `Confirmed: you will receive ${quote(topic)}.`,
    gone: 'This subscription is no longer waiting for confirmation.',
  },

  preferences: {
    title: 'Your preferences',
    about: (addresses) => `This page is about ${addresses}.`,
    intro: 'Choose what you receive, on which channel and how often.',
    you: 'You',
    firstName: 'First name',
    lastName: 'Last name',
    language: 'Language',
    topics: 'What you receive',
    frequency: 'Frequency',
    perChannel: (what, channel) => `${what} — ${channel}`,
    save: 'Save',
    pause: 'Take a break',
    pauseHelp: 'Receive nothing for a while; your choices are kept.',
    pauseFor: (days) => `${days} days`,
    pausedUntil: (until, timeZone) => `Paused until ${longDate(until, timeZone)}.`,
    stopAll: 'Stop everything',
    stopAllHelp: 'You will be unsubscribed from everything, on every channel.',
    unsubscribeAll: 'Unsubscribe from everything',
    data: 'Your data',
    dataHelp: 'Download everything we hold about you, or ask for all of it to be erased.',
    download: 'Download my data',
    erase: 'Ask for my data to be erased',
    eraseStep: {
      title: 'Erase your data?',
      warning: 'We will erase your name, your addresses, your preferences and the history of your messages, and we will not write to you again. This cannot be undone.',
      delay: 'Your request will be handled within a month.',
      confirm: 'Yes, erase my data',
      cancel: 'Cancel',
    },
    notices: {
      saved: 'Your preferences are saved.',
      saved_except_name: 'Your preferences are saved, except your name, which contains a character that is not allowed.',
      paused: 'Noted: we are taking a break.',
      unsubscribed_all: 'You are unsubscribed from everything.',
      erasure_requested: 'Your erasure request is recorded; it will be handled within a month.',
    },
    formExpired: 'The form has expired: reload the page.',
  },

  confirmationEmail: {
    subject: (topic) => `Please confirm your subscription: ${topic}`,
    body: (name, topic, url) =>
      `<p>Hello ${name},</p><p>To receive ${quote(topic)}, please confirm your subscription:</p><p><a href="${url}">I confirm</a></p><p>Without confirmation we will not write to you.</p>`,
  },

  smsReplies: {
    stop: (brand) => `You will no longer receive SMS from ${brand}.`,
    start: (brand) => `You will receive SMS from ${brand} again. Reply STOP to opt out.`,
    help: (brand, contact) => (contact ? `${brand} - help: ${contact}. Reply STOP to opt out.` : `${brand}: reply STOP to opt out.`),
  },

  couponPage: {
    title: 'Your reply',
    done: 'Thank you! Your reply is recorded: we will be in touch very soon.',
    again: 'Thank you! Your reply was already recorded.',
    preferences: 'Choose the letters and messages you receive',
  },
  unsubscribeLink: 'Unsubscribe',

  letter: {
    subject: (subject) => `Subject: ${subject}`,
    couponTitle: 'Reply coupon',
    couponCode: 'Your code',
    couponScan: (host) => `Scan the QR code or enter your code at ${host}`,
  },

  charts: {
    noData: 'No data yet.',
    dataTable: 'Data table',
    number: (n) => EN_NUMBER.format(n),
    percent: (share) => EN_PERCENT.format(share),
    total: (name, total) => `${name}: ${total}`,
  },

  report: {
    title: (campaign) => `Report: ${campaign}`,
    statuses: { draft: 'Draft', sending: 'Sending', sent: 'Sent', cancelled: 'Cancelled' },
    launched: (at) => `Launched on ${utcDateTime(at)} UTC`,
    notLaunched: 'Not launched yet',
    asOf: (at) => `Figures as of ${utcDateTime(at)} UTC.`,
    sharedUntil: (at) => `Share link valid until ${utcDateTime(at)} UTC.`,
    unknownAttribute: (name) => `${quote(name)} is not a declared attribute; the breakdown by attribute is not shown.`,
    funnel: {
      heading: 'From targeting to conversion',
      note: 'Rates: delivered over sent; opened, clicked, replied and converted over delivered. Opened and clicked count the messages a person opened or clicked, not a machine (Apple Mail, virus scanners…).',
      steps: { targeted: 'Targeted', sent: 'Sent', delivered: 'Delivered', opened: 'Opened', clicked: 'Clicked', replied: 'Replied', converted: 'Converted' },
      step: 'Step',
      count: 'Messages',
      rate: 'Rate',
    },
    outcomes: {
      heading: 'Other outcomes',
      heldBack: 'Held back before sending (consent, suppression, caps…)',
      bouncedHard: 'Hard bounces',
      bouncedSoft: 'Soft bounces',
      complained: 'Spam complaints',
      unsubscribed: 'Unsubscribes',
      openedByMachines: 'Opened by a machine',
      clickedByMachines: 'Clicked by a machine',
      revenue: 'Revenue',
      what: 'Outcome',
      count: 'Count',
    },
    series: {
      heading: 'Opens and clicks over time',
      note: 'Every open and every click, per hour (UTC) for the first 48 hours after launch, then per day.',
      truncated: 'The series stops after 366 days.',
      time: 'Period (UTC)',
      openHuman: 'Opens (people)',
      openMachine: 'Opens (machines)',
      clickHuman: 'Clicks (people)',
      clickMachine: 'Clicks (machines)',
      hour: (at) => EN_HOUR.format(at),
      day: (at) => EN_DAY.format(at),
    },
    links: {
      heading: 'Clicks per link',
      note: 'Every click, per link of the message, the most clicked first (the first 100).',
      link: 'Link',
      people: 'People',
      machines: 'Machines',
      total: 'Total',
      none: 'No clicks yet.',
    },
    breakdowns: {
      heading: 'Breakdowns',
      note: 'The messages sent, and those a person opened, clicked… Rates over the messages sent.',
      channel: 'By channel',
      variant: 'By language variant of the template',
      locale: 'By contact language',
      attribute: (name) => `By ${quote(name)}`,
      keys: { channel: 'Channel', variant: 'Variant', locale: 'Language' },
      defaultVariant: 'Default',
      notSet: '(not set)',
      none: 'No message sent yet.',
      columns: {
        sent: 'Sent', opened: 'Opened', clicked: 'Clicked', replied: 'Replied', converted: 'Converted', revenue: 'Revenue',
        unsubscribed: 'Unsubscribed', openRate: 'Open rate', clickRate: 'Click rate',
      },
    },
  },

  workspaceReport: {
    title: 'Workspace report',
    periodDays: (first, last) => (first.getTime() === last.getTime() ? `${EN_DATE.format(first)} (UTC)` : `${EN_DATE.format(first)} to ${EN_DATE.format(last)} (UTC)`),
    periodTimes: (from, to) => `From ${utcDateTime(from)} up to ${utcDateTime(to)} UTC`,
    channel: (name) => `Channel: ${name}`,
    allChannels: 'all',
    invalidDate: (field, value) => `“${field}=${value}” is neither a date (2026-11-01) nor an ISO 8601 date and time with its offset.`,
    invalidPeriod: 'The period asked for must end after it starts, and last at most 366 days.',
    defaultPeriod: (days) => `The last ${days} days are shown instead.`,
    unknownChannel: (value) => `“${value}” is not a channel campaigns are sent on; every channel is shown.`,
    campaigns: {
      heading: 'Campaigns side by side',
      note: 'The campaigns launched in the period, newest first, each as a whole (its engagement after the period included). Opened and clicked count the messages a person opened or clicked, not a machine. Rates over the messages delivered; the bounce rate over the messages sent.',
      none: 'No campaign was launched in this period.',
      listed: (shown, total) => `The ${shown} newest of the ${total} campaigns launched are listed.`,
      caption: 'Campaigns launched in the period',
      columns: {
        campaign: 'Campaign', channel: 'Channel', launched: 'Launched (UTC)', sent: 'Sent', delivered: 'Delivered', opened: 'Opened', clicked: 'Clicked',
        converted: 'Converted', unsubscribed: 'Unsubscribed', openRate: 'Open rate', clickRate: 'Click rate', bounceRate: 'Bounce rate',
      },
      launched: (at) => EN_LAUNCH.format(at),
      openChart: 'Open rate per email campaign (%)',
      clickChart: 'Click rate per campaign (%)',
      drawn: (drawn, listed) => `The charts draw the ${drawn} newest campaigns; the table lists all ${listed}.`,
      rate: 'Rate (%)',
      ofDelivered: 'Of the messages delivered',
      fraction: (part, whole) => `${part} of ${whole}`,
    },
    trend: {
      heading: 'Engagement over the period',
      note: 'Every open and every click by a person, per UTC day, on the messages of any campaign of the channel, those launched before the period included.',
      chart: (channel) => `Opens and clicks per day: ${channel}`,
      day: 'Day (UTC)',
      opens: 'Opens (people)',
      clicks: 'Clicks (people)',
    },
    audience: {
      heading: 'Audience',
      note: 'Contacts on file at the start and at the end of the period. Subscriptions to a topic on a channel, from the consent records; the opt-out rate is over the subscriptions held at the start.',
      contacts: 'Contacts',
      what: 'Contacts',
      count: 'Count',
      atStart: 'On file at the start',
      atEnd: 'On file at the end',
      created: 'Created in the period',
      erased: 'Erased in the period',
      subscriptions: 'Subscriptions per channel',
      columns: { channel: 'Channel', subscribedAtStart: 'Subscribed at the start', optIns: 'Opt-ins', optOuts: 'Opt-outs', optOutRate: 'Opt-out rate' },
    },
    pressure: {
      heading: 'Marketing pressure',
      note: 'What caps did to the messages of the marketing campaigns launched in the period: dropped (capped) or postponed (deferred). The capped rate is over the messages that consent, address and suppression let through.',
      caption: 'Caps per channel',
      total: 'All channels',
      columns: { channel: 'Channel', targeted: 'Targeted', capped: 'Capped', deferred: 'Deferred', waiting: 'Still waiting', cappedRate: 'Capped rate' },
      byRule: 'Per rule',
      rule: 'Rule',
      noRule: 'No cap held a message back.',
    },
    deliverability: {
      heading: 'Deliverability',
      note: 'The email campaign messages of the period, as Amazon SES judges an account: hard bounces over the messages sent, complaints over the messages delivered. SES may review an account from a bounce rate of 5% or a complaint rate of 0.1%; the warning starts at half of each. Over a small volume, these figures are an early warning, not SES’s own.',
      emailOnly: 'Deliverability is measured for email only.',
      overall: 'Overall status:',
      caption: 'Rates against the thresholds',
      columns: { rate: 'Rate', value: 'Value', warning: 'Warning from', atRisk: 'At risk from', status: 'Status' },
      bounce: 'Bounce rate (hard bounces / sent)',
      complaint: 'Complaint rate (complaints / delivered)',
      statuses: { ok: 'OK', warning: 'Warning', at_risk: 'At risk' },
      percent: (share) => EN_FINE_PERCENT.format(share),
      counts: 'Email messages of the period',
      what: 'Messages',
      count: 'Count',
      sent: 'Sent',
      delivered: 'Delivered',
      bouncedHard: 'Hard bounces',
      bouncedSoft: 'Soft bounces',
      rejected: 'Rejected',
      complained: 'Spam complaints',
    },
  },
};
