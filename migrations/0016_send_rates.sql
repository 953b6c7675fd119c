-- One token bucket per transport (email:ses, sms:twilio…), shared by every sender process through this row:
-- delivery/send-rate.repository.ts refills and takes from it in one statement. `rate_per_second` is the current rate
-- (halved on throttling, recovering toward `max_rate`), and also the bucket's size (a burst of one second);
-- `throttled_until` ends the second after a halving, during which the rate neither recovers nor halves again.
create table transport_rates (
  transport text primary key,
  rate_per_second double precision not null,
  tokens double precision not null,
  refilled_at timestamptz not null,
  throttled_until timestamptz,
  max_rate double precision not null
);
