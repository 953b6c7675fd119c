-- Foundation: access keys, the customer file, consent, templates, campaigns and the message ledger.
-- One workspace per deployment; workspace-wide settings live in workspace_settings.

create table workspace_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

create table api_keys (
  id bigint generated always as identity primary key,
  name text not null,
  role text not null check (role in ('admin', 'marketer', 'analyst')),
  -- sha-256 of the key: keys are 32 random bytes, so a slow hash buys nothing
  key_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table attributes (
  name text primary key,
  type text not null check (type in ('text', 'number', 'boolean', 'date', 'enum')),
  enum_values jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table topics (
  id bigint generated always as identity primary key,
  key text not null unique,
  name text not null,
  created_at timestamptz not null default now()
);

create table contacts (
  id bigint generated always as identity primary key,
  external_id text unique,
  -- stored lower-cased; uniqueness makes the import an upsert
  email text unique,
  phone text,
  first_name text,
  last_name text,
  locale text not null default 'fr',
  timezone text not null default 'Europe/Paris',
  address jsonb,
  attributes jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index contacts_phone_idx on contacts (phone);

create table subscriptions (
  contact_id bigint not null references contacts (id) on delete cascade,
  channel text not null check (channel in ('email', 'sms', 'postal')),
  topic_id bigint not null references topics (id) on delete cascade,
  status text not null check (status in ('subscribed', 'unsubscribed', 'pending', 'paused')),
  paused_until timestamptz,
  updated_at timestamptz not null default now(),
  primary key (contact_id, channel, topic_id)
);
-- campaign targeting reads "who is subscribed to topic T on channel C"
create index subscriptions_topic_idx on subscriptions (topic_id, channel, status);

-- Append-only proof of consent: never updated, never deleted with the subscription.
create table consent_records (
  id bigint generated always as identity primary key,
  contact_id bigint references contacts (id) on delete set null,
  channel text not null,
  topic_id bigint references topics (id) on delete set null,
  status text not null,
  source text not null,
  ip text,
  user_agent text,
  wording_version text,
  occurred_at timestamptz not null default now()
);
create index consent_records_contact_idx on consent_records (contact_id, occurred_at);

create table events (
  id bigint generated always as identity primary key,
  contact_id bigint not null references contacts (id) on delete cascade,
  type text not null,
  occurred_at timestamptz not null default now(),
  value numeric,
  properties jsonb not null default '{}',
  -- a caller-chosen key makes a replayed delivery a no-op
  idempotency_key text unique,
  created_at timestamptz not null default now()
);
create index events_contact_type_idx on events (contact_id, type, occurred_at);

create table templates (
  id bigint generated always as identity primary key,
  name text not null,
  channel text not null check (channel in ('email', 'sms')),
  subject text,
  preheader text,
  mjml text,
  text text,
  -- MJML compiled once per version; recipients are merged into this HTML
  compiled_html text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table lists (
  id bigint generated always as identity primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table list_members (
  list_id bigint not null references lists (id) on delete cascade,
  contact_id bigint not null references contacts (id) on delete cascade,
  added_at timestamptz not null default now(),
  primary key (list_id, contact_id)
);
create index list_members_contact_idx on list_members (contact_id);

create table campaigns (
  id bigint generated always as identity primary key,
  name text not null,
  channel text not null check (channel in ('email', 'sms')),
  kind text not null default 'marketing' check (kind in ('marketing', 'transactional')),
  template_id bigint not null references templates (id),
  topic_id bigint not null references topics (id),
  audience jsonb not null,
  status text not null default 'draft' check (status in ('draft', 'sending', 'sent', 'cancelled')),
  -- the template as it was at launch: later edits don't change a running campaign
  content jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  launched_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz
);

-- The per-recipient ledger. The unique key makes a second launch or a retry a no-op.
create table messages (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references campaigns (id) on delete cascade,
  contact_id bigint references contacts (id) on delete set null,
  channel text not null,
  status text not null check (status in ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled')),
  skip_reason text,
  address text,
  -- opaque id used in Message-ID, tokens and outbox file names
  public_id text not null unique,
  provider_message_id text,
  error text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (campaign_id, contact_id, channel)
);
create index messages_pending_idx on messages (campaign_id, id) where status = 'pending';
