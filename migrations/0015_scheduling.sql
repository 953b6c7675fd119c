-- A campaign can be launched later (`scheduled`, until scheduled_at: the every-minute job launches it then), and a
-- launch with a local time holds each message until that time in its recipient's zone: `deferred_by` tells those
-- from messages deferred by quiet hours or caps in the counts and the report.
alter table campaigns drop constraint campaigns_status_check;
alter table campaigns add constraint campaigns_status_check
  check (status in ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'));
alter table campaigns add column scheduled_at timestamptz;
-- The every-minute job's one statement: scheduled campaigns that are due.
create index campaigns_scheduled_idx on campaigns (scheduled_at) where status = 'scheduled';

alter table messages add column deferred_by text check (deferred_by in ('local_time'));

-- The campaign's counts stay an index-only scan of its entries.
drop index messages_campaign_idx;
create index messages_campaign_idx on messages (campaign_id, id) include (status, skip_reason, capped_by, not_before, attempts, sent_at, deferred_by);
