// The channel registry: every channel the platform knows, and what each declares. Adding a channel means adding
// its folder and one entry here; the types below follow.
import { call } from './call/index.js';
import { email } from './email/index.js';
import { postal } from './postal/index.js';
import { sms } from './sms/index.js';
import { webhook } from './webhook/index.js';
import type { PostalTransport } from './postal/types.js';
import type { ChannelDefinition, Transport } from './types.js';

export const CHANNELS = { email, sms, postal, webhook, call };

type Registry = typeof CHANNELS;
export type ChannelName = keyof Registry;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as [ChannelName, ...ChannelName[]];

/** Channels that can send today: they declare how to compose a message. */
export type SendableChannel = { [K in ChannelName]: Registry[K] extends { compose: unknown } ? K : never }[ChannelName];
export const SENDABLE_CHANNELS = CHANNEL_NAMES.filter((c) => 'compose' in CHANNELS[c]) as [SendableChannel, ...SendableChannel[]];

/** Channels whose addresses the suppression list holds. */
export type SuppressibleChannel = { [K in ChannelName]: Registry[K] extends { suppressible: true } ? K : never }[ChannelName];
export const SUPPRESSIBLE_CHANNELS = CHANNEL_NAMES.filter((c) => CHANNELS[c].suppressible) as [SuppressibleChannel, ...SuppressibleChannel[]];

type Compose<K extends SendableChannel> = Registry[K]['compose'];
export type ChannelContent<K extends SendableChannel> = Parameters<Compose<K>>[0];
export type ChannelMessage<K extends SendableChannel> = ReturnType<Compose<K>>;

/** Sendable channels with a transport: all but those whose messages people work through (calls). */
export type TransportChannel = { [K in SendableChannel]: Registry[K] extends { delivery: 'agents' } ? never : K }[SendableChannel];

/** The transports in use, one per channel that has one; a channel delivered in batches has a transport that takes them. */
export type Transports = { [K in TransportChannel]: Registry[K] extends { delivery: 'batch' } ? PostalTransport : Transport<ChannelMessage<K>> };

export function hasTransport(channel: ChannelName): channel is TransportChannel {
  return isSendable(channel) && (CHANNELS[channel] as ChannelDefinition).delivery !== 'agents';
}

/** Its messages go on a list that people work through (the call list), not to a transport. */
export function placedForAgents(channel: ChannelName): boolean {
  return (CHANNELS[channel] as ChannelDefinition).delivery === 'agents';
}

export function isChannel(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(CHANNELS, value);
}

export function isSendable(value: unknown): value is SendableChannel {
  return isChannel(value) && 'compose' in CHANNELS[value];
}

/** Its messages go to the campaign's endpoint (a webhook), not to an address of the contact's. */
export function postsToEndpoint(channel: ChannelName): boolean {
  return (CHANNELS[channel] as ChannelDefinition).destination === 'endpoint';
}

/** Its transport takes a batch at a time (postal: one PDF per batch). */
export function deliversInBatches(channel: ChannelName): boolean {
  return (CHANNELS[channel] as ChannelDefinition).delivery === 'batch';
}

/** Its text is counted in SMS segments, with a stop mention on marketing messages. */
export function isSegmented(channel: ChannelName): boolean {
  return (CHANNELS[channel] as ChannelDefinition).segmented === true;
}
