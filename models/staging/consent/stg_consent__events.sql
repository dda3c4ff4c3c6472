{{ select_kept_rows(ref('base_consent__events')) }}
