"""Typed records the module returns: dicts that also have attributes.

``decision.violations[0].code`` and ``decision.violations[0]["code"]`` are
the same, and a record still compares equal to (and serialises as) the plain
dict of the CLI's JSON output.
"""


class _Record(dict):
    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, dict.__repr__(self))

    def __reduce__(self):
        return (type(self), (dict(self),))


class Violation(_Record):
    """One broken rule: ``.code`` (stable reason code), ``.message`` (the Go
    wording), ``.path`` (document path of the field that decided it)."""

    __slots__ = ()
    code: str
    message: str
    path: str


class Finding(_Record):
    """A warning or lint finding: ``.severity`` ("error" or "warning"),
    ``.code``, ``.path``, ``.message``, and ``.line`` / ``.column`` when known
    (None otherwise)."""

    __slots__ = ()
    severity: str
    code: str
    path: str
    message: str

    def __getattr__(self, name):
        if name in ("line", "column"):
            return self.get(name)
        if name == "severity":
            return self.get("severity", "warning")
        return _Record.__getattr__(self, name)
