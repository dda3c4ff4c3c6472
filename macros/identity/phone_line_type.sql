{#- The line type of a national significant number under its calling code's numbering
    plan (macro phone_number_plans): 'service' (toll-free, shared-cost, premium-rate,
    universal access), 'mobile', 'fixed_line', or 'unknown' when the plan says both
    mobile and fixed (North America) or neither. The patterns are written into the SQL
    as constants: a pattern read from a column would be compiled once per row
    (measured: 200 s instead of 0.1 s for a million phones). -#}
{% macro phone_line_type(national_number, calling_code) -%}
    case
        {%- for code, patterns in phone_number_plans().items() %}
        {%- set is_type = {} %}
        {%- for line_type in ['service', 'mobile', 'fixed_line'] %}
        {%- do is_type.update({line_type: (
            regex_full_match(national_number, patterns[line_type])
        ) if line_type in patterns else 'false'}) %}
        {%- endfor %}
        when {{ calling_code }} = {{ quote_literal(code) }} then case
            when {{ is_type['service'] }} then 'service'
            when {{ is_type['mobile'] }} and {{ is_type['fixed_line'] }} then 'unknown'
            when {{ is_type['mobile'] }} then 'mobile'
            when {{ is_type['fixed_line'] }} then 'fixed_line'
            else 'unknown'
        end
        {%- endfor %}
        else 'unknown'
    end
{%- endmacro %}
