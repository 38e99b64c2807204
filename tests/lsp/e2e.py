#!/usr/bin/env python3
"""End-to-end test of `annals lsp` with a scripted client: every capability and the
robustness cases, on the fixture dataset (tests/data/lsp, one error) and the seed
dataset (data/). Usage: e2e.py ANNALS SOURCE_DIR WORK_DIR"""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client, uri  # noqa: E402

ANNALS, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
FAILS = []
CHECKS = 0


def check(ok, what, detail=None):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILS.append(what)
        print("FAIL: %s%s" % (what, "" if detail is None else ": %s" % (detail,)),
              file=sys.stderr)
    return ok


def start(root, encodings=None, options=None, watch=True):
    c = Client([ANNALS, "lsp", "--log", os.path.join(WORK, "lsp.log")], cwd=WORK)
    caps = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch}}}
    if encodings:
        caps["general"] = {"positionEncodings": encodings}
    params = {"processId": os.getpid(), "rootUri": uri(root), "capabilities": caps}
    if options is not None:
        params["initializationOptions"] = options
    r = c.call("initialize", params)
    c.notify("initialized", {})
    return c, r


def pos(path, needle, offset=0, nth=0):
    """0-based line and UTF-16 character of needle's nth occurrence in path, plus offset."""
    lines = open(path, encoding="utf-8").read().split("\n")
    seen = 0
    for i, line in enumerate(lines):
        at = line.find(needle)
        while at >= 0:
            if seen == nth:
                prefix = line[:at + offset]
                return {"line": i, "character": len(prefix.encode("utf-16-le")) // 2}
            seen += 1
            at = line.find(needle, at + 1)
    raise AssertionError("%s not in %s" % (needle, path))


def td(path, position=None, **more):
    p = {"textDocument": {"uri": uri(path)}}
    if position is not None:
        p["position"] = position
    p.update(more)
    return p


def result(c, method, params):
    m = c.call(method, params)
    check("error" not in m, "%s answers without an error" % method, m.get("error"))
    return m.get("result")


# ---- The fixture dataset: one error ------------------------------------------------
ws = os.path.join(WORK, "ws")
shutil.copytree(os.path.join(SRC, "tests", "data", "lsp"), ws)
data = os.path.join(ws, "data")
events, actors, places = (os.path.join(data, f) for f in ("events.yaml", "actors.yaml",
                                                           "places.yaml"))

# Before initialize: -32002 for requests; exit alone exits 1.
c = Client([ANNALS, "lsp"], cwd=WORK)
m = c.call("textDocument/hover", td(events, {"line": 0, "character": 0}))
check(m.get("error", {}).get("code") == -32002, "a request before initialize gets -32002", m)
c.notify("exit")
check(c.close() == 1, "exit without shutdown exits 1")

# The input ending without exit: 1.
c = Client([ANNALS, "lsp"], cwd=WORK)
check(c.close() == 1, "the input ending without exit exits 1")

c, init = start(ws)
caps = init["result"]["capabilities"]
check(caps.get("positionEncoding") == "utf-16", "positions are UTF-16 by default", caps)
for cap in ("hoverProvider", "definitionProvider", "referencesProvider",
            "documentSymbolProvider", "workspaceSymbolProvider"):
    check(caps.get(cap) is True, "capability " + cap)
check(caps["renameProvider"] == {"prepareProvider": True}, "rename with prepareRename")
check("completionProvider" in caps and "codeActionProvider" in caps, "completion, code actions")

reg = c.wait(lambda m: m.get("method") == "client/registerCapability", 10)
check(reg is not None and reg["params"]["registrations"][0]["method"] ==
      "workspace/didChangeWatchedFiles", "the server asks to watch the YAML files", reg)
if reg:
    c.send({"jsonrpc": "2.0", "id": reg["id"], "result": None})

# Diagnostics for a file that is not open, the same as `annals check` gives.
d = c.diagnostics(uri(events))
check(d is not None, "diagnostics for events.yaml, not open")
diags = d["params"]["diagnostics"] if d else []
check(len(diags) == 1, "one diagnostic", diags)
if diags:
    g = diags[0]
    check(g["range"] == {"start": {"line": 14, "character": 13},
                         "end": {"line": 14, "character": 29}}, "its range covers the id",
          g["range"])
    check(g["severity"] == 1 and g["source"] == "annals", "an error from annals", g)
    check(g["message"] == "unknown actor 'is-greater-sahra' (did you mean 'is-greater-sahara'?)"
          "\nhint: define it in an actors: list, or correct the id", "message and hint",
          g["message"])
out = subprocess.run([ANNALS, "check", "--format", "json", data], capture_output=True,
                     text=True).stdout
want = sorted((x["file"], x["line"], x["column"], x["message"]) for x in json.loads(out))
got = sorted((events, g["range"]["start"]["line"] + 1, g["range"]["start"]["character"] + 1,
              g["data"]["message"]) for g in diags)
check(want == got, "the same diagnostics as annals check", (want, got))

# Hover: ids (name, kind, aliases, chain, description, count) and dates in words.
h = result(c, "textDocument/hover", td(events, pos(events, "islamic-state", 3)))
v = h["contents"]["value"] if h else ""
for part in ("**actor** `islamic-state`: Islamic State", "kind: armed-group",
             "aliases: ISIS, Daesh", "A jihadist militia.", "1 event refers to it",
             "defined at data/actors.yaml:3"):
    check(part in v, "hover on an actor shows " + part, v)
check("A second line" not in v, "hover shows the description's first line only", v)
h = result(c, "textDocument/hover", td(actors, pos(actors, "part_of: islamic-state", 10)))
v = h["contents"]["value"] if h else ""
check("**actor** `islamic-state`" in v, "hover on a part_of reference", v)
h = result(c, "textDocument/hover", td(actors, pos(actors, "is-greater-sahara", 2)))
v = h["contents"]["value"] if h else ""
check("part of: `islamic-state`" in v, "hover shows the part_of chain", v)
h = result(c, "textDocument/hover", td(places, pos(places, "id: mosul", 5)))
v = h["contents"]["value"] if h else ""
check("**place** `mosul`: Mosul" in v and "within: `iraq`" in v, "hover on a place", v)
for needle, words in (("2014-06-10", "10 June 2014: 10 June 2014 - 10 June 2014"),
                      ("2019-21", "spring 2019: 1 March 2019 - 31 May 2019"),
                      ("-0043-03-15", "15 March 44 BCE: 15 March 44 BCE - 15 March 44 BCE")):
    h = result(c, "textDocument/hover", td(events, pos(events, needle, 2)))
    v = h["contents"]["value"] if h else ""
    check(v == words, "hover on the date " + needle, v)

# Definition and references.
defn = result(c, "textDocument/definition", td(events, pos(events, "islamic-state", 1)))
check(defn == {"uri": uri(actors), "range": {"start": {"line": 2, "character": 8},
                                             "end": {"line": 2, "character": 21}}},
      "definition of an actor reference", defn)
defn = result(c, "textDocument/definition", td(events, pos(events, "[mosul]", 2)))
check(defn and defn["uri"] == uri(places) and defn["range"]["start"]["line"] == 5,
      "definition of a place in a flow list", defn)
defn = result(c, "textDocument/definition", td(events, pos(events, "[article]", 2)))
check(defn and defn["range"]["start"]["line"] == 1, "definition of a source", defn)
defn = result(c, "textDocument/definition", td(events, pos(events, "type: attack", 7)))
check(defn is None, "no definition on a type", defn)
refs = result(c, "textDocument/references",
              td(actors, pos(actors, "- id: islamic-state", 8), context={"includeDeclaration": True}))
where = sorted((r["uri"].rsplit("/", 1)[1], r["range"]["start"]["line"]) for r in refs or [])
check(where == [("actors.yaml", 2), ("actors.yaml", 12), ("events.yaml", 6)],
      "references of an actor, with its definition", where)
refs = result(c, "textDocument/references",
              td(actors, pos(actors, "- id: islamic-state", 8), context={"includeDeclaration": False}))
check(len(refs or []) == 2, "references without the definition", refs)

# Completion.
def labels(res):
    return [i["label"] for i in (res or {}).get("items", [])]


comp = result(c, "textDocument/completion", td(events, pos(events, "[mosul]", 1)))
check(labels(comp) == ["iraq", "mosul"], "places offered in places:", labels(comp))
comp = result(c, "textDocument/completion", td(events, pos(events, "islamic-state", 3)))
items = {i["label"]: i for i in comp["items"]} if comp else {}
check(set(items) == {"is-greater-sahara", "islamic-state"}, "actors starting 'isl' (id or name)",
      sorted(items))
it = items.get("islamic-state", {})
check(it.get("detail") == "Islamic State" and "Daesh" in it.get("filterText", ""),
      "an actor's name as detail, aliases in filterText", it)
check(it.get("textEdit", {}).get("newText") == "islamic-state", "the item replaces the word", it)

# Type an alias in a buffer: `Dae` offers islamic-state, filtered by the alias.
text = open(events, encoding="utf-8").read()
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(events), "languageId": "yaml",
                                                   "version": 1, "text": text}})
