with

users as (

    select * from {{ ref('stg_gong__users') }}

),

final as (

    select
        users.user_id,
        users.full_name,
        users.first_name,
        users.last_name,
        users.email,
        users.title,
        users.user_role,
        users.is_rep,
        coalesce(users.team, 'Unassigned') as team,
        users.manager_user_id,
        managers.full_name as manager_name,
        users.is_active,
        users.created_at,
        users.updated_at
    from users
    left join users as managers
        on users.manager_user_id = managers.user_id

)

select * from final
