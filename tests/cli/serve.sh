# `annals serve`: each API answer against the command line's for the same
# filters, errors (400 with the command line's message, 404, 405), the Host
# check, the limits and headers, and a clean stop.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/serve.sh"
command -v curl >/dev/null && command -v jq >/dev/null || { echo "needs curl and jq"; exit 77; }

cp -r "$SRC/data" ds
# The server's own database goes under TMPDIR: here, so that the test sees only its own.
mkdir -p "$WORK/tmp"
export TMPDIR="$WORK/tmp"
start_server ds || { fail "the server did not start: $(cat server.err)"; finish; exit 1; }
CHECKS=$((CHECKS + 1))
case "$URL" in http://127.0.0.1:[0-9]*/) ;; *) fail "first line is not the URL: $URL" ;; esac

# ---- /api/events: the report's JSON document plus total, offset, limit ----
# Each row: the query string | the same filters as report options.
while IFS='|' read -r q opts; do
    [ -z "$q" ] && continue
    get "/api/events?$q&limit=5000"
    expect_status 200
    # shellcheck disable=SC2086
    "$ANNALS" report --format json ds $opts > cli.json 2>cli.err
    CHECKS=$((CHECKS + 1))
    if ! diff <(jq -S 'del(.total, .offset, .limit)' <<<"$OUT") <(jq -S . cli.json) >/dev/null; then
        fail "/api/events?$q differs from report $opts"
    fi
    expect_eq "$(jq .total <<<"$OUT")" "$(jq '.events | length' cli.json)" "total of $q"
done <<'ROWS'
actor=islamic-state|--actor islamic-state
actor=daesh|--actor daesh
actor=%D8%AF%D8%A7%D8%B9%D8%B4|--actor داعش
region=middle-east|--region middle-east
region=africa&type=attack|--region africa --type attack
from=2019&to=2020|--from 2019 --to 2020
tag=caliphate|--tag caliphate
text=coalition|--text coalition
source=rome-coalition-article-2021|--source rome-coalition-article-2021
actor=united-states&role=leader|--actor united-states --role leader
type=|
ROWS

# Paging: limit and offset cut the same list; total counts them all.
get "/api/events?limit=5000"
ALL=$(jq -c '[.events[].id]' <<<"$OUT")
get "/api/events?limit=3&offset=4"
expect_status 200
expect_eq "$(jq -c '[.events[].id]' <<<"$OUT")" "$(jq -c '.[4:7]' <<<"$ALL")" "page 4..6"
expect_eq "$(jq .total <<<"$OUT")" "$(jq length <<<"$ALL")" "total with paging"
get "/api/events"
expect_eq "$(jq .limit <<<"$OUT")" "100" "default limit"

# ---- /api/facets: the counts of the filtered events ----
get "/api/facets?region=middle-east"
expect_status 200
"$ANNALS" report --format json ds --region middle-east > cli.json
expect_eq "$(jq .total <<<"$OUT")" "$(jq '.events | length' cli.json)" "facets total"
expect_eq "$(jq -c '[.types[] | [.id, .count]]' <<<"$OUT")" \
    "$(jq -c '[.events[].type | select(. != null)] | group_by(.) | map([.[0], length])' cli.json)" \
    "type facet"
expect_eq "$(jq -c '[.tags[] | [.id, .count]]' <<<"$OUT")" \
    "$(jq -c '[.events[] | .tags | unique | .[]] | group_by(.) | map([.[0], length])' cli.json)" \
    "tag facet"
expect_eq "$(jq -c '[.actors[] | [.id, .count]] | map(select(.[1] > 0))' <<<"$OUT")" \
    "$(jq -c '[.events[] | [.actors[].id] | unique | .[]] | group_by(.) | map([.[0], length])' cli.json)" \
    "actor facet (direct)"
