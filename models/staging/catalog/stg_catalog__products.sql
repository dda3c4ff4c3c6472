{{ select_kept_rows(ref('base_catalog__products')) }}
