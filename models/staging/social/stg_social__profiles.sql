{{ select_kept_rows(ref('base_social__profiles')) }}
