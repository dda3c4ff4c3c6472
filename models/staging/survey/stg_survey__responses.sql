{{ select_kept_rows(ref('base_survey__responses')) }}
