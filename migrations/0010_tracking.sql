-- Tracking: every raw hit on an open pixel or a click link is kept, classified human or machine with the rule that
-- fired, so the numbers can be explained and recomputed when the rules change. Hits are appended, never updated,
-- and never touch the ledger rows senders write.

-- What a message's tracked links point to, by index: the click redirect goes only there (no open redirect).
create table message_links (
  -- The message's public id, as tracking tokens carry it: one lookup per click, before the redirect.
  public_id text primary key,
  message_id bigint not null,
  campaign_id bigint,
  urls text[] not null,
  -- The hidden link no person sees: its index in the message (past the last real link).
  honeypot_index integer not null
);
create index message_links_message_idx on message_links (message_id);

create table tracking_hits (
  id bigint generated always as identity primary key,
  -- Given when the request is answered: a batch delivered twice (a queue retry) adds nothing the second time.
  hit_id uuid not null unique,
  occurred_at timestamptz not null,
  message_id bigint not null,
  campaign_id bigint,
  contact_id bigint,
  kind text not null check (kind in ('open', 'click')),
  link_index integer,
  method text not null,
  user_agent text,
  -- IPv4 /24 or IPv6 /48: enough to match proxy and scanner networks, not enough to locate a person.
  ip_prefix text,
  headers jsonb not null default '{}',
  class text not null check (class in ('human', 'machine')),
  rule text not null
);
create index tracking_hits_campaign_idx on tracking_hits (campaign_id, kind, class);
create index tracking_hits_message_idx on tracking_hits (message_id, kind, occurred_at);

-- The open pixel can be switched off per campaign.
alter table campaigns add column track_opens boolean not null default true;
