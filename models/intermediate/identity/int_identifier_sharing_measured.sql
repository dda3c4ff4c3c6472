-- The sharing guard's evidence: for every email, phone and cookie, how many distinct
-- accounts and addresses of each kind appear with it on the same records, against
-- the limit for its type and line type (identifier_limits seed). A value over any
-- limit is evidently shared by different people and links nothing
-- (int_identifiers_classified). One row per identifier value and linked type.
{{ identifier_sharing(
    ref('int_identifier_occurrences'), line_types=ref('int_phone_line_types')
) }}
