-- Test sends: a campaign's message, rendered for a chosen contact, sent to an address a marketer gives. It is a
-- message of no campaign (campaign_id null: no campaign count or report includes it, no cap is reserved for it); its
-- payload names the campaign it shows (payload->>'campaign_id').
alter table messages drop constraint messages_purpose_check;
alter table messages add constraint messages_purpose_check check (purpose in ('campaign', 'confirmation', 'keyword_reply', 'test'));
