-- Every identifier every customer record carries, as the record carries it
-- (docs/contract.md §2: identifiers that appear together on one source record are
-- linked). The records and their identifier columns: macro identity_record_sources.
-- Phones typed in national format on records without a country are not here yet:
-- int_national_phones_read reads them, int_identifier_occurrences adds them.
-- Consent events, privacy requests and enrichment are signals about identifiers, not
-- customer records: they attach to customers later and never link or create one.
with

final as (
    {%- for source in identity_record_sources() %}
        {{ identifiers_of(
            source.relation, source.source_table, source.record_key, source.identifiers,
            source.first_seen_at, source.get('last_seen_at'), where=source.get('where')
        ) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final
