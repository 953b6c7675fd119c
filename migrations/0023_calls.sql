-- Phone campaigns for call centres: each recipient is placed on the campaign's call list with their script; agents
-- claim calls and record outcomes, every outcome an attempt (at most 4 a contact in 30 days by default).
alter table subscriptions drop constraint subscriptions_channel_check;
alter table subscriptions add constraint subscriptions_channel_check check (channel in ('email', 'sms', 'postal', 'webhook', 'call')) not valid;
alter table contact_preferences drop constraint contact_preferences_channel_check;
alter table contact_preferences add constraint contact_preferences_channel_check check (channel in ('email', 'sms', 'postal', 'webhook', 'call')) not valid;
alter table templates drop constraint templates_channel_check;
alter table templates add constraint templates_channel_check check (channel in ('email', 'sms', 'webhook', 'postal', 'call')) not valid;
alter table campaigns drop constraint campaigns_channel_check;
alter table campaigns add constraint campaigns_channel_check check (channel in ('email', 'sms', 'webhook', 'postal', 'call')) not valid;
-- Numbers on the opposition list (Bloctel) are suppressed for calls.
alter table suppressions drop constraint suppressions_channel_check;
alter table suppressions add constraint suppressions_channel_check check (channel in ('email', 'sms', 'call')) not valid;
alter table suppressions drop constraint suppressions_reason_check;
alter table suppressions add constraint suppressions_reason_check
  check (reason in ('hard_bounce', 'complaint', 'soft_bounces', 'sms_stop', 'erased', 'manual', 'bloctel')) not valid;
-- An order taken on the phone is a conversion of the call, not of a click or an open.
alter table conversions drop constraint conversions_touch_check;
alter table conversions add constraint conversions_touch_check check (touch in ('click', 'open', 'call')) not valid;

create table calls (
  id bigint generated always as identity primary key,
  message_id bigint not null unique references messages (id) on delete cascade,
  campaign_id bigint not null references campaigns (id) on delete cascade,
  contact_id bigint references contacts (id) on delete set null,
  -- Erased with the contact (privacy): a call list keeps no number of someone erased.
  phone text,
  script text not null,
  -- open: to call (from not_before, a call back); claimed: an agent has it until claimed_until; done: an outcome ended it.
  status text not null default 'open' check (status in ('open', 'claimed', 'done')),
  not_before timestamptz,
  -- The agent holding it: their API key (the name is shown; keys are what tell agents apart).
  claimed_by text,
  claimed_key bigint,
  claimed_until timestamptz,
  outcome text check (outcome in ('reached', 'no_answer', 'callback', 'refused', 'opted_out', 'ordered')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index calls_list_idx on calls (campaign_id, id);

create table call_attempts (
  id bigint generated always as identity primary key,
  call_id bigint not null references calls (id) on delete cascade,
  contact_id bigint references contacts (id) on delete set null,
  agent text,
  agent_key bigint,
  outcome text not null check (outcome in ('reached', 'no_answer', 'callback', 'refused', 'opted_out', 'ordered')),
  value numeric(14, 2),
  callback_at timestamptz,
  note text,
  at timestamptz not null
);
create index call_attempts_contact_idx on call_attempts (contact_id, at);
create index call_attempts_call_idx on call_attempts (call_id);

-- A workspace that saved its own caps or quiet hours gets the call channel's defaults beside them: a new channel is
-- never uncapped, nor callable at night. One that never saved any reads the defaults, these included.
update workspace_settings
set value = value || '[{"channel": "call", "max": 4, "period": "rolling_days", "days": 30}]'::jsonb
where key = 'pressure_rules' and jsonb_typeof(value) = 'array'
  and not exists (select 1 from jsonb_array_elements(value) r where r->>'channel' = 'call');
update workspace_settings
set value = value || '[{"channel": "call", "days": ["mon", "tue", "wed", "thu", "fri"], "from": "10:00", "to": "20:00", "breaks": [{"from": "13:00", "to": "14:00"}], "skip_holidays": true}]'::jsonb
where key = 'quiet_hours' and jsonb_typeof(value) = 'array'
  and not exists (select 1 from jsonb_array_elements(value) r where r->>'channel' = 'call');
