{{ select_kept_rows(ref('base_web__events')) }}
