"""A dbt-duckdb plugin (profiles.yml: ``plugins: [{module: cdp.duckdb_secrets}]``) that
hands the project's secret to SQL without writing it anywhere.

The secret salt keys the hashes the project keeps of identifiers (customer ids, the
hashes kept after an erasure). It comes from the environment variable
``CDP_SECRET_SALT`` and is set as the DuckDB variable ``cdp_secret_salt`` on every
connection and cursor dbt opens; models read it with ``getvariable('cdp_secret_salt')``
(macro ``secret_salt``). So it never appears in compiled SQL, the manifest or the logs,
as a var or a Jinja ``env_var`` would. Without the variable, the demo salt is used; the
build's first step (macro ``check_secret_salt``) refuses that outside the demo data.
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin

SECRET_ENV = "CDP_SECRET_SALT"
# Only for the generated demo data (a `truth` schema beside `raw`); check_secret_salt
# refuses it for any other data.
DEMO_SALT = "cdp-demo-salt-not-secret"


def secret_salt() -> str:
    return os.environ.get(SECRET_ENV) or DEMO_SALT


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        conn.execute("set variable cdp_secret_salt = ?", [secret_salt()])

    def configure_cursor(self, cursor) -> None:
        cursor.execute("set variable cdp_secret_salt = ?", [secret_salt()])
