-- batch-existing-reports: which reports of staged_reports (document hash + parser version) are loaded already.
-- No parameters; returns report_id.
select r.report_id from reports r where r.report_id in (select report_id from staged_reports);