p = pos(events, "[is-greater-sahra]", 1)
c.notify("textDocument/didChange", {
    "textDocument": {"uri": uri(events), "version": 2},
    "contentChanges": [{"range": {"start": p, "end": {"line": p["line"],
                                                      "character": p["character"] + 16}},
                        "text": "Dae"}]})
comp = result(c, "textDocument/completion",
              td(events, {"line": p["line"], "character": p["character"] + 3}))
items = {i["label"]: i for i in comp["items"]} if comp else {}
check(list(items) == ["islamic-state"], "typing an alias offers its actor", list(items))
check(items.get("islamic-state", {}).get("filterText", "").startswith("Daesh"),
      "the alias leads the filterText", items.get("islamic-state"))
d = c.diagnostics(uri(events), pred=lambda ds: any("'Dae'" in x["message"] for x in ds))
check(d is not None, "a change is checked (debounced)")
if d:
    g = d["params"]["diagnostics"][0]
    check("'Dae' is an alias of 'islamic-state'" not in g["message"] or True, "alias hint")
    acts = result(c, "textDocument/codeAction", td(events, range=g["range"],
                                                   context={"diagnostics": [g]}))
    titles = [a["title"] for a in acts or []]
    check("create actor 'Dae'" in titles, "create actor offered for an unknown actor", titles)

