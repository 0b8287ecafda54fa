-- batch-insert-sources: a sources row for each source of staged_sightings not known yet (its name, region and level
-- come with the run's summary). No parameters; returns nothing.
insert into sources (source_id)
select distinct s.source_id from staged_sightings s
 where not exists (select 1 from sources x where x.source_id = s.source_id);
