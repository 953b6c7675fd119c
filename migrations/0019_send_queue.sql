-- The Worker sends through a queue: a campaign's due messages are cut into descriptors (stretches of its ledger by
-- message id) and enqueued. Until `enqueued_until`, descriptors of the campaign are taken to be in the queue or being
-- sent, and the every-minute cron does not enqueue it again; a consumer at work moves it forward. Node never sets it.
alter table campaigns add column enqueued_until timestamptz;
