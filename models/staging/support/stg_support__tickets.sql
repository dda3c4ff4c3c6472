{{ select_kept_rows(ref('base_support__tickets')) }}
