"""sympozium.lint: every finding of a policy, as `sympozium-policy lint` lists them."""

import os

from ._errors import PolicyError
from ._sympozium import Policy
from ._types import Finding


def _read(text_or_path):
    """(text, source name): a path (os.PathLike, or a str naming a file) is read."""
    if isinstance(text_or_path, os.PathLike) or (
        isinstance(text_or_path, str) and "\n" not in text_or_path and os.path.isfile(text_or_path)
    ):
        path = os.fspath(text_or_path)
        with open(path, "rb") as f:
            return f.read(), path
    return text_or_path, ""


def lint(text_or_path, *, limits=None):
    """Every finding of one SympoziumPolicy, never raising for the policy's sake.

    text_or_path: YAML or JSON text (str or bytes), or the path of a file.
    Returns a list of Finding (``.severity``, ``.code``, ``.path``,
    ``.message``, ``.line``, ``.column``): the strict errors (what strict
    compilation would refuse) and the warnings, as ``sympozium-policy lint``
    reports them. A policy that cannot be read or compiled at all (a YAML
    syntax error, another kind) gives that one error as its only finding.
    OSError is raised only for a path that cannot be read.
    """
    text, source = _read(text_or_path)
    try:
        # Compat compiles what strict refuses, and keeps the refusals as
        # findings, so one pass lists them all.
        policy = Policy.from_yaml(text, mode="compat", source=source, limits=limits)
    except PolicyError as e:
        return [Finding(severity="error", code=e.code or "read.error", path=e.path, message=str(e))]
    return policy.lint()
