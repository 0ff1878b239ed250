{#- Each call with its rep (Gong's primary user) and the rep's name, team and role: the call and rep context
    every per-call mart carries, joined in one place. -#}
with

calls as (

    select * from {{ ref('stg_gong__calls') }}

),

users as (

    select * from {{ ref('stg_gong__users') }}

),

final as (

    select
        calls.call_id,
        calls.call_date,
        calls.started_at as call_started_at,
        calls.primary_user_id as rep_user_id,
        users.full_name as rep_name,
        coalesce(users.team, 'Unassigned') as team,
        coalesce(users.user_role, 'UNKNOWN') as rep_role,
        calls.call_type,
        calls.call_title,
        calls.call_url,
        calls.duration_seconds,
        calls.call_type = 'discovery' as is_discovery_call
    from calls
    left join users
        on calls.primary_user_id = users.user_id

)

select * from final
