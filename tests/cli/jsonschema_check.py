"""Validate YAML files against schema/annals.schema.json, as an editor does.

Usage: python3 jsonschema_check.py SCHEMA FILE...
Prints one line per violation; exits 1 when there is one, 0 otherwise.

Editors (yaml-language-server) read YAML 1.2 with the core schema: 2019 is
an integer, 2021-01-21 a string (never a date), 1e3 a number, NO a string,
0043 the integer 43. PyYAML implements YAML 1.1 (where 2021-01-21 is a
datetime, NO is false and 0043 is octal), so this loader swaps its implicit
types for those of the YAML 1.2 core schema. (BaseLoader would not do: it
makes every scalar a string, so no number would ever be checked.)
"""
import json
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit types (and merge keys)."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
    ("tag:yaml.org,2002:merge", r"^<<$", ["<"]),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def construct_float(loader, node):
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


def construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", construct_bool)


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            for doc in yaml.load_all(f, Loader=Yaml12Loader):
                for e in validator.iter_errors(doc):
                    # Within anyOf, the alternative that went furthest says most.
                    e = jsonschema.exceptions.best_match([e])
                    where = "/".join(map(str, e.absolute_path)) or "(document)"
                    print("%s: %s: %s" % (path, where, e.message))
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
