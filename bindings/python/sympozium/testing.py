"""Assertions for hand-written policy tests that say why they failed.

    >>> from sympozium.testing import assert_allowed, assert_denied
    >>> assert_denied(policy.evaluate(run), code="sandbox.required")

A failed assertion lists the decision's result, code and every violation
(code, path and message), so the test output shows what the policy saw.
"""

from typing import Iterable, Optional

__all__ = ["assert_allowed", "assert_denied", "assert_error", "describe"]


def describe(decision) -> str:
    """The decision for people: its result and code, then one violation a line."""
    lines = [f"{decision.result} (code {decision.code or '-'}): {decision.message}"]
    for v in decision.violations:
        lines.append(f"  {v['code']} at {v.get('path') or '-'}: {v['message']}")
    return "\n".join(lines)


def _check(decision, result: str, code: Optional[str], violations: Optional[Iterable[str]]):
    problems = []
    if decision.result != result:
        problems.append(f"expected {result}, got {decision.result}")
    if code is not None and decision.code != code:
        problems.append(f"expected code {code}, got {decision.code or '(none)'}")
    if violations is not None:
        want = sorted(set(violations))
        got = sorted({v["code"] for v in decision.violations})
        if want != got:
            problems.append(f"expected violations {want}, got {got}")
    if problems:
        raise AssertionError("; ".join(problems) + "\n" + describe(decision))


def assert_allowed(decision) -> None:
    """Fails, listing the violations, unless `decision` is allowed."""
    _check(decision, "allowed", None, None)


def assert_denied(decision, code: Optional[str] = None,
                  violations: Optional[Iterable[str]] = None) -> None:
    """Fails unless `decision` is denied, with `code` (its first violation's)
    and exactly the violation codes `violations` when given."""
    _check(decision, "denied", code, violations)


def assert_error(decision, code: Optional[str] = None) -> None:
    """Fails unless `decision` is an error (a failed lookup, an unreadable
    document), with `code` when given."""
    _check(decision, "error", code, None)
