-- Postal mail: letter templates (MJML laid out for A4) and postal campaigns, printed a batch at a time.
alter table templates drop constraint templates_channel_check;
alter table templates add constraint templates_channel_check check (channel in ('email', 'sms', 'webhook', 'postal')) not valid;
alter table campaigns drop constraint campaigns_channel_check;
alter table campaigns add constraint campaigns_channel_check check (channel in ('email', 'sms', 'webhook', 'postal')) not valid;
-- Each letter of a postal campaign carries a reply coupon (a code and a QR code) unless the campaign says not to.
alter table campaigns add column reply_coupon boolean not null default true;
-- One reply-coupon code a letter: printed again (a retry), it keeps its code, and two senders cannot give it two.
drop index response_codes_message_idx;
create unique index response_codes_message_idx on response_codes (message_id);
