-- Segments: saved rules, per-contact purchase summaries for lifecycle/RFM, and the indexes rules need.

create table segments (
  id bigint generated always as identity primary key,
  name text not null,
  rule jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Maintained on every purchase event, so lifecycle, RFM and all-time value read one row per contact
-- instead of aggregating the whole event history.
create table contact_stats (
  contact_id bigint primary key references contacts (id) on delete cascade,
  first_purchase_at timestamptz not null,
  last_purchase_at timestamptz not null,
  purchase_count integer not null,
  purchase_total numeric not null
);

-- Event rules filter by type and time window, then group by contact: an index-only scan.
create index events_type_time_idx on events (type, occurred_at) include (contact_id, value);

-- Engagement, filled by tracking: first human open, click, reply and conversion of each message.
alter table messages add column opened_at timestamptz;
alter table messages add column clicked_at timestamptz;
alter table messages add column replied_at timestamptz;
alter table messages add column converted_at timestamptz;
create index messages_contact_idx on messages (contact_id, campaign_id);

create index contacts_created_at_idx on contacts (created_at);
create index contacts_locale_idx on contacts (locale);
-- Attribute equality and containment (ambassador = Maryse, host = true) use the GIN index.
create index contacts_attributes_idx on contacts using gin (attributes jsonb_path_ops);