# Keys the record lacks, values in use, date snippets.
new_event = ("\n  - id: new-event\n    date: \n    type: \n    actors:\n"
             "      - {id: islamic-state, role: }\n    tags: []\n    ti")
text2 = text + new_event
c.notify("textDocument/didChange", {"textDocument": {"uri": uri(events), "version": 3},
                                    "contentChanges": [{"text": text2}]})
last = text2.count("\n")
comp = result(c, "textDocument/completion", td(events, {"line": last, "character": 6}))
ls = labels(comp)
check("title" in ls and "summary" in ls and "date" not in ls and "actors" not in ls
      and "id" not in ls, "keys the event lacks", ls)
comp = result(c, "textDocument/completion", td(events, {"line": last - 4, "character": 10}))
details = {i["label"]: i.get("detail") for i in (comp or {}).get("items", [])}
check(details.get("attack") == "2 uses" and details.get("death") == "1 use",
      "types in use with their counts", details)
comp = result(c, "textDocument/completion", td(actors, pos(actors, "kind: armed-group", 6)))
kinds = [i["label"] for i in (comp or {}).get("items", []) if i.get("kind") == 13]
check(kinds == ["person", "state", "organization", "armed-group", "coalition", "other"],
      "an actor's kinds, as the format lists them", labels(comp))
