{{ select_kept_rows(ref('base_email__activities')) }}
