{{ select_kept_rows(ref('base_enrichment__demographics')) }}
