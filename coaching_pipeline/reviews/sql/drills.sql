-- The rubric's practice drills for one criterion of one rubric version (coaching.rubrics, as loaded).
select criterion -> 'drills' as drills
from coaching.rubrics as rubrics
cross join lateral jsonb_array_elements(rubrics.content -> 'criteria') as criterion
where
    rubrics.dimension = %(dimension)s
    and rubrics.version = %(rubric_version)s
    and criterion ->> 'id' = %(criterion_id)s
