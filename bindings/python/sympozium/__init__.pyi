# Type stub for the sympozium package (the compiled sympozium._sympozium
# re-exported by __init__.py), so editors and type checkers know its API.
import os
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Union

__version__: str

Document = Union[str, bytes, bytearray, memoryview, Mapping[str, Any]]
Documents = Union[Document, Sequence[Document]]
ModeName = Literal["strict", "compat"]
ToolDecisionName = Literal["allow", "deny", "ask"]
LimitName = Literal[
    "max_bytes",
    "max_depth",
    "max_documents",
    "max_nodes",
    "max_list_length",
    "max_tool_rules",
    "max_registries",
]
Limits = Mapping[LimitName, int]

class PolicyError(ValueError):
    """A policy or document could not be read, decoded or compiled, or was refused."""

    path: str
    code: str
    def __init__(self, message: str, path: str = ..., code: str = ...) -> None: ...

class Violation(Dict[str, str]):
    """One broken rule; a dict that also has attributes."""

    code: str
    message: str
    path: str

class Finding(Dict[str, Any]):
    """A warning or lint finding; a dict that also has attributes."""

    severity: Literal["error", "warning"]
    code: str
    path: str
    message: str
    line: Optional[int]
    column: Optional[int]

class Decision:
    """The answer to "may this start?", with every reason. Equal, hashable
    and picklable by value."""

    @property
    def allowed(self) -> bool: ...
    @property
    def result(self) -> Literal["allowed", "denied", "error"]: ...
    @property
    def status(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def violations(self) -> List[Violation]: ...
    @property
    def warnings(self) -> List[Finding]: ...
    @property
    def mode(self) -> ModeName: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class Mutation:
    """The defaults Sympozium's mutating webhook would apply (docs/mutation.md)."""

    @property
    def allowed(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def patch(self) -> List[Dict[str, Any]]: ...
    @property
    def object(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class NetworkPolicy:
    """The NetworkPolicy a SympoziumPolicy's networkPolicy asks for (docs/rbac.md#networkpolicy)."""

    @property
    def object(self) -> Optional[Dict[str, Any]]: ...
    @property
    def warnings(self) -> List[Dict[str, Any]]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class RbacResult:
    """rbacFor's full answer (docs/rbac.md): objects, warnings, cleanup."""

    @property
    def objects(self) -> List[Dict[str, Any]]: ...
    @property
    def warnings(self) -> List[Dict[str, Any]]: ...
    @property
    def violations(self) -> List[Dict[str, str]]: ...
    @property
    def cleanup_selectors(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class ModelVerification:
    """A downloaded model file checked against spec.source.sha256."""

    @property
    def match(self) -> bool: ...
    @property
    def status(self) -> Literal["match", "mismatch"]: ...
    @property
    def expected(self) -> str: ...
    @property
    def actual(self) -> str: ...
    @property
    def bytes(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

class Cluster:
    """Agents, SympoziumPolicies and SkillPacks, for the lookups admission makes."""

    def __init__(self, docs: Optional[Documents] = None, *, limits: Optional[Limits] = None) -> None: ...
    def add(self, docs: Documents, source: str = "", *, limits: Optional[Limits] = None) -> None: ...
    def add_file(self, path: str, *, limits: Optional[Limits] = None) -> None: ...
    def policy(self, namespace: str, name: str) -> Optional[Policy]: ...
    @property
    def agent_count(self) -> int: ...
    @property
    def policy_count(self) -> int: ...
    @property
    def skill_pack_count(self) -> int: ...
    @property
    def generation(self) -> int: ...
    @property
    def broken(self) -> List[Dict[str, str]]: ...

# ---- Cluster store (begin)
class ClusterStore:
    """A live cluster view: upsert/remove objects, take immutable snapshots."""

    def __init__(self, mode: ModeName = "strict", limits: Optional[Limits] = None) -> None: ...
    def upsert(self, doc: Documents) -> Optional[str]: ...
    def remove(self, kind: str, namespace: str, name: str) -> bool: ...
    def snapshot(self) -> Cluster: ...
    @property
    def generation(self) -> int: ...
    @property
    def broken(self) -> List[Dict[str, str]]: ...

# ---- Cluster store (end)

class Policy:
    """A compiled SympoziumPolicy: immutable, shareable between threads."""

    @staticmethod
    def preset(name: str, mode: ModeName = "strict") -> Policy: ...
    @staticmethod
    def from_yaml(
        text: Union[str, bytes],
        mode: ModeName = "strict",
        source: str = "",
        *,
        limits: Optional[Limits] = None,
    ) -> Policy: ...
    @staticmethod
    def from_file(path: str, mode: ModeName = "strict", *, limits: Optional[Limits] = None) -> Policy: ...
    @staticmethod
    def from_dict(
        doc: Dict[str, Any], mode: ModeName = "strict", *, limits: Optional[Limits] = None
    ) -> Policy: ...
    @property
    def name(self) -> str: ...
    @property
    def namespace(self) -> str: ...
    @property
    def preset_version(self) -> str: ...
    def evaluate(
        self,
        doc: Document,
        mode: ModeName = "strict",
        cluster: Optional[Cluster] = None,
        mutate: bool = False,
        schema_warnings: bool = False,
        *,
        limits: Optional[Limits] = None,
    ) -> Decision: ...
    def admit_start(
        self,
        run: Document,
        *,
        running_for_agent: Optional[int] = 0,
        running_children_of_parent: Optional[int] = 0,
        mode: ModeName = "strict",
        limits: Optional[Limits] = None,
    ) -> Decision: ...
    def network_policy(self, namespace: Optional[str] = None) -> NetworkPolicy: ...
    def tool_decision(self, tool: str, run: Optional[Document] = None) -> ToolDecisionName: ...
    def explain_tool(self, tool: str, run: Optional[Document] = None) -> Dict[str, str]: ...
    def lint(self, mode: ModeName = "strict", ignore: Sequence[str] = ()) -> List[Finding]: ...

def evaluate(
    doc: Document,
    policy: Optional[Policy] = None,
    cluster: Optional[Cluster] = None,
    mode: ModeName = "strict",
    mutate: bool = False,
    schema_warnings: bool = False,
    *,
    limits: Optional[Limits] = None,
) -> Decision: ...
def admission_review(
    review: Union[str, bytes, Dict[str, Any]],
    cluster: Optional[Cluster] = None,
    mode: ModeName = "strict",
    enforcement: Literal["deny", "warn", "audit"] = "deny",
    shadow_mode: Optional[ModeName] = None,
    endpoint: Literal["validate", "mutate"] = "validate",
    *,
    limits: Optional[Limits] = None,
) -> Dict[str, Any]: ...
def admit_start(
    run: Document,
    policy: Optional[Policy] = None,
    cluster: Optional[Cluster] = None,
    *,
    running_for_agent: Optional[int] = 0,
    running_children_of_parent: Optional[int] = 0,
    mode: ModeName = "strict",
    limits: Optional[Limits] = None,
) -> Decision: ...
def evaluate_pod(
    obj: Document,
    policy: Optional[Policy] = None,
    mode: ModeName = "strict",
    *,
    limits: Optional[Limits] = None,
) -> Decision: ...
def evaluate_pod_security(
    obj: Document,
    standard: str = "restricted",
    *,
    limits: Optional[Limits] = None,
) -> Decision: ...
def mutate(
    run: Document,
    policy: Optional[Policy] = None,
    cluster: Optional[Cluster] = None,
    mode: ModeName = "strict",
    *,
    limits: Optional[Limits] = None,
) -> Mutation: ...
def rbac_for(
    skillpack: Documents,
    run: Document,
    policy: Optional[Policy] = None,
    mode: ModeName = "strict",
    *,
    limits: Optional[Limits] = None,
) -> List[Dict[str, Any]]: ...
def rbac_for_result(
    skillpack: Documents,
    run: Document,
    policy: Optional[Policy] = None,
    mode: ModeName = "strict",
    *,
    limits: Optional[Limits] = None,
) -> RbacResult: ...
def verify_model(
    path: str, sha256: Optional[str] = None, *, model: Optional[Document] = None
) -> ModelVerification: ...
def default_limits() -> Dict[LimitName, int]: ...
def tool_decision(
    tool: str, run: Optional[Document] = None, policy: Optional[Policy] = None
) -> ToolDecisionName: ...
def explain_tool(
    tool: str, run: Optional[Document] = None, policy: Optional[Policy] = None
) -> Dict[str, str]: ...
def presets() -> List[str]: ...
def lint(
    text_or_path: Union[str, bytes, Dict[str, Any], "os.PathLike[str]"],
    mode: ModeName = "strict",
    ignore: Sequence[str] = (),
    *,
    limits: Optional[Mapping[str, int]] = ...,
) -> List[Finding]: ...
def find_test_files(paths: Sequence[str]) -> List[str]: ...
def run_test_file(path: str) -> Dict[str, Any]: ...
