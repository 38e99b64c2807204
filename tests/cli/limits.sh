# Hostile files: each limit is an error at its position, quickly, never a crash.
source "$(dirname "$0")/lib/common.sh"

elapsed_ok() {   # elapsed_ok START_NS MAX_MS WHAT
    local ms=$(( ($(date +%s%N) - $1) / 1000000 ))
    CHECKS=$((CHECKS + 1))
    [ "$ms" -le "$2" ] || fail "$3 took $ms ms (limit $2 ms)"
}

# Billion laughs: nine levels of ten aliases each.
{
    echo 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    for i in 1 2 3 4 5 6 7 8 9; do
        p=$((i - 1))
        echo "a$i: &a$i [*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p]"
    done
} > laughs.yaml
sed -i '1i events:\n  - id: e\n    date: 2021\n    title: t\n    notes:' laughs.yaml
sed -i 's/^a\([0-9]\)/      a\1/' laughs.yaml
t=$(date +%s%N)
run "$ANNALS" check laughs.yaml
expect_rc 1
expect_out "laughs.yaml:10:44: error: alias expansion exceeds 100000 nodes (possible billion-laughs attack)"
elapsed_ok "$t" 2000 "billion laughs"

# Nesting 10,000 levels deep.
python_free_nest() { local i; for ((i = 0; i < 10000; i++)); do printf '['; done; }
{ printf 'events:\n  - id: e\n    date: 2021\n    title: t\n    notes: '; python_free_nest; echo; } > deep.yaml
t=$(date +%s%N)
run "$ANNALS" check deep.yaml
expect_rc 1
expect_out "deep.yaml:5:73: error: nesting deeper than 64 levels"
elapsed_ok "$t" 2000 "deep nesting"
# The same with flow mappings, and with block sequences (indentation).
{ printf 'events:\n  - id: e\n    date: 2021\n    title: t\n    notes: '; for ((i = 0; i < 10000; i++)); do printf '{a: '; done; echo; } > deepmap.yaml
t=$(date +%s%N)
run "$ANNALS" check deepmap.yaml
expect_rc 1
expect_out "deepmap.yaml:5:256: error: nesting deeper than 64 levels"
elapsed_ok "$t" 2000 "deep flow mappings"
{ echo 'events:'; for ((i = 0; i < 200; i++)); do printf '%*s-\n' $((i * 2 + 2)) ''; done; } > deepblock.yaml
run "$ANNALS" check deepblock.yaml
expect_rc 1
expect_out "deepblock.yaml:65:129: error: nesting deeper than 64 levels"

# A 2 MiB scalar.
{ printf 'events:\n  - id: e\n    date: 2021\n    title: '; head -c 2097152 /dev/zero | tr '\0' x; echo; } > long.yaml
t=$(date +%s%N)
run "$ANNALS" check long.yaml
expect_rc 1
expect_out "long.yaml:4:12: error: string is longer than 1 MiB"
elapsed_ok "$t" 2000 "a 2 MiB string"
# Just under the limit is fine (a 1 MiB summary is text like any other).
{ printf 'events:\n  - id: e\n    date: 2021\n    title: t\n    sources: [s]\n    summary: '; head -c 1048000 /dev/zero | tr '\0' x; printf '\nsources: [{id: s, title: s}]\n'; } > big-ok.yaml
run "$ANNALS" check -q big-ok.yaml
expect_rc 0

# A 300 MiB file (sparse): refused before it is read.
truncate -s 300M huge.yaml
t=$(date +%s%N)
run "$ANNALS" check huge.yaml
expect_rc 1
expect_out "huge.yaml: error: file is larger than 256 MiB"
elapsed_ok "$t" 2000 "huge file"

# A NUL byte escape and invalid UTF-8.
printf 'events:\n  - id: e\n    date: 2021\n    title: "a\\0b"\n' > nul.yaml
run "$ANNALS" check nul.yaml
expect_rc 1
expect_out "nul.yaml:4:12: error: string contains a NUL character"
printf 'events:\n  - id: e\n    date: 2021\n    title: caf\xe9\n' > latin1.yaml
run "$ANNALS" check latin1.yaml
expect_rc 1
expect_out "latin1.yaml:4:15: error: invalid UTF-8"

finish
