-- What an SMS cost: its encoding and segment count, recorded as it is handed over (providers bill per segment, and a
-- UCS-2 message holds 70 characters a segment, not 160). Null for other channels.
alter table messages add column sms_encoding text check (sms_encoding in ('GSM-7', 'UCS-2'));
alter table messages add column sms_segments smallint check (sms_segments > 0);
