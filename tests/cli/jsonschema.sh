# The JSON Schema accepts every valid fixture and rejects what a schema can catch.
source "$(dirname "$0")/lib/common.sh"
PY=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null && PY=/usr/bin/python3
"$PY" -c 'import jsonschema, yaml' 2>/dev/null || { fail "python3-jsonschema and python3-yaml are needed (scripts/deps.sh test)"; finish; exit 1; }
cat > validate.py <<'PY'
import json, sys, yaml
import jsonschema

class Loader(yaml.SafeLoader):
    """YAML as an editor reads it, but dates stay text (as annals reads them)."""
Loader.yaml_implicit_resolvers = {
    k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for doc in yaml.load_all(open(path, encoding="utf-8"), Loader=Loader):
        for e in validator.iter_errors(doc):
            print("%s: %s at %s" % (path, e.message, "/".join(map(str, e.absolute_path))))
            bad += 1
sys.exit(1 if bad else 0)
PY
SCHEMA="$SRC/schema/annals.schema.json"
valid=$(find "$SRC/data" "$DATA/report" "$DATA/render" -name '*.yaml'; ls "$DATA"/cli/{actors,events-a,events-b}.yaml)
# shellcheck disable=SC2086
run "$PY" validate.py "$SCHEMA" $valid
expect_rc 0
for f in "$DATA"/schema-invalid/*.yaml; do
    run "$PY" validate.py "$SCHEMA" "$f"
    expect_rc 1
done
# The files in data/ name the schema for yaml-language-server.
for f in $(find "$SRC/data" -name '*.yaml'); do
    CHECKS=$((CHECKS + 1))
    head -1 "$f" | grep -q '^# yaml-language-server: \$schema=.*schema/annals.schema.json$' \
        || fail "$f lacks the schema modeline"
done
finish
