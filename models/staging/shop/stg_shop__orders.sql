{{ select_kept_rows(ref('base_shop__orders')) }}
