{#- Fails (returns one row) unless the model has exactly `expected` rows. -#}
{% test row_count_equals(model, expected) %}

with

counted as (
    select count(*) as row_count from {{ model }}
)

select * from counted
where row_count <> {{ expected }}

{% endtest %}
