"""Reading and writing case files."""

from foerdermittel.io.case_file import (
    attach_base_rates,
    attach_ledger,
    attach_rule_files,
    case_json_schema,
    dump_case,
    load_case,
    loads_case,
    save_case,
)

__all__ = [
    "attach_base_rates",
    "attach_ledger",
    "attach_rule_files",
    "case_json_schema",
    "dump_case",
    "load_case",
    "loads_case",
    "save_case",
]
