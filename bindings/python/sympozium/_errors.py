"""The exception sympozium raises for policies and documents it cannot use."""


class PolicyError(ValueError):
    """A policy or document could not be read, decoded or compiled, or was refused.

    Attributes:
        path: the document path of the field at fault, e.g.
            ``"spec.toolGating.rules[0].action"``; ``""`` when the whole
            document is at fault (a YAML syntax error, a wrong kind).
        code: the stable reason code when there is one (``"schema.enum"``,
            ``"rbac.denied_resource"``), else ``""``.
    """

    def __init__(self, message: str, path: str = "", code: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.code = code
