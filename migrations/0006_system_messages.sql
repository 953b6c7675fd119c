-- Every outgoing message goes through the ledger, including those no campaign sends: double opt-in
-- confirmations and the answers to SMS keywords. They get the same states, attempts and reports.

-- A message of no campaign says what it is for, and carries its rendered content (there is no campaign content
-- to render it from again when a retry comes).
alter table messages alter column campaign_id drop not null;
alter table messages add column purpose text not null default 'campaign'
  check (purpose in ('campaign', 'confirmation', 'keyword_reply'));
alter table messages add column payload jsonb;
alter table messages add constraint messages_campaign_or_payload
  check ((purpose = 'campaign') = (campaign_id is not null) and (purpose = 'campaign' or payload is not null));

-- Per-contact lookups of these (export, erasure) and the retry loop's claim.
create index messages_system_contact_idx on messages (contact_id) where campaign_id is null;
create index messages_system_pending_idx on messages (not_before nulls first, id) where campaign_id is null and status = 'pending';
