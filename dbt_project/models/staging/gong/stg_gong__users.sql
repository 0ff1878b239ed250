select
    user_id,
    email,
    first_name,
    last_name,
    nullif(trim(concat_ws(' ', first_name, last_name)), '') as full_name,
    title,
    manager_id as manager_user_id,
    is_active,
    role as user_role,
    role in ('SE', 'AE', 'CSM') as is_rep,
    team,
    created_at,
    updated_at,
    ingested_at
from {{ source('gong', 'users') }}
