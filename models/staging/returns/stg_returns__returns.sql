{{ select_kept_rows(ref('base_returns__returns')) }}