# count_all is what a filter by the actor (with its parts) or the place (with those within) finds.
count_all_is_report() {   # count_all_is_report FACET OPTION FILTER-QUERY FILTER-OPTIONS...
    local facet=$1 opt=$2 q=$3 id n
    shift 3
    get "/api/facets?$q"
    for id in $(jq -r ".$facet[].id" <<<"$OUT"); do
        n=$("$ANNALS" report --format json ds "$@" "$opt" "$id" | jq '.events | length')
        expect_eq "$(jq --arg id "$id" ".$facet[] | select(.id == \$id) | .count_all" <<<"$OUT")" \
            "$n" "count_all of $facet $id"
    done
}
count_all_is_report actors --actor region=middle-east --region middle-east
count_all_is_report places --region actor=islamic-state --actor islamic-state
count_all_is_report actors --actor ""     # no filter: every event
# With a role, an actor's count is the events where it (or a part of it) has the role.
count_all_is_report actors --actor role=perpetrator --role perpetrator
count_all_is_report actors --actor role=donor --role donor
count_all_is_report places --region role=donor --role donor
count_all_is_report places --region ""
get "/api/facets"
"$ANNALS" report --format json ds > all.json
expect_eq "$(jq -c '[.tags[] | [.id, .count]]' <<<"$OUT")" \
    "$(jq -c '[.events[] | .tags | unique | .[]] | group_by(.) | map([.[0], length])' all.json)" \
    "tag facet, no filter"
expect_eq "$(jq -c '[.sources[] | [.id, .count]]' <<<"$OUT")" \
    "$(jq -c '[.events[] | [.sources[].id] | unique | .[]] | group_by(.) | map([.[0], length])' all.json)" \
    "source facet, no filter"
get "/api/facets?region=middle-east"
expect_eq "$(jq '[.years[].count] | add' <<<"$OUT")" "$(jq '.events | length' cli.json)" "years add up"

# Every facet under several filters, against counts made independently from the report's events.
# Each row: the query string | the same filters as report options.
while IFS='|' read -r q opts; do
    get "/api/facets?$q"
    expect_status 200
    # shellcheck disable=SC2086
    "$ANNALS" report --format json ds $opts > cli.json
    expect_eq "$(jq .total <<<"$OUT")" "$(jq '.events | length' cli.json)" "facets total of '$q'"
    expect_eq "$(jq -c '[.types[] | [.id, .count]]' <<<"$OUT")" \
        "$(jq -c '[.events[].type | select(. != null)] | group_by(.) | map([.[0], length])' cli.json)" \
        "types of '$q'"
    expect_eq "$(jq -c '[.tags[] | [.id, .count]]' <<<"$OUT")" \
        "$(jq -c '[.events[].tags[]] | group_by(.) | map([.[0], length])' cli.json)" "tags of '$q'"
    expect_eq "$(jq -c '[.sources[] | [.id, .name, .count]]' <<<"$OUT")" \
        "$(jq -c '[.events[] | [.sources[] | [.id, .title]] | unique | .[]] | group_by(.[0])
                  | map(.[0] + [length])' cli.json)" "sources of '$q'"
    # With a role, an actor counts where it has the role (what a click on it shows).
    role=$(sed -n 's/.*--role \([^ ]*\).*/\1/p' <<<"$opts")
    for facet in actors places; do
        has_role='.'
        [ "$facet" = actors ] && [ -n "$role" ] && has_role="select(.role == \"$role\")"
        expect_eq "$(jq -c "[.$facet[] | [.id, .count] | select(.[1] > 0)]" <<<"$OUT")" \
            "$(jq -c "[.events[] | [.$facet[] | $has_role | .id] | unique | .[]] | group_by(.)
                      | map([.[0], length])" cli.json)" \
            "$facet of '$q'"
    done
    expect_eq "$(jq -c '[.years[] | [.year, .count]]' <<<"$OUT")" \
        "$(jq -c '[.events[].start | select(. != null and . != "..") | capture("^(?<y>-?[0-9]+)").y
                  | tonumber] | group_by(.) | map([.[0], length])' cli.json)" "years of '$q'"
done <<'ROWS'
|
actor=islamic-state|--actor islamic-state
actor=united-states&actor=islamic-state|--actor united-states --actor islamic-state
region=africa|--region africa
tag=caliphate|--tag caliphate
type=attack|--type attack
from=2019&to=2021|--from 2019 --to 2021
text=coalition|--text coalition
source=rome-coalition-article-2021|--source rome-coalition-article-2021
actor=united-states&role=leader|--actor united-states --role leader
text=zzzzzz|--text zzzzzz
ROWS

# ---- /api/density: every event in the window, in its lane ----
get "/api/density?from=2000&to=2030&bins=7"
expect_status 200
get "/api/events?from=2000&to=2030&limit=5000"
N=$(jq .total <<<"$OUT")
get "/api/density?from=2000&to=2030&bins=7"
expect_eq "$(jq '[.lanes[].counts[]] | add' <<<"$OUT")" "$N" "density adds up"
get "/api/density?from=2000&bins=7"
expect_status 400

