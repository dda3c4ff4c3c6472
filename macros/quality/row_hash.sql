{#- md5 of every column of the current relation except the loader's _loaded_at:
    two deliveries of the same content have the same hash. Use it in a CTE that
    selects from exactly one raw relation. -#}
{% macro row_hash() -%}
    md5(cast(to_json([*columns(* exclude (_loaded_at))]) as varchar))
{%- endmacro %}
