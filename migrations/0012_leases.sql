-- A claim is a lease: a sender that dies (kill -9, a lost machine) leaves its messages in `sending`; once their lease
-- is over, any sender takes them back. Rows claimed before leases existed have none and count as expired.
alter table messages add column lease_until timestamptz;
create index messages_sending_idx on messages (campaign_id, lease_until) where status = 'sending';
