-- prune-crawl-states: keeps a source's two newest crawls (what the next crawl starts from, and what a crawl retried
-- within the newest run started from). Parameters: $source_id. Returns nothing.
delete from crawl_states
 where source_id = $source_id
   and run_id not in (select run_id from crawl_states where source_id = $source_id order by crawled_at desc limit 2);
