{{ select_kept_rows(ref('base_shop__order_lines')) }}
