"""The contracts package needs pydantic and nothing else, so any team can install it.

jsonschema (used by these tests) and aiokafka (used by the example) must not
creep into the package's imports.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

from contracts_support import CONTRACTS

# pydantic and what pydantic itself depends on.
ALLOWED = {"pydantic", "pydantic_core", "typing_extensions", "annotated_types", "typing_inspection"}


def test_declared_dependencies_are_pydantic_only() -> None:
    with (CONTRACTS / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    assert [d.split(">")[0].split("<")[0].split("=")[0].strip() for d in project["dependencies"]] == ["pydantic"]


def test_importing_the_package_and_its_tools_loads_only_pydantic() -> None:
    code = (
        "import json, sys\n"
        "import tdkt_contracts, tdkt_contracts.generate, tdkt_contracts.compat\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(result.stdout))
    # Names starting with "_" are interpreter and installer internals (e.g. an editable-install finder).
    ours = ALLOWED | {"tdkt_contracts"}
    foreign = {n for n in loaded if n not in sys.stdlib_module_names and n not in ours and not n.startswith("_")}
    assert not foreign, f"the contracts package imports {sorted(foreign)}; it may depend on pydantic only"
