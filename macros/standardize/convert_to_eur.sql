{#- An amount times its EUR rate, rounded to cents as DECIMAL(18, 2); null when the
    result does not fit that type (try_cast). Both arguments are SQL expressions,
    parenthesized so that `a - b` converts as a whole. The amount is widened to
    DECIMAL(38, 4) first: DECIMAL(18, 4) x DECIMAL(18, 8) stays DECIMAL(18, 12) in
    DuckDB, which overflows (and fails the build) from one million EUR. Staging keeps
    amounts under the number_out_of_range ceiling, so the product always fits. -#}
{% macro convert_to_eur(amount, eur_per_unit) -%}
    {{ return(adapter.dispatch('convert_to_eur', 'cdp')(amount, eur_per_unit)) }}
{%- endmacro %}

{% macro duckdb__convert_to_eur(amount, eur_per_unit) -%}
    try_cast(
        round(cast({{ amount }} as decimal(38, 4)) * ({{ eur_per_unit }}), 2)
        as decimal(18, 2)
    )
{%- endmacro %}

{#- Spark keeps a product of decimals exact only up to 38 digits: DECIMAL(38, 4) x
    DECIMAL(18, 8) is rounded to 6 decimals, and rounding that again to cents can be
    a cent off. DECIMAL(19, 4) x DECIMAL(18, 8) is exact (DECIMAL(38, 12)); only an
    amount beyond that (10^15, never a real one) takes the 6-decimal product. -#}
{% macro spark__convert_to_eur(amount, eur_per_unit) -%}
    try_cast(
        coalesce(
            round(try_cast({{ amount }} as decimal(19, 4)) * ({{ eur_per_unit }}), 2),
            round(cast({{ amount }} as decimal(38, 4)) * ({{ eur_per_unit }}), 2)
        )
        as decimal(18, 2)
    )
{%- endmacro %}

{% macro default__convert_to_eur(amount, eur_per_unit) -%}
    {{ unsupported_adapter('convert_to_eur') }}
{%- endmacro %}
