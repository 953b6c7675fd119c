-- Recurring newsletters: a schedule makes a new campaign, from its template and audience, at each occurrence of its
-- recurrence (a cron rule read in the schedule's time zone). The every-minute job runs the schedules whose
-- next_run_at has come (campaigns/schedules.service.ts#runDueSchedules) on their locked row.
create table campaign_schedules (
  id bigint generated always as identity primary key,
  name text not null,
  channel text not null,
  kind text not null default 'marketing' check (kind in ('marketing', 'transactional')),
  -- No foreign keys to the template and the topic (a key, as a campaign is created with): either may go away between
  -- runs, and the next run then pauses the schedule with the reason rather than the delete being refused.
  template_id bigint not null,
  topic text not null,
  audience jsonb not null,
  priority text not null default 'normal' check (priority in ('high', 'normal', 'low')),
  on_cap text not null default 'skip' check (on_cap in ('skip', 'defer')),
  -- Each run's deadline, this many hours after its occurrence; none when null.
  deadline_hours integer check (deadline_hours between 1 and 8760),
  track_opens boolean not null default true,
  recurrence text not null,
  timezone text not null,
  status text not null default 'active' check (status in ('active', 'paused')),
  -- The next occurrence to run: set while active, null while paused (a resume starts from the next one after it).
  next_run_at timestamptz,
  last_run_at timestamptz,
  paused_at timestamptz,
  paused_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint campaign_schedules_next_run_check check ((status = 'active') = (next_run_at is not null))
);
-- The every-minute job's one statement: active schedules that are due.
create index campaign_schedules_due_idx on campaign_schedules (next_run_at) where status = 'active';

-- Each run's campaign names its schedule and occurrence. The unique key makes a run happen once, whatever the number
-- of processes running the job; deleting a schedule keeps its campaigns (their schedule_id becomes null).
alter table campaigns add column schedule_id bigint references campaign_schedules (id) on delete set null;
alter table campaigns add column occurrence timestamptz;
create unique index campaigns_schedule_occurrence_key on campaigns (schedule_id, occurrence);
