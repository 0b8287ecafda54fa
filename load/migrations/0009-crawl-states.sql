-- 0009-crawl-states: the crawl's memory, written with the data (as dlt keeps its pipeline state): what each source's
-- crawl in a run saw — every page's validators and what it led to, when each document was last sent to fetch, and
-- the crawl's counts. The next crawl of the source starts from its latest row of another run. Recorded by the single
-- writer in the same transaction as the run's disappearances, reappearances and the source's catalog entry; only the
-- two newest rows of a source are kept (the latest, and the one a crawl retried within that run started from).
--   tables  crawl_states

create table crawl_states (
  source_id          varchar not null,     -- the portal (sources.source_id)
  run_id             varchar not null,     -- the run whose crawl it is (crawl_runs.run_id)
  crawled_at         timestamptz not null, -- when that crawl finished
  state_version      integer not null,     -- the pages' format (crawlers/crawl-state.ts CRAWL_STATE_VERSION)
  pages              json not null,        -- request key → {etag, lastModified, discovered, links}
  checks             json not null,        -- document URL → when it was last sent to fetch (ISO 8601)
  pages_fetched      integer not null,
  pages_not_modified integer not null,
  pages_skipped      integer not null,
  discovered         integer not null,
  disappeared        integer not null,
  errors             integer not null,
  blocked            integer not null,
  primary key (source_id, run_id)
);

comment on table crawl_states is 'One row per crawl of a source in a run: what the next crawl of the source starts from (page validators and links, document checks) and what the crawl counted; the two newest of each source are kept.';
comment on column crawl_states.source_id is 'the portal crawled (sources.source_id)';
comment on column crawl_states.run_id is 'the run whose crawl it is (crawl_runs.run_id)';
comment on column crawl_states.crawled_at is 'when the crawl finished; a crawl starts from the newest row of its source from another run';
comment on column crawl_states.state_version is 'format of pages; a row of another version is ignored (the next crawl is a cold one)';
comment on column crawl_states.pages is 'per request (GET url, POST url payload): ETag, Last-Modified, the documents it yielded and the pages it led to';
comment on column crawl_states.checks is 'per document URL: when it was last sent to fetch (a conditional re-check every recheckDocumentsDays)';
comment on column crawl_states.pages_fetched is 'pages requested';
comment on column crawl_states.pages_not_modified is 'list pages that answered 304, whose links were replayed';
comment on column crawl_states.pages_skipped is 'known detail pages not requested again';
comment on column crawl_states.discovered is 'documents found (report pages and attachments)';
comment on column crawl_states.disappeared is 'documents of the previous crawl no longer listed';
comment on column crawl_states.errors is 'pages that failed';
comment on column crawl_states.blocked is 'pages answered with an anti-bot challenge';
