"""Where the award catalogue (awards/, an app below this one) plugs into emulation, so emulation never imports it.

Registration and the year-end assessment name titles (danh hiệu thi đua) of the catalogue by their code. The
awards app registers, from its AppConfig.ready(), the function that lists them; emulation validates and names
titles through `titles()` and `title_name()` only.
"""

from dataclasses import dataclass

COLLECTIVE = "collective"
INDIVIDUAL = "individual"


@dataclass(frozen=True)
class Title:
    """A title of the catalogue a unit or a person may register for or be proposed for."""

    code: str
    name: str
    recipient_kind: str  # COLLECTIVE, INDIVIDUAL or "both"
    is_annual_title: bool

    def is_for(self, kind):
        return self.recipient_kind in (kind, "both")


_CATALOGUE = {}


def register_title_catalogue(provide):
    """`provide()` → [Title]: the active titles of the catalogue, in their order."""
    _CATALOGUE["provide"] = provide


def titles(kind=None):
    """The catalogue's active titles, those for `kind` (COLLECTIVE or INDIVIDUAL) when it is given."""
    provide = _CATALOGUE.get("provide")
    every = provide() if provide else []
    return [title for title in every if kind is None or title.is_for(kind)]


def title_names():
    """{code: name} of every active title."""
    return {title.code: title.name for title in titles()}
