-- Identity health (warns): the share of identifiers the guards refuse rose by more
-- than var('identity_health_refused_jump_per_mille') per mille since the build before:
-- a new placeholder, a shared number spreading, or a limit changed. The refused ones,
-- by reason and evidence: marts.identity_health (identifiers_refused).
{{ config(severity='warn') }}

with

health as (
    select * from {{ ref('identity_health') }}
)

select
    metric_value as refused_per_mille_now,
    previous_value as refused_per_mille_before
from health
where
    metric = 'identifiers_refused_per_mille'
    and previous_value is not null
    and metric_value > previous_value + {{ number_literal(
        var('identity_health_refused_jump_per_mille'), 'identity_health_refused_jump_per_mille'
    ) }}