# ---- /api/events/ID: the event as the report writes it, and what show adds ----
get "/api/events/coalition-crushes-caliphate"
expect_status 200
"$ANNALS" report --format json ds > cli.json
expect_eq "$(jq -cS .event <<<"$OUT")" \
    "$(jq -cS '.events[] | select(.id == "coalition-crushes-caliphate")' cli.json)" "event"
run "$ANNALS" show coalition-crushes-caliphate ds
expect_out "$(jq -r .file <<<"$(get /api/events/coalition-crushes-caliphate; echo "$OUT")")"
get "/api/events/coalition-crushes-caliphate"
CHECKS=$((CHECKS + 1))
case "$(jq -r .notes <<<"$OUT")" in "Date 2014-22/2019-03"*) ;; *) fail "notes" ;; esac
expect_eq "$(jq -r .editor <<<"$OUT")" "null" "no editor link without --editor"
get "/api/events/coalition-crushes"
expect_status 404
expect_eq "$(jq -r .error <<<"$OUT")" \
    "no event has the id 'coalition-crushes' (did you mean 'coalition-crushes-caliphate'?)" "404 hint"

# ---- /api/actors, /api/places, /api/sources: the listings' JSON ----
for kind in actors places sources; do
    get "/api/$kind"
    expect_status 200
    "$ANNALS" "$kind" --format json ds > cli.json
    CHECKS=$((CHECKS + 1))
    diff <(jq -S . <<<"$OUT") <(jq -S . cli.json) >/dev/null || fail "/api/$kind differs"
done

# ---- 400: the command line's message ----
while IFS='|' read -r q opts; do
    [ -z "$q" ] && continue
    get "/api/events?$q"
    expect_status 400
    # shellcheck disable=SC2086
    "$ANNALS" report ds $opts > /dev/null 2> cli.err
    expect_eq "annals report: $(jq -r .error <<<"$OUT")" "$(head -n 1 cli.err)" "message for $q"
    get "/api/facets?$q"
    expect_status 400
done <<'ROWS'
actor=islamik-state|--actor islamik-state
region=atlantis|--region atlantis
from=2019-13|--from 2019-13
from=2021&to=2019|--from 2021 --to 2019
limit=0|--limit 0
limit=x|--limit x
ROWS
get "/api/events?acter=x"
expect_status 400
expect_eq "$(jq -r .error <<<"$OUT")" "unknown parameter 'acter' (did you mean 'actor'?)" "unknown parameter"
get "/api/events?limit=5001"
expect_status 400
get "/api/actors?x=1"
expect_status 400
Q=$(for i in $(seq 1 70); do printf 'tag=t%d&' "$i"; done)
get "/api/events?$Q"
expect_status 400
expect_out "too many parameters"

# ---- 404, 405, 413 and the Host check ----
for p in /nothing /api/nothing /api/events/a/b /../../etc/passwd /%2e%2e/etc/passwd /app.js/x; do
    get "$p" --path-as-is
    expect_status 404
done
for m in POST PUT DELETE PATCH OPTIONS; do
    get /api/events -X "$m"
    expect_status 405
