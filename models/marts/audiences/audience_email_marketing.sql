-- Activation: customers who may receive marketing email, with the address to send
-- to and its sha256 (for ad-platform matching). A member has an explicit grant for
-- email_marketing and is contactable for it (customer_consent: so not erased nor
-- restricted), has a primary email, and that email is not on the suppression list
-- for the purpose (which also catches a value named in an erasure or opt-out that
-- stitching could not attribute). The shared logic: macro consent_safe_audience.
{{ consent_safe_audience(
    purpose='email_marketing',
    identifier_type='email',
    address_column='primary_email',
    hash_column='email_sha256',
    address_alias='email'
) }}