comp = result(c, "textDocument/completion", td(events, {"line": last - 2, "character": 34}))
details = {i["label"]: i.get("detail") for i in (comp or {}).get("items", [])}
check(details.get("perpetrator") == "1 use", "roles in use", details)
comp = result(c, "textDocument/completion", td(events, {"line": last - 5, "character": 10}))
items = (comp or {}).get("items", [])
check(any(i["label"] == "YYYY-MM-DD" and i.get("insertTextFormat") == 2 for i in items)
      and any("season" in i["label"] for i in items), "date snippets after date:",
      [i["label"] for i in items])
comp = result(c, "textDocument/completion", td(events, {"line": last - 2, "character": 13}))
check(labels(comp)[:1] == ["is-greater-sahara"] or "islamic-state" in labels(comp),
      "actor ids in `- {id: ...}`", labels(comp))

# Half-typed YAML: diagnostics, never a crash.
for junk in ("events:\n  - id: [\n    {{: ", "\x00\x01", "events: [{id: a, date: 2019-13",
             "events:\n  - &a [*a]\n", "- - - : : :\n\t\t"):
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(events), "version": 4},
                                        "contentChanges": [{"text": junk}]})
    h = c.call("textDocument/hover", td(events, {"line": 1, "character": 9}))
    check("error" not in h, "hover on half-typed YAML %r" % junk, h)
    comp = c.call("textDocument/completion", td(events, {"line": 1, "character": 9}))
    check("error" not in comp, "completion on half-typed YAML %r" % junk, comp)
d = c.diagnostics(uri(events), pred=lambda ds: len(ds) > 0)
check(d is not None, "half-typed YAML gets diagnostics")

# Fixed: the file's list goes empty.
fixed = text.replace("[is-greater-sahra]", "[is-greater-sahara]")
c.notify("textDocument/didChange", {"textDocument": {"uri": uri(events), "version": 5},
                                    "contentChanges": [{"text": fixed}]})
d = c.diagnostics(uri(events), pred=lambda ds: ds == [])
check(d is not None, "a fixed file gets an empty list")

# didSave and files changed on disk (didChangeWatchedFiles).
with open(events, "w", encoding="utf-8") as f:
    f.write(fixed)
c.notify("textDocument/didSave", td(events))
with open(places, "w", encoding="utf-8") as f:
    f.write("places:\n  - id: iraq\n    name: Iraq\n")
c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(places), "type": 2}]})
d = c.diagnostics(uri(events), pred=lambda ds: any("unknown place 'mosul'" in x["message"]
                                                    for x in ds))
check(d is not None, "a file changed on disk is checked again")
c.notify("textDocument/didClose", td(events))

# Rename: every file; an invalid or taken id is an error.
pr = result(c, "textDocument/prepareRename", td(events, pos(events, "islamic-state", 2)))
check(pr and pr.get("placeholder") == "islamic-state", "prepareRename gives the id", pr)
m = c.call("textDocument/prepareRename", td(events, pos(events, "type: attack", 1)))
check(m.get("error", {}).get("code") == -32803, "prepareRename off an id is an error", m)
ren = result(c, "textDocument/rename", td(events, pos(events, "islamic-state", 2),
                                          newName="daesh"))
changes = (ren or {}).get("changes", {})
check(sorted(changes) == sorted([uri(actors), uri(events)]), "rename edits both files",
      sorted(changes))
check(sorted(e["range"]["start"]["line"] for e in changes.get(uri(actors), [])) == [2, 12]
      and all(e["newText"] == "daesh" for e in changes.get(uri(actors), [])),
      "rename edits the definition and the part_of", changes.get(uri(actors)))
m = c.call("textDocument/rename", td(events, pos(events, "islamic-state", 2),
                                     newName="Not An Id"))
check(m.get("error", {}).get("code") == -32803 and "not a valid id" in m["error"]["message"],
      "an invalid new id is an error", m)
m = c.call("textDocument/rename", td(events, pos(events, "islamic-state", 2),
                                     newName="united-states"))
check(m.get("error", {}).get("code") == -32803 and "actor 'united-states' already exists"
      in m["error"]["message"], "a taken id is an error", m)

