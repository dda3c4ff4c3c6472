{#- A join clause: every row of the from clause with the row of `rates` (the
    currency_rates seed: currency, rate_date, eur_per_unit) of its currency that has
    the latest rate_date on or before `at`, under the alias `alias`; no rate (nulls)
    when there is none. `currency`, `at`: SQL expressions of the left side.
    DuckDB: an ASOF join. Elsewhere (Spark has none: `asof left join` even parses, as
    a table alias `asof` and a plain left join) each rate is joined over its
    validity, from its date to the next rate's date. -#}
{% macro rate_asof_join(rates, alias, currency, at) -%}
    {{ return(adapter.dispatch('rate_asof_join', 'cdp')(rates, alias, currency, at)) }}
{%- endmacro %}

{% macro duckdb__rate_asof_join(rates, alias, currency, at) -%}
    asof left join {{ rates }} as {{ alias }}
        on {{ currency }} = {{ alias }}.currency
            and {{ at }} >= {{ alias }}.rate_date
{%- endmacro %}

{% macro default__rate_asof_join(rates, alias, currency, at) -%}
    left join (
        select
            currency,
            rate_date,
            eur_per_unit,
            lead(rate_date) over (partition by currency order by rate_date) as next_rate_date
        from {{ rates }}
    ) as {{ alias }}
        on {{ currency }} = {{ alias }}.currency
            and {{ at }} >= {{ alias }}.rate_date
            and ({{ at }} < {{ alias }}.next_rate_date or {{ alias }}.next_rate_date is null)
{%- endmacro %}
