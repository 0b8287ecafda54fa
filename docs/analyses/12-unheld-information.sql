-- "We do not hold it": the share of answered requests closed as 本机关不掌握相关政府信息 (三(四)1), per report
-- with any answered request. Returns issuer, year, not_held, answered, not_held_share.
select s.issuer, s.year, c.value as not_held, s.results_total as answered,
       round(c.value / s.results_total, 4) as not_held_share
  from report_summary s
  join report_cells c on c.report_id = s.report_id and c.key = 't3.unable.not_held.total'
 where s.results_total > 0
 order by not_held_share desc nulls last, s.issuer, s.year;
