-- Double opt-in: when the confirmation email went out (sent once per pending subscription).
alter table subscriptions add column confirmation_sent_at timestamptz;
create index subscriptions_pending_idx on subscriptions (status) where status = 'pending';
