"""Where the apps built on reports plug into it, so that reports never imports them (DESIGN.md section 3).

A later app registers, from its AppConfig.ready(), a part of the consolidated report's snapshot: a name
and a function of the period that returns plain JSON (e.g. awards: the paragraphs of section III, from the
award register). The compile freezes each part in the snapshot under its name.
"""

_SNAPSHOT_PARTS = {}


def register_snapshot_part(name, gather):
    """`gather(period)` → JSON-ready value, kept in the consolidated report's snapshot under `name`."""
    _SNAPSHOT_PARTS[name] = gather


def snapshot_parts(period):
    """Every registered part of the snapshot, gathered for the period."""
    return {name: gather(period) for name, gather in _SNAPSHOT_PARTS.items()}
