{{ select_kept_rows(ref('base_pos__transactions')) }}
