select
    dimension,
    version as rubric_version,
    {{ rubric_version_number('version') }} as rubric_version_number,
    content_hash,
    content ->> 'title' as rubric_title,
    content ->> 'method' as rubric_method,
    content -> 'criteria' as criteria,
    loaded_at
from {{ source('coaching', 'rubrics') }}
