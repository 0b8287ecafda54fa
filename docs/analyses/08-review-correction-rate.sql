-- Administrative review (行政复议) outcomes: cases decided and the share corrected (结果纠正) per report with any
-- decided case. Decided = upheld + corrected + other. Returns issuer, year, decided, corrected, correction_rate.
with review as (
  select issuer, year,
         max(value) filter (where key = 't4.review.upheld')    as upheld,
         max(value) filter (where key = 't4.review.corrected') as corrected,
         max(value) filter (where key = 't4.review.other')     as other
    from traced_cells
   where key like 't4.review.%'
   group by issuer, year
)
select issuer, year, coalesce(upheld, 0) + coalesce(corrected, 0) + coalesce(other, 0) as decided, corrected,
       round(corrected / (coalesce(upheld, 0) + coalesce(corrected, 0) + coalesce(other, 0)), 4) as correction_rate
  from review
 where coalesce(upheld, 0) + coalesce(corrected, 0) + coalesce(other, 0) > 0
 order by correction_rate desc, issuer, year;
