-- The language (a BCP 47 tag) a party reads, when the marketplace knows it:
-- notices and pages for them are written in it, else in their country's.
alter table sellers add column language text;
alter table buyers add column language text;
