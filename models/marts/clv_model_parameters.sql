-- The fitted parameters of the CLV models (BG/NBD and Gamma-Gamma), one row per
-- model and parameter, from the dbt Python model int_clv_parameters_fitted.
with

fitted as (
    select * from {{ ref('int_clv_parameters_fitted') }}
),

final as (
    select
        model,
        parameter,
        estimate,
        customers,
        log_likelihood,
        is_converged,
        fit_message
    from fitted
)

select * from final
