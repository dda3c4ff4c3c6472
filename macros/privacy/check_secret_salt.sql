{#- on-run-start: refuse to build anything but the demo data without a secret salt of
    the user's own. The salt keys customer ids and the hashes kept after an erasure;
    with a known salt anyone could recompute them from an email. Demo data is
    recognized by the generator's `truth` schema. The check only compares the value;
    it is never written into SQL. -#}
{% macro check_secret_salt() -%}
    {%- if execute -%}
        {%- set salt = env_var('CDP_SECRET_SALT', '') -%}
        {%- set how = (
            ' Set the environment variable CDP_SECRET_SALT to a random secret of at least'
            ~ ' 16 characters and keep it (for example: export CDP_SECRET_SALT=$(openssl rand'
            ~ ' -hex 32)); changing it later changes every customer id.'
        ) -%}
        {%- if salt == '' -%}
            {%- set truth = adapter.get_relation(
                database=target.database, schema='truth', identifier='persons'
            ) -%}
            {%- if truth is none -%}
                {{ exceptions.raise_compiler_error(
                    'CDP_SECRET_SALT is not set: the demo salt is only for the generated demo'
                    ~ ' data.' ~ how
                ) }}
            {%- endif -%}
        {%- elif salt | length < 16 -%}
            {{ exceptions.raise_compiler_error(
                'CDP_SECRET_SALT is too short (' ~ (salt | length) ~ ' characters).' ~ how
            ) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}
