{#- on-run-end: erasure reaches every table the project builds (docs/contract.md §2).
    Staging and intermediate tables are built before anyone knows who is erased (that
    takes the identity graph), so this pass runs last and, in every table model with
    columns tagged `meta: {pii: true}`, nulls those columns
      - on the rows of erased people: rows of an erased customer (customer_id), of one
        of their records (source_table + record_key), and
      - wherever a column declared as holding an identifier (`meta: {identifier_type:
        email}`, or `identifier_type_column:` naming the row's type column) holds a
        value whose keyed hash is in the erasure log (int_erasure_log): an erased
        person's own values and the shared ones they carried, under everyone (a
        household's landline), also typed in national format (int_national_phones_read).
    In the base_ tables the cells to null are int_raw_cells_erased's (the same rule,
    kept as data so that `cdp erase-raw` can null the same cells in the raw tables): a
    base column is the raw column of its name, or the one its `meta: {raw_column: ...}`
    names (a national phone's digits come from `phone`).
    Values are matched by keyed hash only, so no list of values in clear is kept.
    Views follow their tables. Runs after every `dbt build` and `dbt run` (not after
    compile, docs generate, show or test); does nothing before the erasure models
    exist. -#}
{% macro apply_erasures() -%}
    {#- only after commands that write models (build, run) or when called by hand
        (run-operation): compile, docs generate, show and test read and write nothing -#}
    {%- if not execute or flags.WHICH not in ('build', 'run', 'run-operation') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set scope = {} -%}
    {%- for name in ['int_erasure_log', 'int_erased_records', 'int_raw_cells_erased'] -%}
        {%- set node = graph.nodes.get('model.cdp.' ~ name) -%}
        {%- set relation = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) if node else none -%}
        {%- if relation is none -%}
            {{ log('apply_erasures: ' ~ name ~ ' is not built yet; nothing to mask', info=true) }}
            {{ return('') }}
        {%- endif -%}
        {%- do scope.update({name: relation}) -%}
    {%- endfor -%}
    {%- set raw_tables = {} -%}
    {%- for item in cdp_sources() -%}
        {%- do raw_tables.update({'base_' ~ item.model: item}) -%}
    {%- endfor -%}
    {%- set masked = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
        if node.resource_type == 'model' and node.package_name == 'cdp'
        and node.config.materialized in ('table', 'incremental') -%}
        {%- set pii = pii_columns(node) -%}
        {%- if node.name in raw_tables -%}
            {#- a base model's personal columns are also those its source declares (with
                the national digits of a declared phone), so that a new source needs no
                YAML of its own to be erased -#}
            {%- set item = raw_tables[node.name] -%}
            {%- for column in item.pii if column | lower not in pii -%}
                {%- do pii.update({column | lower: {'raw_column': column}}) -%}
            {%- endfor -%}
            {%- if item.national_phone and item.identifiers.get('phone')
                and item.national_phone | lower not in pii -%}
                {%- do pii.update({item.national_phone | lower: {
                    'raw_column': item.identifiers.phone}}) -%}
            {%- endif -%}
        {%- endif -%}
        {%- set relation = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) if pii else none -%}
        {#- a mart is built in marts_audit and published to marts (publish_marts): its
            published copy is masked too, so that an erasure reaches it even when this
            build fails and publishes nothing -#}
        {%- set published = adapter.get_relation(
            database=node.database, schema=node.schema[:-('_audit' | length)],
            identifier=node.alias
        ) if relation is not none and node.schema.endswith('_audit') else none -%}
        {%- for target in ([relation] if relation is not none else [])
            + ([published] if published is not none else []) -%}
            {%- set columns = {} -%}
            {%- for column in adapter.get_columns_in_relation(target) -%}
                {#- dbt-spark's columns say is_string() false for Spark's type `string` -#}
                {%- do columns.update({
                    column.name | lower: column.is_string() or column.dtype | lower == 'string'
                }) -%}
            {%- endfor -%}
            {%- set row_conditions = [] -%}
            {%- set value_conditions = {} -%}
            {%- if node.name in raw_tables -%}
                {%- set item = raw_tables[node.name] -%}
                {%- set cells = 'select row_hash from ' ~ scope.int_raw_cells_erased
                    ~ ' where raw_table = ' ~ quote_literal(item.name) -%}
                {%- for column in pii if column in columns -%}
                    {%- do value_conditions.update({column: '_row_hash in (' ~ cells
                        ~ ' and raw_column = ' ~ quote_literal(pii[column].raw_column or column)
                        ~ ')'}) -%}
                {%- endfor -%}
            {%- else -%}
                {%- if 'customer_id' in columns -%}
                    {%- do row_conditions.append('customer_id in (select customer_id from '
                        ~ scope.int_erased_records ~ ')') -%}
                {%- endif -%}
                {%- if 'source_table' in columns and 'record_key' in columns -%}
                    {%- do row_conditions.append(
                        'exists (select 1 from ' ~ scope.int_erased_records ~ ' as erased'
                        ~ ' where erased.source_table = ' ~ target ~ '.source_table'
                        ~ ' and erased.record_key = ' ~ target ~ '.record_key)'
                    ) -%}
                {%- endif -%}
                {%- for column in pii if columns.get(column) -%}
                    {%- set by_value = erased_value_condition(
                        column, pii[column], scope.int_erasure_log
                    ) -%}
                    {%- if by_value -%}
                        {%- do value_conditions.update({column: by_value}) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
            {%- set row_is_erased = '(' ~ (row_conditions | join(' or ') or 'false') ~ ')' -%}
            {%- set assignments = [] -%}
            {%- for column in pii if column in columns -%}
                {#- account ids and cookies may stay (docs/contract.md §4) -#}
                {%- set type_column = pii[column].identifier_type_column -%}
                {%- set row_rule = ('(' ~ row_is_erased ~ ' and ' ~ type_column
                    ~ " in ('email', 'phone'))")
                    if type_column and type_column in columns else row_is_erased -%}
                {%- do assignments.append(
                    column ~ ' = case when ' ~ row_rule
                    ~ ((' or ' ~ value_conditions[column]) if column in value_conditions else '')
                    ~ ' then null else ' ~ column ~ ' end'
                ) -%}
            {%- endfor -%}
            {%- set where = ([row_is_erased] + (value_conditions.values() | list)) | join(' or ') -%}
            {%- if assignments -%}
                {%- do mask_erased_rows(target, assignments, where) -%}
                {%- do masked.append(target.schema ~ '.' ~ node.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do adapter.commit() -%}
    {{ log('apply_erasures: checked ' ~ (masked | length) ~ ' tables with personal columns', info=true) }}
    {{ return('') }}
{%- endmacro %}
