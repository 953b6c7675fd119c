-- Launch snapshots of a million recipients in seconds, and segment rules that read indexes instead of sorting.

-- The ledger's foreign keys cost a trigger call per inserted row (a million at launch), and the one on contacts
-- also locks every contact row it checks. Campaigns are never deleted; contacts are erased by the privacy
-- service, which clears contact_id itself and serialises with launches (an advisory lock).
alter table messages drop constraint messages_contact_id_fkey;
alter table messages drop constraint messages_campaign_id_fkey;

-- The public id is given when the message is claimed for sending (see claimPending), so the snapshot writes
-- no random key into a unique index; it starts with the claim time, so the index grows at its right edge.
alter table messages alter column public_id drop not null;

-- A contact-first index over every ledger row grew by a page split per contact at each launch. Engagement
-- rules only read handed-over messages, so each kind gets a partial index filled as it happens; per-contact
-- lookups of every message (export, erasure) probe (campaign_id, contact_id) once per campaign instead.
drop index messages_contact_idx;
create index messages_sent_idx on messages (contact_id, campaign_id) include (sent_at) where sent_at is not null;
create index messages_opened_idx on messages (contact_id, campaign_id) include (opened_at) where opened_at is not null;
create index messages_clicked_idx on messages (contact_id, campaign_id) include (clicked_at) where clicked_at is not null;
create index messages_replied_idx on messages (contact_id, campaign_id) include (replied_at) where replied_at is not null;
create index messages_converted_idx on messages (contact_id, campaign_id) include (converted_at) where converted_at is not null;

-- Previews count, per contact, what the ledger holds in each cap window: one range scan of the recent ledger.
create index pressure_ledger_time_idx on pressure_ledger (channel, counted_at) include (contact_id);

-- RFM quintile thresholds and all-time "top 20% by purchases" read the k-th value of an index.
create index contact_stats_last_purchase_idx on contact_stats (last_purchase_at);
create index contact_stats_count_idx on contact_stats (purchase_count);
-- highest first, ties by id: the order "top N% by purchases" ranks in
create index contact_stats_total_idx on contact_stats (purchase_total desc, contact_id);

-- Date attributes declared before this migration get the month-day index that birthday rules read (the same
-- expression as attributeIndexExpression in src/segments/fields.ts).
do $$
declare a record;
begin
  for a in select name from attributes where type = 'date' and name ~ '^[a-z][a-z0-9_]{0,62}$' loop
    execute format(
      'create index if not exists %I on contacts ((case when (attributes ->> %L) ~ %L then (substr(attributes ->> %L, 6, 2) || substr(attributes ->> %L, 9, 2))::smallint end))',
      left('contacts_attr_' || a.name || '_idx', 63), a.name, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', a.name, a.name);
  end loop;
end $$;
