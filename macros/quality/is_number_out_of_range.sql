{#- True when a parsed amount or quantity is beyond what the project takes as a real
    value of one row: ten billion (10^10) or more, either sign. No single sale, refund,
    unit price, product cost, order-line quantity or follower count reaches it; a
    barcode scanned into a quantity or a card number typed into an amount does. Under
    the ceiling, every conversion to EUR fits DECIMAL(18, 2) (rates up to 100,000 EUR
    per unit), and so does a sum of hundreds of thousands of such amounts; products of
    two numbers (quantity x unit cost) cannot overflow the arithmetic either, and
    convert_to_eur turns a result that does not fit into null (an unknown cost), never
    a failed build. Null input gives null (not out of range). -#}
{% macro is_number_out_of_range(expression) -%}
    (abs({{ expression }}) >= 10000000000)
{%- endmacro %}
