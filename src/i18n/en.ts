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

export const en: Messages = {
  languageName: 'English',
  channels: { email: 'Email', sms: 'SMS', postal: 'Mail' },
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

  unsubscribeLink: 'Unsubscribe',
};
