-- Experience and social data per customer: the latest NPS answer, support ticket
-- count and average CSAT, and the second-party social profiles with their reach.
-- One row per customer with at least one of them.
with

survey_responses as (
    select * from {{ ref('stg_survey__responses') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

social_profiles as (
    select * from {{ ref('stg_social__profiles') }}
),

records as (
    select * from {{ ref('int_records_stitched') }}
),

latest_nps as (
    select
        records.customer_id,
        survey_responses.nps_score as latest_nps_score,
        survey_responses.submitted_at as latest_nps_at
    from survey_responses
    inner join records
        on records.source_table = 'survey_responses'
            and survey_responses.response_id = records.record_key
    where records.customer_id is not null and survey_responses.nps_score is not null
    qualify row_number() over (
            partition by records.customer_id
            order by survey_responses.submitted_at desc, survey_responses.response_id desc
        ) = 1
),

support as (
    select
        records.customer_id,
        count(*) as support_ticket_count,
        {{ double_to_decimal('avg(support_tickets.csat_score)', 4, 2) }} as average_csat_score
    from support_tickets
    inner join records
        on records.source_table = 'support_tickets'
            and support_tickets.ticket_id = records.record_key
    where records.customer_id is not null
    group by records.customer_id
),

social as (
    select
        records.customer_id,
        count(*) as social_profile_count,
        cast(sum(social_profiles.follower_count) as bigint) as social_follower_count
    from social_profiles
    inner join records
        on records.source_table = 'social_profiles'
            and social_profiles.profile_id = records.record_key
    where records.customer_id is not null
    group by records.customer_id
),

customers as (
    select customer_id from latest_nps
    union
    select customer_id from support
    union
    select customer_id from social
),

final as (
    select
        customers.customer_id,
        latest_nps.latest_nps_score,
        coalesce(support.support_ticket_count, 0) as support_ticket_count,
        support.average_csat_score,
        coalesce(social.social_profile_count, 0) as social_profile_count,
        social.social_follower_count,
        latest_nps.latest_nps_at
    from customers
    left join latest_nps
        on customers.customer_id = latest_nps.customer_id
    left join support
        on customers.customer_id = support.customer_id
    left join social
        on customers.customer_id = social.customer_id
)

select * from final