done
get /api/events -X POST -i
expect_out "Allow: GET, HEAD"
get /api/events --data-binary 'x=1' -X GET
expect_status 413
PORT=${URL##*:}
PORT=${PORT%/}
for h in "evil.example:$PORT" "evil.example" "127.0.0.1:1" "127.0.0.1.evil.example:$PORT" ""; do
    get / -H "Host: $h"
    expect_status 403
done
for h in "127.0.0.1:$PORT" "localhost:$PORT" "LOCALHOST:$PORT"; do
    get / -H "Host: $h"
    expect_status 200
done

# ---- The page: compiled-in assets, strict headers, HEAD ----
get / -i
expect_status 200
expect_out "Content-Security-Policy: default-src 'none'; script-src 'self'"
expect_out "X-Content-Type-Options: nosniff"
expect_out '<script src="/app.js"'
get /app.js -I
expect_status 200
expect_out "Content-Type: text/javascript"
get /app.css
expect_status 200
get /api/status
expect_eq "$(jq -c '[.watching, .errors]' <<<"$OUT")" "[true,0]" "status"

# ---- The files change: loaded again, pages told; an error keeps the last good state ----
curl -s -N "${URL}api/updates" > updates.txt 2>/dev/null &
SSE_PID=$!
wait_for "grep -q 'event: hello' updates.txt"
gen() { curl -s "${URL}api/status" | jq .generation; }
title() { curl -s "${URL}api/events/is-takes-northern-iraq" | jq -r .event.title; }
for i in 1 2 3 4 5; do
    before=$(gen)
    sed -i "s/^    title: Islamic State takes control of large areas of northern Iraq.*/    title: Islamic State takes control of large areas of northern Iraq $i/" \
        ds/events/2014.yaml
    CHECKS=$((CHECKS + 1))
    wait_for '[ "$(title)" = "Islamic State takes control of large areas of northern Iraq '$i'" ]' ||
        fail "edit $i not loaded: $(title)"
    CHECKS=$((CHECKS + 1))
    [ "$(gen)" -gt "$before" ] || fail "generation did not move"
done
CHECKS=$((CHECKS + 1))
wait_for '[ "$(grep -c "event: reload" updates.txt)" -ge 5 ]' || fail "updates: $(cat updates.txt)"
# An error: the last good content stays, the diagnostics are shown.
cp ds/events/2014.yaml good.yaml
printf '  - id: broken\n    date: 2019-13\n    title: x\n' >> ds/events/2014.yaml
CHECKS=$((CHECKS + 1))
wait_for '[ "$(curl -s "${URL}api/status" | jq .errors)" -gt 0 ]' || fail "error not reported"
get /api/status
expect_out "ds/events/2014.yaml:"
expect_eq "$(title)" "Islamic State takes control of large areas of northern Iraq 5" "last good state"
get /api/events/broken
expect_status 404
# A new file, then the fix.
cp good.yaml ds/events/2014.yaml
printf 'events:\n  - id: added-event\n    date: 2022\n    title: Added\n    sources: [{id: rome-coalition-article-2021}]\n' \
    > ds/events/2022.yaml
CHECKS=$((CHECKS + 1))
wait_for '[ "$(curl -s -o /dev/null -w "%{http_code}" "${URL}api/events/added-event")" = 200 ]' ||
    fail "new file not loaded"
get /api/status
expect_eq "$(jq .errors <<<"$OUT")" "0" "fixed"
rm ds/events/2022.yaml
CHECKS=$((CHECKS + 1))
wait_for '[ "$(curl -s -o /dev/null -w "%{http_code}" "${URL}api/events/added-event")" = 404 ]' ||
    fail "removed file still served"
kill "$SSE_PID" 2>/dev/null
wait "$SSE_PID" 2>/dev/null

# ---- A clean stop, its temporary database removed ----
expect_eq "$(ls -d "$TMPDIR"/annals-serve-* 2>/dev/null | wc -l)" "1" "temporary database made"
stop_server
expect_eq "$SERVER_RC" "0" "exit code after SIGTERM"
expect_eq "$(ls -A "$TMPDIR")" "" "temporary database removed"

# ---- --db: read only, its files not watched; SIGINT ----
"$ANNALS" load -q --db a.db ds
start_server --db a.db || fail "serve --db did not start"
get /api/status
expect_eq "$(jq .watching <<<"$OUT")" "false" "--db: the files are not watched"
# The threads that prepare the first answers: the facets' runs 10 nice steps below the rest.
expect_eq "$(for t in /proc/"$SERVER_PID"/task/*/stat; do awk '{ print $19 }' "$t"; done | sort -un |
             tr '\n' ' ')" "$(($(nice))) $(($(nice) + 10)) " "the facets are prepared at a lower priority"
get "/api/events?tag=caliphate"
"$ANNALS" report --db a.db --format json --tag caliphate > cli.json
CHECKS=$((CHECKS + 1))
diff <(jq -S 'del(.total, .offset, .limit)' <<<"$OUT") <(jq -S . cli.json) >/dev/null || fail "--db events"
# /api/extent: the head of /api/facets, and where the starts that are not open lie.
for q in "" "actor=islamic-state" "region=africa&from=2015"; do
    get "/api/facets?$q"
    HEAD=$(jq -c '{total, start, end, filter_from, filter_to}' <<<"$OUT")
    get "/api/extent?$q"
    expect_status 200
    expect_eq "$(jq -c '{total, start, end, filter_from, filter_to}' <<<"$OUT")" "$HEAD" "extent of '$q'"
done
get "/api/extent?actor=islamik-state"
expect_status 400