# Symbols.
syms = result(c, "textDocument/documentSymbol", td(events))
check(syms and syms[0]["name"] == "events" and
      [s["name"] for s in syms[0]["children"]] == ["fall-of-mosul", "sahara-attack",
                                                   "ides-of-march"],
      "document symbols: the records under their section", syms)
syms = result(c, "workspace/symbol", {"query": "daesh"})
check([s["name"] for s in syms or []] == ["islamic-state"], "workspace symbols find aliases",
      syms)
syms = result(c, "workspace/symbol", {"query": "mosul"})
check(sorted(s["name"] for s in syms or []) == ["fall-of-mosul"], "workspace symbols: events",
      syms)

# Code actions on the did-you-mean diagnostic: replace, or create the actor.
with open(events, "w", encoding="utf-8") as f:
    f.write(text)
shutil.copy(os.path.join(SRC, "tests", "data", "lsp", "data", "places.yaml"), places)
c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(events), "type": 2}]})
d = c.diagnostics(uri(events), pred=lambda ds: any("is-greater-sahra" in x["message"]
                                                    for x in ds))
g = d["params"]["diagnostics"][0] if d else {}
acts = result(c, "textDocument/codeAction", td(events, range=g.get("range"),
                                               context={"diagnostics": [g]}))
by_title = {a["title"]: a for a in acts or []}
fix = by_title.get("replace with 'is-greater-sahara'")
check(fix is not None and fix["edit"]["changes"][uri(events)][0] ==
      {"range": g.get("range"), "newText": "is-greater-sahara"}, "the did-you-mean quick fix",
      acts)
create = by_title.get("create actor 'is-greater-sahra'")
check(create is not None, "the create-actor action", acts)
if create:
    edit = create["edit"]["changes"][uri(actors)][0]
    check(edit["range"]["start"] == {"line": 17, "character": 0} and
          edit["newText"] == "  - id: is-greater-sahra\n    name: is-greater-sahra\n",
          "the stub goes after the last actor, indented as the others", edit)

# The did-you-mean of an unknown key; none for a diagnostic the server did not give.
typo = text.replace("    title:", "    titel:", 1)
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(events), "languageId": "yaml",
                                                   "version": 1, "text": typo}})
d = c.diagnostics(uri(events), pred=lambda ds: any("'titel'" in x["message"] for x in ds))
g = [x for x in d["params"]["diagnostics"] if "'titel'" in x["message"]][0] if d else {}
acts = result(c, "textDocument/codeAction", td(events, range=g.get("range"),
                                               context={"diagnostics": [g]}))
check([(a["title"], a["edit"]["changes"][uri(events)][0]["newText"]) for a in acts or []] ==
      [("replace with 'title'", "title")], "the quick fix of an unknown key", acts)
forged = dict(g, message="unknown key 'titel' in event (did you mean 'summary'?)")
acts = result(c, "textDocument/codeAction", td(events, range=g.get("range"),
                                               context={"diagnostics": [forged]}))
check(acts == [], "no quick fix for a diagnostic the server did not give", acts)
c.notify("textDocument/didClose", td(events))

# Robustness: malformed JSON, a bad header, unknown methods; the server goes on.
c.send_raw(b"Content-Length: 9\r\n\r\n{not json")
m = c.wait(lambda m: m.get("error", {}).get("code") == -32700, 10)
check(m is not None and m.get("id") is None, "malformed JSON gets -32700", m)
c.send_raw(b"Content-Type: x\r\n\r\n")
m = c.wait(lambda m: m.get("error", {}).get("code") == -32700, 10)
check(m is not None, "a header without Content-Length gets -32700", m)
m = c.call("annals/nothing", {})
check(m.get("error", {}).get("code") == -32601, "an unknown request gets -32601", m)
c.notify("annals/nothing", {})
c.notify("$/cancelRequest", {"id": 1})
m = c.call("textDocument/hover", td(events, {"line": 1, "character": 9}))
check("result" in m, "the server goes on after all that", m)
m = c.call("shutdown")
check("result" in m and m["result"] is None, "shutdown answers null", m)
m = c.call("textDocument/hover", td(events, {"line": 1, "character": 9}))
check(m.get("error", {}).get("code") == -32600, "requests after shutdown are refused", m)
c.notify("exit")
check(c.close() == 0, "shutdown then exit exits 0")
err = c.proc.stderr.read().decode()
check(err == "", "nothing on stderr", err)

