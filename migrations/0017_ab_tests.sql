-- A/B tests (issue 11). A campaign may test two to four variants (another template of its channel, another subject,
-- or both) on a share of its audience, then send the winner to the rest (src/campaigns/ab-test.service.ts).
-- `ab_test` is the definition as created (variants, test_share_percent, metric, decide_after_minutes); `ab_decide_at`
-- is set at launch (launch + decide_after_minutes): the every-minute job chooses the winner then, unless a marketer
-- chose it before. `winner` is a variant's number (1 for the first), chosen once, by `winner_chosen_by`.
alter table campaigns add column ab_test jsonb;
alter table campaigns add column ab_decide_at timestamptz;
alter table campaigns add column winner smallint check (winner between 1 and 4);
alter table campaigns add column winner_chosen_at timestamptz;
alter table campaigns add column winner_chosen_by text check (winner_chosen_by in ('auto', 'manual'));
-- The every-minute job's one statement: tests whose time has come and that have no winner yet.
create index campaigns_ab_due_idx on campaigns (ab_decide_at) where winner is null and ab_decide_at is not null;

-- A message's variant (null: no test). The test group gets its variant at launch. The rest of the audience
-- (`ab_rest`) waits, pending with `not_before` 'infinity' and `deferred_by` 'ab_winner', until the winner is chosen:
-- then it gets the winner's number and is released. `ab_rest` keeps the two groups apart in the report afterwards.
alter table messages add column variant smallint;
alter table messages add column ab_rest boolean;
alter table messages drop constraint messages_deferred_by_check;
alter table messages add constraint messages_deferred_by_check check (deferred_by in ('local_time', 'ab_winner'));
