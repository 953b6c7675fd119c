-- Other header names a CSV column may carry for an attribute ("Chiffre d'affaires" for annual_revenue), as typed
-- by the marketer; imports compare them after normalising case, accents and punctuation.
alter table attributes add column aliases text[] not null default '{}';
