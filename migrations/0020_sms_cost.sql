-- What an SMS cost: its encoding and segment count, recorded as it is handed over (providers bill per segment, and a
-- UCS-2 message holds 70 characters a segment, not 160). Null for other channels. The checks are added NOT VALID: the
-- new columns are all null, and validating them would scan the whole ledger under an exclusive lock.
alter table messages add column sms_encoding text, add column sms_segments smallint;
alter table messages add constraint messages_sms_encoding_check check (sms_encoding in ('GSM-7', 'UCS-2')) not valid;
alter table messages add constraint messages_sms_segments_check check (sms_segments >= 0) not valid;
