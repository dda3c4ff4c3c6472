{#- One value of a Google Ads Customer Match upload, from the mart value of `field`,
    formatted as Google's guidelines for customer data ask (Customer Match and the
    Data Manager API, "Format user data"):
      email        lower case, every whitespace removed; for gmail.com and
                   googlemail.com addresses the dots of the local part and a +suffix
                   removed (cloudy.sf+shop@gmail.com -> cloudysf@gmail.com); sha256
      phone        E.164: '+' and the digits; sha256
      first_name,  lower case, no punctuation (every character but letters, marks,
      last_name    digits and spaces removed), inner spaces collapsed, trimmed; sha256
      country      ISO 3166-1 alpha-2 in upper case, not hashed (Google wants it clear)
      postal_code  trimmed, not hashed (likewise)
    The marts hold emails trimmed and lower-cased and phones in E.164 already; these
    rules are Google's, applied on top. Null in, null out; a value left empty is null.
    `field` is one of the six names above; `value` a SQL expression. -#}
{% macro google_customer_match_value(field, value) -%}
    {%- if field == 'email' -%}
        {%- set email = "lower(" ~ regex_replace_all(value, '\\s', '') ~ ")" -%}
        {%- set local_part = "split_part(" ~ email ~ ", '@', 1)" -%}
        {%- set domain = "split_part(" ~ email ~ ", '@', 2)" -%}
        {{ sha256_hex(
            "nullif(case when " ~ domain ~ " in ('gmail.com', 'googlemail.com') then "
            ~ "replace(split_part(" ~ local_part ~ ", '+', 1), '.', '') || '@' || " ~ domain
            ~ " else " ~ email ~ " end, '')"
        ) }}
    {%- elif field == 'phone' -%}
        {%- set digits = regex_replace_all(value, '[^0-9]', '') -%}
        {{ sha256_hex("'+' || nullif(" ~ digits ~ ", '')") }}
    {%- elif field in ('first_name', 'last_name') -%}
        {%- set unpunctuated = regex_replace_all("lower(" ~ value ~ ")", '[^\\p{L}\\p{M}\\p{N}\\s]', '') -%}
        {{ sha256_hex("nullif(trim(" ~ regex_replace_all(unpunctuated, '\\s+', ' ') ~ "), '')") }}
    {%- elif field == 'country' -%}
        nullif(upper(trim({{ value }})), '')
    {%- elif field == 'postal_code' -%}
        nullif(trim({{ value }}), '')
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "google_customer_match_value: unknown field " ~ field
            ~ " (email, phone, first_name, last_name, country, postal_code)"
        ) }}
    {%- endif -%}
{%- endmacro %}