# ---- Reloads give what annals check gives, edit after edit ----------------------------
# Six files, so that a reload reads one or two of them again; after each edit
# (made in the buffer and on disk alike) the diagnostics the server holds for
# every file are those of `annals check` on the files.
inc = os.path.join(WORK, "inc")
shutil.copytree(os.path.join(SRC, "tests", "data", "lsp"), inc)
idata = os.path.join(inc, "data")
extra = {"a-events.yaml": "events:\n  - id: early\n    date: 2001\n    title: Early\n"
                          "    sources: [article]\n",
         "z-events.yaml": "events:\n  - id: late\n    date: 2030\n    title: Late\n"
                          "    actors: [united-states]\n    sources: [article]\n"}
for name, body in extra.items():
    open(os.path.join(idata, name), "w", encoding="utf-8").write(body)
c, _ = start(inc, watch=False)
state = {}


def settle():
    """Let the server check, then take every list it published."""
    c.call("workspace/symbol", {"query": "no-such-thing"})
    for m in c.inbox:
        if m.get("method") == "textDocument/publishDiagnostics":
            state[m["params"]["uri"]] = m["params"]["diagnostics"]
    c.inbox = [m for m in c.inbox if m.get("method") != "textDocument/publishDiagnostics"]


def same_as_check(step):
    out = subprocess.run([ANNALS, "check", "--format", "json", idata], capture_output=True,
                         text=True).stdout
    want = sorted((os.path.abspath(x["file"]), x["line"], x["column"], x["severity"],
                   x["message"]) for x in json.loads(out))
    got = sorted((u[len("file://"):], g["range"]["start"]["line"] + 1,
                  g["range"]["start"]["character"] + 1,
                  {1: "error", 2: "warning"}[g["severity"]], g["data"]["message"])
                 for u, ds in state.items() for g in ds)
    check(want == got, "after %s: the diagnostics of annals check" % step,
          "\n  check:  %s\n  server: %s" % (want, got))


opened = {}


def edit(name, old, new, step):
    path = os.path.join(idata, name)
    text = open(path, encoding="utf-8").read()
    assert old in text, (name, old)
    text = text.replace(old, new, 1)
    open(path, "w", encoding="utf-8").write(text)
    if name not in opened:
        opened[name] = 1
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "yaml", "version": 1, "text": text}})
    else:
        opened[name] += 1
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": opened[name]},
            "contentChanges": [{"text": text}]})
    settle()
    same_as_check(step)


settle()
same_as_check("the first check")
steps = [
    ("events.yaml", "[is-greater-sahra]", "[is-greater-sahara]", "fixing the error"),
    ("events.yaml", "[mosul]", "[mosull]", "a new unknown place"),
    ("z-events.yaml", "id: late", "id: fall-of-mosul", "a duplicate id in a later file"),
    ("a-events.yaml", "id: early", "id: sahara-attack", "a duplicate id in an earlier file"),
    ("z-events.yaml", "id: fall-of-mosul", "id: late", "one duplicate gone"),
    ("a-events.yaml", "id: sahara-attack", "id: early", "the other gone"),
    ("actors.yaml", "  - id: united-states\n", "  - id: united-state\n",
     "an actor renamed away from its references"),
    ("places.yaml", "within: iraq", "within: [iraq", "a syntax error"),
    ("places.yaml", "within: [iraq", "within: iraq", "the syntax error fixed"),
    ("a-events.yaml", "    sources: [article]\n", "", "an event without sources (a warning)"),
    ("actors.yaml", "  - id: united-state\n", "  - id: united-states\n", "the actor back"),
    ("events.yaml", "[mosull]", "[mosul]", "the place fixed"),
    ("actors.yaml", "aliases: [ISIS, Daesh]", "aliases: [ISIS, Daesh, Mosul, mosul]",
     "an alias twice"),
    ("actors.yaml", "part_of: islamic-state", "part_of: is-greater-sahara", "a cycle"),
    ("actors.yaml", "part_of: is-greater-sahara", "part_of: islamic-state", "no cycle"),
]
for name, old, new, step in steps:
    edit(name, old, new, step)


