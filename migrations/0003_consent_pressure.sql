-- Consent, suppression, marketing pressure and quiet hours.

-- Addresses that must never be sent to, transactional mail included. The hash survives erasure,
-- so a re-import of an erased person is still suppressed.
create table suppressions (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('email', 'sms')),
  -- sha-256 hex of the normalised address (lower-cased email, E.164 phone)
  address_hash text not null,
  address text,
  reason text not null check (reason in ('hard_bounce', 'complaint', 'soft_bounces', 'sms_stop', 'erased', 'manual')),
  source text,
  created_at timestamptz not null default now(),
  unique (channel, address_hash)
);

-- Provider callbacks already processed (SNS message ids, SMS provider ids): redeliveries are no-ops.
create table provider_events (
  provider text not null,
  event_id text not null,
  received_at timestamptz not null default now(),
  primary key (provider, event_id)
);

-- Consecutive soft bounces per address; a hard bounce or a delivery resets it.
create table soft_bounces (
  address_hash text primary key,
  consecutive integer not null default 0,
  updated_at timestamptz not null default now()
);

alter table topics add column double_opt_in boolean not null default false;

alter table campaigns add column priority text not null default 'normal' check (priority in ('high', 'normal', 'low'));
alter table campaigns add column on_cap text not null default 'skip' check (on_cap in ('skip', 'defer'));
-- A deferred message is dropped (as capped) if its window does not reopen before this.
alter table campaigns add column deadline timestamptz;

-- A deferred message waits until not_before (cap window reopens, quiet hours end).
alter table messages add column not_before timestamptz;
-- The pressure rule that held a message back, for the counts.
alter table messages add column capped_by text;

-- One row per contact and channel, locked while a send is counted against the caps: concurrent
-- campaigns and senders serialise here, so the count and the new send are atomic.
create table pressure_counters (
  contact_id bigint not null references contacts (id) on delete cascade,
  channel text not null,
  primary key (contact_id, channel)
);

-- Every marketing message counted against the caps, when it was handed over.
create table pressure_ledger (
  message_id bigint primary key references messages (id) on delete cascade,
  contact_id bigint not null references contacts (id) on delete cascade,
  channel text not null,
  counted_at timestamptz not null
);
create index pressure_ledger_contact_idx on pressure_ledger (contact_id, channel, counted_at);

-- A contact's own frequency choice ("at most one email a week"), stricter than the workspace caps.
create table contact_preferences (
  contact_id bigint not null references contacts (id) on delete cascade,
  channel text not null check (channel in ('email', 'sms', 'postal')),
  max_messages integer not null check (max_messages >= 0),
  period text not null check (period in ('calendar_month', 'calendar_week', 'rolling_days')),
  days integer,
  primary key (contact_id, channel)
);

-- Consent and administrative changes, readable by admins.
create table audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor text not null,
  action text not null,
  subject text,
  details jsonb not null default '{}'
);
create index audit_log_time_idx on audit_log (occurred_at);
