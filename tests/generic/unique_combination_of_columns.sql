{#- The combination of `columns` is unique: returns each combination that occurs
    more than once, with its count. -#}
{% test unique_combination_of_columns(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
