{#- Fails on the rows whose column is null or outside (min_value, max_value), bounds
    excluded. -#}
{% test accepted_range(model, column_name, min_value, max_value) %}

with

checked as (
    select {{ column_name }} as value from {{ model }}
)

select * from checked
where value is null or value <= {{ min_value }} or value >= {{ max_value }}

{% endtest %}
