"""sympozium.lint: every finding of a policy, as `sympozium-policy lint` lists them."""

import os

from ._errors import PolicyError
from ._sympozium import lint as _lint
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


def lint(text_or_path, mode="strict", ignore=(), *, limits=None):
    """Every finding of one SympoziumPolicy, never raising for the policy's sake.

    text_or_path: YAML or JSON text (str or bytes), a dict, or the path of a
    file. mode: "strict" (default) or "compat", as ``sympozium-policy lint
    --mode``. ignore: warning codes to hide (as ``--ignore``), besides the
    policy's ``lint.sympozium.ai/ignore`` annotation.
    Returns a list of Finding (``.severity``, ``.code``, ``.path``,
    ``.message``, ``.line``, ``.column``): exactly the findings
    ``sympozium-policy lint`` reports for the document, in its order (the
    rules live in the C++ library, sympozium/lint.h). A document that cannot
    be read at all (a YAML syntax error) gives that one error as its only
    finding. OSError is raised only for a path that cannot be read.
    """
    text, source = _read(text_or_path)
    codes = [ignore] if isinstance(ignore, str) else list(ignore)
    try:
        return _lint(text, mode, codes, source=source, limits=limits)
    except PolicyError as e:
        return [Finding(severity="error", code=e.code or "read.error", path=e.path, message=str(e))]
