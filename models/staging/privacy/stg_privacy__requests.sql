{{ select_kept_rows(ref('base_privacy__requests')) }}
