{#- One value of a Meta (Facebook) customer-list custom audience upload, from the mart
    value of `field`, normalized as Meta's customer-list hashing rules ask, then
    sha256 (Meta wants every one of these hashed):
      email        trimmed, lower case
      phone        digits only (no '+', symbols or letters), leading zeros removed: the
                   country code first, as in E.164 (+49 151 ... -> 49151...)
      first_name,  lower case, letters only: punctuation, spaces and digits removed;
      last_name    letters beyond a-z (é, ß) kept, UTF-8, as Meta's guide allows
      country      ISO 3166-1 alpha-2 in lower case
      postal_code  lower case, spaces removed, only the part before a '-' (a US ZIP+4
                   keeps its five digits)
    The marts hold emails trimmed and lower-cased and phones in E.164 already. Null in,
    null out; a value left empty is null. `field` is one of the six names above;
    `value` a SQL expression. -#}
{% macro meta_custom_audience_value(field, value) -%}
    {%- if field == 'email' -%}
        {{ sha256_hex("nullif(lower(trim(" ~ value ~ ")), '')") }}
    {%- elif field == 'phone' -%}
        {%- set digits = regex_replace_all(value, '[^0-9]', '') -%}
        {{ sha256_hex("nullif(" ~ regex_replace_all(digits, '^0+', '') ~ ", '')") }}
    {%- elif field in ('first_name', 'last_name') -%}
        {{ sha256_hex("nullif(" ~ regex_replace_all("lower(" ~ value ~ ")", '[^\\p{L}\\p{M}]', '') ~ ", '')") }}
    {%- elif field == 'country' -%}
        {{ sha256_hex("nullif(left(" ~ regex_replace_all("lower(" ~ value ~ ")", '[^a-z]', '') ~ ", 2), '')") }}
    {%- elif field == 'postal_code' -%}
        {%- set compact = regex_replace_all("lower(" ~ value ~ ")", '\\s', '') -%}
        {{ sha256_hex("nullif(split_part(" ~ compact ~ ", '-', 1), '')") }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "meta_custom_audience_value: unknown field " ~ field
            ~ " (email, phone, first_name, last_name, country, postal_code)"
        ) }}
    {%- endif -%}
{%- endmacro %}
