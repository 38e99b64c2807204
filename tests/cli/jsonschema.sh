# The JSON Schema accepts every valid fixture and what annals accepts, and
# rejects, at the right place, the invalid files a schema can catch.
source "$(dirname "$0")/lib/common.sh"
# The Debian packages (scripts/deps.sh test), also when another python3 is first on the PATH.
PY=python3
/usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null && PY=/usr/bin/python3
if ! "$PY" -c 'import jsonschema, yaml' 2>/dev/null; then
    fail "python3-jsonschema and python3-yaml are needed (scripts/deps.sh test)"
    finish
    exit 1
fi
SCHEMA="$SRC/schema/annals.schema.json"
validate() { run "$PY" "$SRC/tests/cli/jsonschema_check.py" "$SCHEMA" "$@"; }

# Every valid fixture.
mapfile -t valid < <(find "$SRC/data" "$DATA/report" "$DATA/render" -name '*.yaml' | sort
                     ls "$DATA"/cli/{actors,events-a,events-b}.yaml)
expect_eq "$((${#valid[@]} > 10))" 1 "valid fixtures found"
validate "${valid[@]}"
expect_rc 0
expect_eq "$OUT" "" "schema errors in the valid fixtures"

# What annals accepts and YAML reads as something else than text: numbers
# for ids, names and dates; keys with no value; every date form.
cat > edge.yaml <<'EOF'
# yaml-language-server: $schema=schema/annals.schema.json
actors:
  - id: 1984
    name: 1984
    kind:
    aliases:
    part_of:
    description:
  - id: a.b_c-d
    name: NO
    aliases: [Yes, "x"]
    part_of: [1984]
places:
  - {id: p, name: P, within: , coords: [-90, 180.0], aliases: }
  - {id: q, name: Q, within: p, coords: }
sources:
  - id: s
    title: S
    publisher:
    author: 12
    published: 2021
    accessed: 2021-06-28T10:30:00Z
    url:
    notes:
  - id: s2
    title: true
    published: Y170000002?
    url: https://example.org/a?b=c
events:
  - id: e1
    date: 2019
    title: 2019
    summary:
    type:
    actors:
    places:
    tags:
    sources: [s]
    figures:
    part_of:
    notes:
  - id: e2
    date: 0043
    title: t
    type: 9
    actors: [1984, {id: a.b_c-d, role: r}, {id: 1984, role: }]
    places: [p, q]
    tags: [x, 1]
    sources: [s, {id: s2, quote: , locator: 12}]
    figures:
      - {name: deaths, value: 30, low: 1, high: 1e3, unit: }
      - {name: 5, value: -2.5}
    part_of: e1
  - {id: e3, date: 2019-03/.., title: a, sources: [s]}
  - {id: e4, date: ../1985, title: a, sources: [s]}
  - {id: e5, date: /1985, title: a, sources: [s]}
  - {id: e6, date: 2019-03/, title: a, sources: [s]}
  - {id: e7, date: 2014-22/2019-03, title: a, sources: [s]}
  - {id: e8, date: -0043-03-15, title: a, sources: [s]}
  - {id: e9, date: 2019%, title: a, sources: [s]}
  - {id: e10, date: 201X, title: a, sources: [s]}
  - {id: e11, date: 1985-04-XX, title: a, sources: [s]}
  - {id: e12, date: 2021-06-28T10:30:00+02:00, title: a, sources: [s]}
  - {id: e13, date: Y-170000002, title: a, sources: [s]}
  - {id: e14, date: -0043, title: a, sources: [s]}
  - id: e15
    date: 2019?/2020~
    title: a
    sources: [s]
---
---
events:
EOF
mkdir edge && cp edge.yaml edge/
run "$ANNALS" check --strict edge
expect_rc 0
validate edge.yaml
expect_rc 0
expect_eq "$OUT" "" "schema errors in what annals accepts"

# Each invalid file: rejected by the schema where its first line says, and by annals.
for f in "$DATA"/schema-invalid/*.yaml; do
    where=$(sed -n '1s/^# schema error at \([^:]*\):.*/\1/p' "$f")
    CHECKS=$((CHECKS + 1))
    [ -n "$where" ] || fail "$f: no '# schema error at PATH: why' first line"
    validate "$f"
    expect_rc 1
    expect_out "$f: $where: "
    run "$ANNALS" check "$f"
    expect_rc 1
done

# The files in data/ name the schema for yaml-language-server on their
# first line, with a path that leads to it.
while IFS= read -r f; do
    line=$(head -1 "$f")
    CHECKS=$((CHECKS + 1))
    case $line in
        "# yaml-language-server: \$schema="*) ;;
        *) fail "$f lacks the schema modeline"; continue ;;
    esac
    CHECKS=$((CHECKS + 1))
    [ "$(readlink -f "$(dirname "$f")/${line#*\$schema=}")" = "$SCHEMA" ] \
        || fail "$f: the modeline does not lead to the schema: $line"
done < <(find "$SRC/data" -name '*.yaml' -o -name '*.yml')
finish
