"""``cdp sync``: send audiences to the destinations declared in the dbt project.

The pieces, one idea each:

- ``destinations``: the declarations (dbt exposures with ``meta: cdp_destination``)
- ``macros``: the project's macros rendered into DuckDB SQL (the platforms' hashing
  rules of ``macros/activation/``, the identifier readings of ``macros/standardize/``)
- ``state``: what the command keeps in the DuckDB file (schema ``activation``) and the
  sync log views in schema ``marts``
- ``pending``: consent and privacy signals landed in raw after the last ``dbt build``
- ``plan``: who may be sent now (consent re-read at send time) and the delta against
  what the destination holds
- ``files``, ``http``: the two kinds of destination
- ``sync``: one sync per destination, resumable after a failure
- ``receiver``: a reference receiver of the HTTP protocol, for trying a sync locally
"""
