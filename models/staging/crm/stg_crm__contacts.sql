{{ select_kept_rows(ref('base_crm__contacts')) }}