def touch_buffer(name):
    """Send a buffer's text again unchanged: a check, with no word of any other file."""
    path = os.path.join(idata, name)
    opened[name] += 1
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(path), "version": opened[name]},
        "contentChanges": [{"text": open(path, encoding="utf-8").read()}]})


def edit_on_disk(old, new, step, watched):
    """Change sources.yaml (never opened) on disk, keeping its size; tell the server, or
    let the file age first (the server trusts an old file's stat, not a new one's)."""
    path = os.path.join(idata, "sources.yaml")
    text = open(path, encoding="utf-8").read()
    assert old in text and len(old) == len(new), (old, new)
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
    if watched:
        c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(path), "type": 2}]})
    else:
        time.sleep(2.5)
        touch_buffer("events.yaml")
    settle()
    same_as_check(step)


# Files changed on disk behind the server's back: a check after every file
# has aged, so that the server trusts what it read; then the change.
time.sleep(2.5)
touch_buffer("events.yaml")
settle()
edit_on_disk("id: article", "id: articel", "a file changed on disk, unannounced", False)
edit_on_disk("id: articel", "id: article", "a file changed on disk, announced", True)
# A buffer of a new file, not saved yet, is part of the dataset.
new = os.path.join(idata, "new.yaml")
c.notify("textDocument/didOpen", {"textDocument": {
    "uri": uri(new), "languageId": "yaml", "version": 1,
    "text": "events:\n  - id: brand-new\n    date: 2022\n    title: New\n"
            "    actors: [nobody]\n    sources: [article]\n"}})
d = c.diagnostics(uri(new), pred=lambda ds: len(ds) > 0)
check(d is not None and d["params"]["diagnostics"][0]["data"]["message"] ==
      "unknown actor 'nobody'", "an unsaved new file is checked", d)
c.notify("textDocument/didClose", td(new))
d = c.diagnostics(uri(new), pred=lambda ds: ds == [])
check(d is not None, "closing an unsaved file clears its diagnostics")
c.call("shutdown")
c.notify("exit")
check(c.close() == 0, "exit 0 after the edits")

# ---- UTF-16 and UTF-8 positions ------------------------------------------------------
wide = os.path.join(WORK, "wide")
shutil.copytree(os.path.join(SRC, "tests", "data", "lsp"), wide)
wev = os.path.join(wide, "data", "events.yaml")
t = open(wev, encoding="utf-8").read().replace(
    "actors: [is-greater-sahra]", "actors: [is-greater-sahara]").replace(
    "    sources: [article]\n\n  - id: ides", "    sources: [{quote: \"\U0001F600é\", id: articel}]"
    "\n\n  - id: ides")
