"""A dbt-duckdb plugin (profiles.yml: ``plugins: [{module: cdp.duckdb_resources, ...}]``)
for the resources a build may use: it checks the memory and spill settings the profile
reads from the environment, so that a mistyped value stops the build before its first
model with a message naming the variable, and it sets DuckDB's thread count when
``CDP_DUCKDB_THREADS`` is given (DuckDB's default, one thread per core, otherwise: a
setting cannot be left out of ``settings:`` when its variable is unset). It sets the
spill directory (``CDP_DUCKDB_TEMP_DIRECTORY``) once per connection, and only when it
differs: dbt-duckdb runs every ``settings:`` entry again on each cursor it opens, and
DuckDB refuses to set ``temp_directory`` (even to the same value) once it holds spilled
data, which failed the next model of every build that spilled.

README, "Big data sets on one machine": what each setting does and how to pick it.
"""

from __future__ import annotations

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

# profile setting -> the environment variable that sets it, and an example value
SETTINGS = {
    "memory_limit": ("CDP_DUCKDB_MEMORY_LIMIT", "16GiB or 60% (of the machine's memory)"),
    "max_temp_directory_size": ("CDP_DUCKDB_MAX_TEMP_SIZE", "200GiB"),
}


def threads_setting(value: object) -> int | None:
    """CDP_DUCKDB_THREADS as a number of threads; None when unset (DuckDB's default)."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise DbtRuntimeError(
            f"CDP_DUCKDB_THREADS must be a whole number of threads (1 or more), got: {text!r}"
        )
    return int(text)


def check_setting(name: str, value: object) -> None:
    """Fail with the variable's name when DuckDB cannot read the value."""
    variable, example = SETTINGS[name]
    try:
        duckdb.connect(config={name: str(value)}).close()
    except duckdb.Error as error:
        raise DbtRuntimeError(
            f"{variable} (profile setting {name}) is not a size DuckDB understands: "
            f"{value!r} ({str(error).splitlines()[0]}); use e.g. {example}"
        ) from None


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict) -> None:
        # the plugin's config is the profile's settings plus its own keys
        for name in SETTINGS:
            if name in plugin_config:
                check_setting(name, plugin_config[name])
        self.threads = threads_setting(plugin_config.get("threads"))
        self.temp_directory = plugin_config.get("temp_directory")

    def update_connection_config(self, creds, config: dict) -> None:
        if self.threads is not None:
            config["threads"] = self.threads

    def configure_connection(self, conn) -> None:
        if self.temp_directory is None:
            return
        # on a cursor closed at once: a result left open on the database's own connection
        # keeps a transaction open for the whole build, and a CHECKPOINT by anyone else in
        # the process (a test, a tool copying the file) is then refused
        cursor = conn.cursor()
        try:
            [(current,)] = cursor.execute("select current_setting('temp_directory')").fetchall()
            if current != self.temp_directory:
                quoted = str(self.temp_directory).replace("'", "''")
                cursor.execute(f"set temp_directory = '{quoted}'")
        finally:
            cursor.close()