# ---- --db: another load of the database moves the generation; pages are told, answers new ----
curl -s -N "${URL}api/updates" > updates.txt 2>/dev/null &
SSE_PID=$!
wait_for "grep -q 'event: hello' updates.txt"
total() { curl -s "${URL}api/events?limit=1" | jq .total; }
facets_total() { curl -s "${URL}api/facets" | jq .total; }
N0=$(total)
for i in 1 2 3 4 5 6; do
    before=$(gen)
    # Asked (and kept) just before the load: must not outlive it.
    facets_total > /dev/null
    printf 'events:\n  - id: db-added-%d\n    date: 2022\n    title: Added %d\n    sources: [{id: rome-coalition-article-2021}]\n' \
        "$i" "$i" > "ds/events/db-$i.yaml"
    "$ANNALS" load -q --db a.db ds
    CHECKS=$((CHECKS + 1))
    wait_for '[ "$(gen)" -gt "$before" ]' || fail "load $i: the generation did not move"
    expect_eq "$(total)" "$((N0 + i))" "total after load $i"
    expect_eq "$(facets_total)" "$((N0 + i))" "facets after load $i"
done
CHECKS=$((CHECKS + 1))
wait_for '[ "$(grep -c "event: reload" updates.txt)" -ge 6 ]' || fail "--db updates: $(cat updates.txt)"
rm ds/events/db-*.yaml
kill "$SSE_PID" 2>/dev/null
wait "$SSE_PID" 2>/dev/null
# Limits: a request too large for the server is refused, and it goes on answering.
get / -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' x)"
CHECKS=$((CHECKS + 1))
case "$STATUS" in 4[0-9][0-9]|000) ;; *) fail "a 40 kB header got $STATUS" ;; esac
get /api/status
expect_status 200
# Connections: 70 held open from one address (more than HTTP_MAX_PER_IP, 32, and than
# HTTP_MAX_CONNECTIONS, 64): the ones beyond the limit are closed at once, a request
# then is refused (no answer, no wait), and once they close the server answers again.
PORT=${URL##*:}
PORT=${PORT%/}
for round in 1 2 3; do
    FDS=()
    for i in $(seq 1 70); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" && FDS+=("$fd")
    done
    expect_eq "${#FDS[@]}" "70" "connections opened (round $round)"
    get /api/status --max-time 10
    CHECKS=$((CHECKS + 1))
    [ "$STATUS" = 000 ] || fail "a connection beyond the limit got HTTP $STATUS (round $round)"
    for fd in "${FDS[@]}"; do exec {fd}>&-; done
    CHECKS=$((CHECKS + 1))
    wait_for '[ "$(curl -s -o /dev/null -w "%{http_code}" --max-time 5 "${URL}api/status")" = 200 ]' ||
        fail "no answer after the connections closed (round $round)"
done
# SIGINT with update streams open: they end, and the server stops at once (again and again).
for i in 1 2 3; do
    for j in 1 2 3; do curl -s -N "${URL}api/updates" > "sse$j.txt" 2>/dev/null & done
    wait_for '[ "$(cat sse1.txt sse2.txt sse3.txt | grep -c "event: hello")" = 3 ]'
    kill -INT "$SERVER_PID"
    wait "$SERVER_PID" && SERVER_RC=0 || SERVER_RC=$?
    expect_eq "$SERVER_RC" "0" "exit code after SIGINT with streams open ($i)"
    wait
    [ "$i" = 3 ] || start_server --db a.db || fail "restart $i"
done

# ---- Usage and failures ----
run "$ANNALS" serve --port 70000
expect_rc 2
expect_err "--port needs a port number"
run "$ANNALS" serve --db a.db ds
expect_rc 2
run "$ANNALS" serve --db nothing.db
expect_rc 3
expect_err "cannot open database 'nothing.db'"
run "$ANNALS" serve nothing/
expect_rc 3
start_server --db a.db
P2=${URL##*:}
run "$ANNALS" serve --db a.db --port "${P2%/}"
expect_rc 3
expect_err "cannot listen on 127.0.0.1 port ${P2%/}"
stop_server
start_server --db a.db --host 127.0.0.2
expect_eq "$URL" "$(printf 'http://127.0.0.2:%s' "${URL##*:}")" "URL with --host"
CHECKS=$((CHECKS + 1))
wait_for 'grep -q "warning: listening on 127.0.0.2" server.err' || fail "no warning for --host"
get / -H "Host: 127.0.0.2:$(p=${URL##*:}; echo "${p%/}")"
expect_status 200
stop_server
start_server --db a.db --editor 'vscode://file{path}:{line}'
get "/api/events/coalition-crushes-caliphate"
expect_eq "$(jq -r .editor <<<"$OUT")" "vscode://file$WORK/ds/events/2014.yaml:71" "editor link"
stop_server

finish
