{{ select_kept_rows(ref('base_loyalty__members')) }}
