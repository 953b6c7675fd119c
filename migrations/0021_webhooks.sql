-- The webhook channel: endpoints that campaigns post to, one signed JSON POST per recipient (Standard Webhooks).
create table webhook_endpoints (
  id bigint generated always as identity primary key,
  name text not null,
  url text not null,
  -- whsec_…: shown once, when the endpoint is created; the receiver checks signatures with it.
  secret text not null,
  -- The contact's fields each payload carries (id always).
  fields jsonb not null default '["id", "external_id", "first_name", "last_name", "locale"]',
  created_at timestamptz not null default now()
);

alter table campaigns add column endpoint_id bigint references webhook_endpoints (id);

-- NOT VALID: the rows there already passed the narrower check; validating would scan them under an exclusive lock.
alter table subscriptions drop constraint subscriptions_channel_check;
alter table subscriptions add constraint subscriptions_channel_check check (channel in ('email', 'sms', 'postal', 'webhook')) not valid;
alter table contact_preferences drop constraint contact_preferences_channel_check;
alter table contact_preferences add constraint contact_preferences_channel_check check (channel in ('email', 'sms', 'postal', 'webhook')) not valid;
alter table templates drop constraint templates_channel_check;
alter table templates add constraint templates_channel_check check (channel in ('email', 'sms', 'webhook'));
alter table campaigns drop constraint campaigns_channel_check;
alter table campaigns add constraint campaigns_channel_check check (channel in ('email', 'sms', 'webhook'));
-- A webhook campaign names its endpoint; no other campaign does.
alter table campaigns add constraint campaigns_endpoint_check check ((channel = 'webhook') = (endpoint_id is not null)) not valid;

-- A workspace that saved its own caps keeps them, and gets the webhook channel's default beside them (4 a calendar
-- week): a new channel is never uncapped. One that never saved any reads the defaults, this one included.
update workspace_settings
set value = value || '[{"channel": "webhook", "max": 4, "period": "calendar_week"}]'::jsonb
where key = 'pressure_rules' and jsonb_typeof(value) = 'array'
  and not exists (select 1 from jsonb_array_elements(value) r where r->>'channel' = 'webhook');
