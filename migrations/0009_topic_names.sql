-- A topic's name in each language people read it in ({"fr": "…", "en": "…"}); `name` stays the default, shown in
-- a language that has none of its own.
alter table topics add column names jsonb not null default '{}'::jsonb check (jsonb_typeof(names) = 'object');
