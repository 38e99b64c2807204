#!/usr/bin/env python3
"""The language server's benchmark (bench/run.sh runs it; or by hand):
   bench/lsp.py ANNALS DATASET_DIR EDIT_FILE [EDITS]
On a dataset whose EDIT_FILE gets one error (an actor id with one character
more), measures: the time from starting `annals lsp` to the first diagnostics;
the time from a one-character edit (the character removed, then typed again)
to the new diagnostics of that file, with the server's own debounce (median
of EDITS edits); completion and hover at that actor reference (medians of
20); the server's peak resident memory (VmHWM); the server's CPU seconds
(user + system, from /proc, 10 ms steps) to the first diagnostics and per
edit, which a busy machine inflates less than wall time. Prints one line of
name=value pairs (seconds, kB). The file is restored at the end."""
import os
import re
import shutil
import signal
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "lsp"))
from lspclient import Client, uri  # noqa: E402

def cpu_seconds(pid):
    """User + system CPU seconds of process pid so far (all its threads)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


annals, ds, edit_file = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
edits = int(sys.argv[4]) if len(sys.argv) > 4 else 10

# A run cut short left the file edited and its copy beside it: take the copy back.
pristine = edit_file + ".pristine"
if os.path.exists(pristine):
    shutil.move(pristine, edit_file)
shutil.copy(edit_file, pristine)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))   # so that the copy goes back
try:
    text = open(edit_file, encoding="utf-8").read()
    m = re.search(r"\{id: (actor-\d+)", text)
    assert m, "no actor reference in %s" % edit_file
    at = m.end(1)                       # just after the id
    broken = text[:at] + "x" + text[at:]
    with open(edit_file, "w", encoding="utf-8") as f:
        f.write(broken)
    line = broken.count("\n", 0, at)
    col = at - (broken.rfind("\n", 0, at) + 1)   # ASCII: bytes are UTF-16 units
    u = uri(edit_file)

    t0 = time.monotonic()
    log = os.environ.get("ANNALS_LSP_LOG")
    c = Client([annals, "lsp"] + (["--log", log] if log else []), cwd=os.path.dirname(ds))
    c.call("initialize", {"processId": os.getpid(), "rootUri": uri(ds), "capabilities": {},
                          "initializationOptions": {"paths": ["."]}}, timeout=600)
    c.notify("initialized", {})
    d = c.diagnostics(u, timeout=600, pred=lambda ds_: len(ds_) > 0)
    first = time.monotonic() - t0
    first_cpu = cpu_seconds(c.proc.pid)
    assert d, "no first diagnostics"

    c.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "yaml",
                                                       "version": 1, "text": broken}})
    c.diagnostics(u, timeout=600)
    version = 1
    lat = []
    cpu0 = cpu_seconds(c.proc.pid)
    for i in range(edits):
        version += 1
        fix = i % 2 == 0               # remove the x, then type it again
        change = {"range": {"start": {"line": line, "character": col},
                            "end": {"line": line, "character": col + 1 if fix else col}},
                  "text": "" if fix else "x"}
        c.drain(0)
        s = time.monotonic()
        c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": version},
                                            "contentChanges": [change]})
        got = c.diagnostics(u, timeout=600, pred=(lambda l: l == []) if fix else
                            (lambda l: len(l) > 0))
        lat.append(time.monotonic() - s)
        assert got, "no diagnostics after edit %d" % i

    edit_cpu = (cpu_seconds(c.proc.pid) - cpu0) / edits

    def timed(method, params):
        times = []
        for _ in range(20):
            s = time.monotonic()
            r = c.call(method, params, timeout=600)
            times.append(time.monotonic() - s)
            assert "result" in r, r
        return statistics.median(times)

    # completion and hover at another actor reference of the file (the first is broken)
    m2 = list(re.finditer(r"\{id: (actor-\d+)", broken))[1]
    at2 = m2.start(1) + len("actor-1")              # completing "actor-1..."
    line2 = broken.count("\n", 0, at2)
    pos = {"line": line2, "character": at2 - (broken.rfind("\n", 0, at2) + 1)}
    complete = timed("textDocument/completion", {"textDocument": {"uri": u}, "position": pos})
    hover = timed("textDocument/hover", {"textDocument": {"uri": u}, "position": pos})
    r = c.call("textDocument/hover", {"textDocument": {"uri": u}, "position": pos})
    assert r.get("result") and "**actor**" in r["result"]["contents"]["value"], r
    r = c.call("textDocument/completion", {"textDocument": {"uri": u}, "position": pos})
    assert len(r["result"]["items"]) > 0, r
    peak = 0
    with open("/proc/%d/status" % c.proc.pid) as f:
        for l in f:
            if l.startswith("VmHWM:"):
                peak = int(l.split()[1])
    c.call("shutdown")
    c.notify("exit")
    code = c.close()
    assert code == 0, "exit code %s" % code
    print("first=%.3f edit=%.3f complete=%.4f hover=%.4f peak_kb=%d edits=%d first_cpu=%.2f "
          "edit_cpu=%.3f" % (first, statistics.median(lat), complete, hover, peak, edits,
                             first_cpu, edit_cpu))
    print("edit latencies: " + " ".join("%.3f" % x for x in lat), file=sys.stderr)
finally:
    shutil.move(pristine, edit_file)
