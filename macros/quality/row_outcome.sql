{#- The fate of every raw row, as two columns:
      _row_outcome    kept | duplicate | quarantined
      _outcome_reason null for kept rows; the quarantine reason code (from the
                      column _quarantine_reason); for duplicates 'redelivery' (same
                      content as the kept row) or 'superseded' (an older version).
    Among the rows that pass the checks, the first row per `partition_by` in
    `order_by` order is kept. _row_hash (see row_hash) ends every ordering, so the
    choice is total and independent of row order or thread count. Write `nulls last`
    after an ascending column that can be null: DuckDB puts nulls last by default,
    Spark first when ascending. -#}
{% macro row_outcome(partition_by, order_by) -%}
    {%- set window -%}
        over (
            partition by {{ partition_by }}, _quarantine_reason is null
            order by {{ order_by }}, _row_hash
        )
    {%- endset -%}
    case
        when _quarantine_reason is not null then 'quarantined'
        when row_number() {{ window }} = 1 then 'kept'
        else 'duplicate'
    end as _row_outcome,
    case
        when _quarantine_reason is not null then _quarantine_reason
        when row_number() {{ window }} = 1 then null
        when _row_hash = first_value(_row_hash) {{ window }} then 'redelivery'
        else 'superseded'
    end as _outcome_reason
{%- endmacro %}
