{#- A 64-bit hash (DuckDB hash()) of every column of the current relation except the
    loader's _loaded_at: two deliveries of the same content have the same hash. Use
    it in a CTE that selects from exactly one raw relation. Chosen over md5 text
    for speed (10x on the widest tables) and a fixed 8-byte width. -#}
{% macro row_hash() -%}
    hash(*columns(* exclude (_loaded_at)))
{%- endmacro %}
