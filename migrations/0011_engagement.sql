-- Engagement beyond the raw hits: the provider's delivery events, replies and coupons, attributed conversions, and
-- the rollups reports and segments read. The ingestion keeps the rollups current in the transaction that appends the
-- facts, so a report never scans raw hits. None of this updates the message ledger senders write to.

-- SES open and click events land beside the tracker's own hits, classified the same way.
alter table tracking_hits add column source text not null default 'tracker' check (source in ('tracker', 'ses'));

-- SMS links are shortened to /s/{code}: a code names one link of one message.
create table sms_links (
  code text primary key,
  public_id text not null,
  link_index integer not null
);
create index sms_links_public_idx on sms_links (public_id);

-- The provider's word on each message (SES through SNS), once per event: the key is the notification's id and the
-- recipient, so a redelivered notification adds nothing.
create table delivery_events (
  id bigint generated always as identity primary key,
  event_key text not null unique,
  message_id bigint not null,
  campaign_id bigint,
  contact_id bigint,
  type text not null check (type in ('delivered', 'bounced_hard', 'bounced_soft', 'complained', 'rejected', 'delayed')),
  occurred_at timestamptz not null,
  detail jsonb not null default '{}'
);
create index delivery_events_message_idx on delivery_events (message_id);
create index delivery_events_time_idx on delivery_events (occurred_at, type);
create index messages_provider_idx on messages (provider_message_id) where provider_message_id is not null;

-- Reply-coupon codes: printed on a letter (the postal channel), each names its message.
create table response_codes (
  code text primary key,
  message_id bigint not null
);
create index response_codes_message_idx on response_codes (message_id);

-- Replies (SMS, email), coupons and other responses; the key makes a replayed webhook or API call a no-op.
create table responses (
  id bigint generated always as identity primary key,
  response_key text not null unique,
  message_id bigint,
  campaign_id bigint,
  contact_id bigint references contacts (id) on delete set null,
  channel text not null,
  kind text not null check (kind in ('reply', 'coupon', 'call', 'other')),
  body text,
  code text,
  properties jsonb not null default '{}',
  occurred_at timestamptz not null
);
create index responses_message_idx on responses (message_id);
create index responses_contact_idx on responses (contact_id, occurred_at);

-- A conversion event attributed to the campaign of the contact's last human click (or open) within its window.
create table conversions (
  event_id bigint primary key references events (id) on delete cascade,
  contact_id bigint not null,
  campaign_id bigint,
  message_id bigint not null,
  type text not null,
  value numeric,
  occurred_at timestamptz not null,
  touch text not null check (touch in ('click', 'open')),
  touch_at timestamptz not null
);
create index conversions_message_idx on conversions (message_id);
create index conversions_campaign_idx on conversions (campaign_id);

-- Per message: the first and the count of each kind of engagement. A row exists once something happened to the
-- message after hand-over. Segments ("opened none of the last 3") and the per-recipient outcomes read it.
create table message_engagement (
  message_id bigint primary key,
  campaign_id bigint,
  -- Erasing a contact leaves the counts, tied to no one (as the ledger does).
  contact_id bigint references contacts (id) on delete set null,
  first_open_human_at timestamptz,
  first_open_machine_at timestamptz,
  first_click_human_at timestamptz,
  first_click_machine_at timestamptz,
  opens_human integer not null default 0,
  opens_machine integer not null default 0,
  clicks_human integer not null default 0,
  clicks_machine integer not null default 0,
  replied_at timestamptz,
  replies integer not null default 0,
  converted_at timestamptz,
  conversions integer not null default 0,
  revenue numeric not null default 0,
  delivered_at timestamptz,
  bounced_at timestamptz,
  bounce text check (bounce in ('hard', 'soft')),
  complained_at timestamptz,
  unsubscribed_at timestamptz
);
create index message_engagement_campaign_idx on message_engagement (campaign_id);
create index message_engagement_contact_idx on message_engagement (contact_id, campaign_id)
  include (first_open_human_at, first_open_machine_at, first_click_human_at, first_click_machine_at, replied_at, converted_at);

-- Per campaign and hour: each metric's events, the messages for which it was the first (unique), and a value
-- (revenue). A report sums these rows: a few hundred per campaign, whatever its size.
create table campaign_hourly (
  campaign_id bigint not null,
  metric text not null,
  hour timestamptz not null,
  events bigint not null default 0,
  uniques bigint not null default 0,
  value numeric not null default 0,
  primary key (campaign_id, metric, hour)
);
create index campaign_hourly_hour_idx on campaign_hourly (hour);

-- What the ledger held as first engagement moves to message_engagement, and the ledger's columns go.
insert into message_engagement (message_id, campaign_id, contact_id, first_open_human_at, first_click_human_at, replied_at, converted_at,
  opens_human, clicks_human, replies, conversions)
select id, campaign_id, contact_id, opened_at, clicked_at, replied_at, converted_at,
  (opened_at is not null)::int, (clicked_at is not null)::int, (replied_at is not null)::int, (converted_at is not null)::int
from messages where coalesce(opened_at, clicked_at, replied_at, converted_at) is not null;

drop index if exists messages_opened_idx;
drop index if exists messages_clicked_idx;
drop index if exists messages_replied_idx;
drop index if exists messages_converted_idx;
alter table messages drop column opened_at, drop column clicked_at, drop column replied_at, drop column converted_at;

-- Clicks per link of a campaign, kept by the ingestion: the report's table of links reads this, not the raw hits.
-- The URL is the link's, or its URL without the query once messages had different ones (personalised links).
create table campaign_links (
  campaign_id bigint not null,
  link_index integer not null,
  url text not null,
  human bigint not null default 0,
  machine bigint not null default 0,
  primary key (campaign_id, link_index)
);

-- Attribution looks back from a conversion to the contact's last human click, or open.
create index tracking_hits_contact_idx on tracking_hits (contact_id, kind, occurred_at) where class = 'human';

-- A campaign's messages, in order: its recipients list (keyset on id) and CSV, and, covering the outcome columns, its
-- report's ledger counts as an index-only scan. The four partial engagement indexes dropped above cost more per
-- message than this one.
create index messages_campaign_idx on messages (campaign_id, id) include (status, skip_reason, capped_by, not_before);

-- Breakdowns of large campaigns (grouping every sent message with its contact takes about a second at a million):
-- computed at most every few minutes and kept here, so a report stays fast however often it is read.
create table report_breakdowns (
  campaign_id bigint not null,
  -- 'locale', or 'attribute:<name>'
  dimension text not null,
  rows jsonb not null,
  computed_at timestamptz not null,
  primary key (campaign_id, dimension)
);

-- Raw hits are appended in time order: a BRIN index on their time is a few pages, and makes pruning the old ones a
-- range delete (TRACKING_HITS_RETENTION_DAYS). The rollups keep the counts.
create index tracking_hits_time_brin on tracking_hits using brin (occurred_at);
