-- Activation: customers who may receive marketing text messages, with the phone to
-- send to and its sha256 (for ad-platform matching). A member has an explicit grant
-- for sms_marketing and is contactable for it (customer_consent: so not erased nor
-- restricted), has a primary phone, and that phone is not on the suppression list
-- for the purpose (which also catches a value named in an erasure or opt-out that
-- stitching could not attribute). The shared logic: macro consent_safe_audience.
{{ consent_safe_audience(
    purpose='sms_marketing',
    identifier_type='phone',
    address_column='primary_phone',
    hash_column='phone_sha256',
    address_alias='phone'
) }}