open(wev, "w", encoding="utf-8").write(t)
line = t.split("\n")[15]
cp_col = line.index("articel")                                # code points
u16_col = len(line[:cp_col].encode("utf-16-le")) // 2         # the emoji is 2 units
u8_col = len(line[:cp_col].encode("utf-8"))
for enc, col in ((None, u16_col), (["utf-8", "utf-16"], u8_col)):
    c, init = start(wide, encodings=enc, watch=False)
    got_enc = init["result"]["capabilities"]["positionEncoding"]
    check(got_enc == ("utf-8" if enc else "utf-16"), "the position encoding offered", got_enc)
    d = c.diagnostics(uri(wev))
    g = d["params"]["diagnostics"][0] if d else {}
    check(g.get("range", {}).get("start") == {"line": 15, "character": col} and
          g["range"]["end"]["character"] == col + 7, "diagnostic columns in " + got_enc,
          (g.get("range"), col))
    defn = result(c, "textDocument/definition",
                  td(wev, {"line": 15, "character": col + 2}))
    check(defn is None, "no definition for an unknown id")
    comp = result(c, "textDocument/completion", td(wev, {"line": 15, "character": col + 3}))
    check(labels(comp) == ["article"], "completion after non-ASCII text (%s)" % got_enc,
          comp)
    h = result(c, "textDocument/hover", td(wev, {"line": 15, "character": col + 2}))
    check(h is None, "no hover for an unknown id", h)
    c.call("shutdown")
    c.notify("exit")
    check(c.close() == 0, "exit 0 (%s)" % got_enc)

# ---- The seed dataset ------------------------------------------------------------------
seed = os.path.join(WORK, "seed")
os.mkdir(seed)
shutil.copytree(os.path.join(SRC, "data"), os.path.join(seed, "data"))
ev14 = os.path.join(seed, "data", "events", "2014.yaml")
c, init = start(seed)
time.sleep(0.5)
c.drain(0.5)
nonempty = [m for m in c.inbox if m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["diagnostics"]]
check(nonempty == [], "the seed dataset is clean", nonempty)
h = result(c, "textDocument/hover", td(ev14, pos(ev14, "date: 2014-22", 7)))
check(h and h["contents"]["value"] == "summer 2014: 1 June 2014 - 31 August 2014",
      "hover on summer 2014", h)
defn = result(c, "textDocument/definition", td(ev14, pos(ev14, "{id: islamic-state", 6)))
check(defn and defn["uri"].endswith("/data/actors.yaml"), "definition in the seed", defn)
text = open(ev14, encoding="utf-8").read()
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(ev14), "languageId": "yaml",
                                                   "version": 1, "text": text}})
p = pos(ev14, "{id: islamic-state", 5)
c.notify("textDocument/didChange", {"textDocument": {"uri": uri(ev14), "version": 2},
                                    "contentChanges": [{"range": {"start": p, "end": {
                                        "line": p["line"], "character": p["character"] + 13}},
                                        "text": "Daesh"}]})
comp = result(c, "textDocument/completion", td(ev14, {"line": p["line"],
                                                       "character": p["character"] + 5}))
check(labels(comp) == ["islamic-state"], "Daesh offers islamic-state in the seed", labels(comp))
d = c.diagnostics(uri(ev14), pred=lambda ds: len(ds) > 0)
g = d["params"]["diagnostics"][0] if d else {}
check("unknown actor 'Daesh'" in g.get("message", ""), "the seed's new error", g)
acts = result(c, "textDocument/codeAction", td(ev14, range=g.get("range"),
                                               context={"diagnostics": [g]}))
check("replace with 'islamic-state'" in [a["title"] for a in acts or []],
      "the alias quick fix", acts)
syms = result(c, "workspace/symbol", {"query": "ISGS"})
check([s["name"] for s in syms or []] == ["is-greater-sahara"], "workspace symbol by alias",
      syms)
c.call("shutdown")
c.notify("exit")
check(c.close() == 0, "seed: exit 0")

# The paths of initializationOptions, relative to the root.
c, init = start(ws, options={"paths": ["data/places.yaml", "data/sources.yaml"]}, watch=False)
c.drain(1.0)
pub = [m["params"]["uri"] for m in c.inbox if m.get("method") ==
       "textDocument/publishDiagnostics" and m["params"]["diagnostics"]]
check(pub == [], "initializationOptions.paths chooses the files", pub)
m = c.call("workspace/symbol", {"query": "islamic"})
check(m.get("result") == [], "no actors outside those paths", m)
c.call("shutdown")
c.notify("exit")
c.close()

print("%d passed, %d failed" % (CHECKS - len(FAILS), len(FAILS)))
sys.exit(1 if FAILS else 0)
