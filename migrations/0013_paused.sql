-- A sending campaign can be paused: by a marketer, by itself past SEND_PAUSE_ERROR_RATE, or by its transport (SES
-- SendingPaused, AccountSuspended). The reason says which; both columns are cleared on resume.
alter table campaigns drop constraint campaigns_status_check;
alter table campaigns add constraint campaigns_status_check check (status in ('draft', 'sending', 'paused', 'sent', 'cancelled'));
alter table campaigns add column paused_at timestamptz;
alter table campaigns add column paused_reason text;

-- `attempts` now counts hand-overs only: a claim that ends in a deferral (quiet hours, a cap) gives its attempt back.
-- A pending message with attempts is retrying (a retryable failure, or a claim whose sender died); without, deferred.
-- Deferred messages claimed before this change counted their claims: those that never failed start again from 0.
update messages set attempts = 0
where status = 'pending' and campaign_id is not null and not_before is not null and attempts > 0 and error is null;

-- The campaign's counts (retrying needs attempts) and its progress (messages sent in the last minutes: sent_at) stay
-- an index-only scan of the campaign's entries.
drop index messages_campaign_idx;
create index messages_campaign_idx on messages (campaign_id, id) include (status, skip_reason, capped_by, not_before, attempts, sent_at);
