-- The country (ISO 3166 alpha-2) a party is in, when the marketplace knows
-- it: national phone numbers are read with it as the first region hint.
alter table sellers add column country text;
alter table buyers add column country text;
