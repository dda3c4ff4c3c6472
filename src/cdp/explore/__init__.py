"""``cdp explore``: a local, read-only customer 360 explorer over the built DuckDB file.

Modules: ``project`` (the dbt project's own rules, rendered from its macros and
``dbt_project.yml``), ``queries`` (every SQL query, parameterized), ``svg`` (the
identity graph, charts and timelines drawn server-side), ``app`` (the WSGI pages
and the local server)."""
