{#- Rewrite the rows of `relation` that match `where` with `assignments` (a list of
    `column = expression`): the erasure pass's write. DuckDB updates in place. -#}
{% macro mask_erased_rows(relation, assignments, where) -%}
    {{ return(adapter.dispatch('mask_erased_rows', 'cdp')(relation, assignments, where)) }}
{%- endmacro %}

{% macro default__mask_erased_rows(relation, assignments, where) -%}
    {%- call statement('mask_erased_rows') -%}
        update {{ relation }} set {{ assignments | join(', ') }} where {{ where }}
    {%- endcall -%}
{%- endmacro %}
