/* lsp_workspace.c - the language server's workspace: where the dataset is, open buffers over files, checks and published diagnostics. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "annals/db.h"
#include "annals/load.h"
#include "annals/lsp.h"
#include "annals/util.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Normalize an absolute path in place, as text (links are not resolved, as
 * an editor names files by the path it opened): "//" and "/./" become "/",
 * "x/.." goes, and no slash ends it (but "/").
 */
static void normalize(char *p)
{
    char *w = p;
    for (const char *r = p; *r;) {
        while (*r == '/')
            r++;
        const char *e = r;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - r);
        if (n == 1 && r[0] == '.') {
            /* nothing */
        } else if (n == 2 && r[0] == '.' && r[1] == '.') {
            while (w > p && *--w != '/')
                ;
        } else if (n > 0) {
            *w++ = '/';
            memmove(w, r, n);
            w += n;
        }
        r = e;
    }
    if (w == p)
        *w++ = '/';
    *w = '\0';
}

/* path made absolute against base and normalized (a new string). */
static char *absolute(const char *base, const char *path)
{
    char *p = path[0] == '/' ? strdup(path) : str_printf("%s/%s", base, path);
    if (p)
        normalize(p);
    return p;
}

/* The root the client gives: rootUri, the first workspace folder, rootPath, or the working directory. */
static char *root_of(const json_t *params)
{
    const char *uri = json_string_value(json_object_get(params, "rootUri"));
    json_t *folders = json_object_get(params, "workspaceFolders");
    if (!uri && json_is_array(folders) && json_array_size(folders) > 0)
        uri = json_string_value(json_object_get(json_array_get(folders, 0), "uri"));
    char *path = uri ? lsp_uri_to_path(uri) : NULL;
    if (!path && json_string_value(json_object_get(params, "rootPath")))
        path = strdup(json_string_value(json_object_get(params, "rootPath")));
    if (!path) {
        char cwd[PATH_MAX];
        path = strdup(getcwd(cwd, sizeof(cwd)) ? cwd : ".");
    }
    /* without a trailing slash, so that paths under it read root/x */
    if (path && path[0] == '/')
        normalize(path);
    return path;
}

int lsp_ws_init(lsp_server *s, const json_t *params, lsp_error *e)
{
    s->root = root_of(params);
    if (!s->root)
        goto oom;
    const json_t *opts = json_object_get(params, "initializationOptions");
    const json_t *paths = json_object_get(opts, "paths");
    if (paths && !json_is_array(paths)) {
        e->code = -32602;
        snprintf(e->message, sizeof(e->message),
                 "initializationOptions.paths must be a list of paths relative to the root");
        return -1;
    }
    size_t n = json_array_size(paths);
    s->paths = calloc(n ? n : 1, sizeof(*s->paths));
    if (!s->paths)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const char *p = json_string_value(json_array_get(paths, i));
        if (!p) {
            e->code = -32602;
            snprintf(e->message, sizeof(e->message),
                     "initializationOptions.paths must hold strings (paths relative to the root)");
            return -1;
        }
        if (!(s->paths[s->npaths++] = absolute(s->root, p)))
            goto oom;
    }
    if (n == 0) {
        char *data = absolute(s->root, "data");
        if (!data)
            goto oom;
        if (is_dir(data)) {
            s->paths[s->npaths++] = data;
        } else {
            free(data);
            if (!(s->paths[s->npaths++] = strdup(s->root)))
                goto oom;
        }
    }
    lsp_log(s, "root %s, dataset under %s%s", s->root, s->paths[0],
            s->npaths > 1 ? " and more" : "");
    return 0;
oom:
    e->code = -32603;
    snprintf(e->message, sizeof(e->message), "out of memory");
    return -1;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void lsp_ws_free(lsp_server *s)
{
    free(s->root);
    free_strings(s->paths, s->npaths);
    for (size_t i = 0; i < s->ndocs; i++) {
        free(s->docs[i].uri);
        free(s->docs[i].path);
        free(s->docs[i].text);
    }
    free(s->docs);
    db_close(s->db);
    diag_list_free(s->diags);
    load_free_files(s->files, s->nfiles);
    free(s->sigs);
    free_strings(s->published, s->npublished);
}

/* ---- Buffers ---------------------------------------------------------------- */

lsp_doc *lsp_ws_doc(lsp_server *s, const char *uri)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (strcmp(s->docs[i].uri, uri) == 0)
            return &s->docs[i];
    return NULL;
}

static lsp_doc *doc_of_path(lsp_server *s, const char *path)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (s->docs[i].path && strcmp(s->docs[i].path, path) == 0)
            return &s->docs[i];
    return NULL;
}

int lsp_ws_open(lsp_server *s, const char *uri, char *text, size_t len, long long version)
{
    lsp_doc *d = lsp_ws_doc(s, uri);
    if (!d) {
        if (array_grow(&s->docs, &s->docs_cap, s->ndocs, sizeof(*s->docs), 8) != 0) {
            free(text);
            return -1;
        }
        d = &s->docs[s->ndocs];
        memset(d, 0, sizeof(*d));
        d->uri = strdup(uri);
        d->path = lsp_uri_to_path(uri);
        if (!d->uri) {
            free(d->path);
            free(text);
            return -1;
        }
        s->ndocs++;
    }
    free(d->text);
    d->text = text;
    d->len = len;
    d->version = version;
    d->gen = ++s->gen;
    return 0;
}

void lsp_ws_close(lsp_server *s, const char *uri)
{
    lsp_doc *d = lsp_ws_doc(s, uri);
    if (!d)
        return;
    free(d->uri);
    free(d->path);
    free(d->text);
    *d = s->docs[--s->ndocs];
}

void lsp_text_get(lsp_server *s, const char *path, lsp_file_text *ft)
{
    memset(ft, 0, sizeof(*ft));
    lsp_doc *d = doc_of_path(s, path);
    if (d) {
        ft->text = d->text;
        ft->len = d->len;
        return;
    }
    ft->owned = file_read_all(path, &ft->len, (size_t)-1);
    ft->text = ft->owned;
}

void lsp_text_release(lsp_file_text *ft)
{
    free(ft->owned);
    memset(ft, 0, sizeof(*ft));
}

/* ---- Ranges ------------------------------------------------------------------ */

json_t *lsp_range_json(lsp_pos a, lsp_pos b)
{
    return json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}", "start", "line", (json_int_t)a.line,
                     "character", (json_int_t)a.character, "end", "line", (json_int_t)b.line,
                     "character", (json_int_t)b.character);
}

json_t *lsp_bytes_range(const lsp_server *s, const lsp_file_text *ft, size_t from, size_t to)
{
    return lsp_range_json(lsp_pos_of(ft->text, ft->len, from, s->enc),
                          lsp_pos_of(ft->text, ft->len, to, s->enc));
}

json_t *lsp_ws_range(lsp_server *s, const char *path, int line, int col, int span)
{
    lsp_file_text ft;
    lsp_text_get(s, path, &ft);
    const char *t = ft.text ? ft.text : "";
    size_t n = ft.text ? ft.len : 0;
    lsp_pos a = lsp_pos_of_col(t, n, line, col, s->enc);
    lsp_pos b = lsp_pos_after(t, n, line, col, span, s->enc);
    lsp_text_release(&ft);
    return lsp_range_json(a, b);
}

json_t *lsp_ws_location(lsp_server *s, const char *path, int line, int col, int span)
{
    char *uri = lsp_path_to_uri(path);
    json_t *loc = uri ? json_pack("{s:s, s:o}", "uri", uri, "range",
                                  lsp_ws_range(s, path, line, col, span))
                      : NULL;
    free(uri);
    return loc;
}

int lsp_ws_id_col(lsp_server *s, const char *path, int line, int col)
{
    lsp_file_text ft;
    lsp_text_get(s, path, &ft);
    if (ft.text && line > 0 && col > 0) {
        size_t off = lsp_offset_of(ft.text, ft.len,
                                   lsp_pos_of_col(ft.text, ft.len, line, col, LSP_ENC_UTF8),
                                   LSP_ENC_UTF8);
        if (off < ft.len && (ft.text[off] == '"' || ft.text[off] == '\''))
            col++;
    }
    lsp_text_release(&ft);
    return col;
}

/* ---- Checking ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strcmp(path, dir) == 0 ||
           (strncmp(path, dir, n) == 0 && (path[n] == '/' || (n && dir[n - 1] == '/')));
}

/* The dataset's files, with the open buffers under its paths that are not saved yet. */
static int collect(lsp_server *s, char ***files, size_t *n, diag_list *dl)
{
    if (load_collect_files((const char *const *)s->paths, s->npaths, files, n, dl) != 0)
        return -1;
    size_t base = *n, cap = *n;
    for (size_t i = 0; i < s->ndocs; i++) {
        const char *p = s->docs[i].path;
        if (!p || !load_has_yaml_ext(p) || bsearch(&p, *files, base, sizeof(**files), cmp_str))
            continue;
        for (size_t j = 0; j < s->npaths; j++) {
            if (under(p, s->paths[j]) && access(p, F_OK) != 0) {
                if (array_grow(files, &cap, *n, sizeof(**files), 4) != 0 ||
                    !((*files)[*n] = strdup(p)))
                    return -1;
                (*n)++;
                break;
            }
        }
    }
    if (*n > base)
        qsort(*files, *n, sizeof(**files), cmp_str);
    return 0;
}

/*
 * True when a duplicate id's error falls on the record the database holds:
 * a reload kept the later of the two (its file was not read again) and
 * skipped the earlier, where a full load keeps the earlier and skips the
 * later, and the rules after it (aliases, cycles, sources) see the one kept.
 */
static bool kept_the_later(lsp_server *s, const diag_list *dl)
{
    for (size_t i = 0; i < diag_list_len(dl); i++) {
        diag_view d = diag_at(dl, i);
        char *path;
        int line, col;
        if (d.about != DIAG_ABOUT_DUPLICATE_ID || !d.file || !d.kind || !d.id ||
            !lsp_definition_of(s, d.kind, d.id, &path, &line, &col))
            continue;
        bool kept = strcmp(path, d.file) == 0 && line == d.line && col == d.col;
        free(path);
        if (kept)
            return true;
    }
    return false;
}

/* One load of files into s->db (opened when needed). 0, or -1 after logging. */
static int load_into_db(lsp_server *s, char **files, size_t nfiles, const load_options *o,
                        diag_list *dl)
{
    char *err = NULL;
    if (!s->db && db_open(NULL, DB_TEMP, &s->db, &err) != 0) {
        lsp_log(s, "cannot open a database: %s", err);
        free(err);
        return -1;
    }
    load_stats st;
    if (load_dataset(s->db, files, nfiles, o, dl, &st, &err) != 0) {
        lsp_log(s, "check failed: %s", err);
        free(err);
        return -1;
    }
    lsp_log(s, "checked %zu files: %zu actors, %zu places, %zu sources, %zu events", st.files,
            st.actors, st.places, st.sources, st.events);
    return 0;
}

/* The i-th diagnostic of dl, whose file's text is ft (empty when it cannot be read). */
static json_t *diagnostic_json(lsp_server *s, const diag_list *dl, size_t i,
                               const lsp_file_text *ft)
{
    diag_view d = diag_at(dl, i);
    const char *t = ft->text ? ft->text : "";
    size_t n = ft->text ? ft->len : 0;
    json_t *range = lsp_range_json(lsp_pos_of_col(t, n, d.line, d.col, s->enc),
                                   lsp_pos_after(t, n, d.line, d.col, d.span > 1 ? d.span : 1,
                                                 s->enc));
    char *msg = d.hint ? str_printf("%s\nhint: %s", d.message, d.hint) : strdup(d.message);
    json_t *related = json_array();
    for (size_t j = 0; j < d.nnotes; j++) {
        diag_view note = diag_note_at(dl, i, j);
        if (!note.file)
            continue;
        json_array_append_new(related,
                              json_pack("{s:o*, s:s}", "location",
                                        lsp_ws_location(s, note.file, note.line, note.col, 1),
                                        "message", note.message));
    }
    json_t *j = json_pack("{s:o, s:i, s:s, s:s, s:o, s:{s:s, s:s?}}", "range", range,
                          "severity", d.sev == DIAG_ERROR ? 1 : d.sev == DIAG_WARNING ? 2 : 3,
                          "source", "annals", "message", msg ? msg : d.message,
                          "relatedInformation", related, "data", "message", d.message, "hint",
                          d.hint);
    free(msg);
    return j;
}

bool lsp_ws_diag_of(lsp_server *s, const char *path, const json_t *client, diag_view *out)
{
    const json_t *start = json_object_get(json_object_get(client, "range"), "start");
    const char *msg = json_string_value(json_object_get(client, "message"));
    if (!s->diags || !msg || !json_is_object(start))
        return false;
    lsp_pos at = {(unsigned)json_integer_value(json_object_get(start, "line")),
                  (unsigned)json_integer_value(json_object_get(start, "character"))};
    lsp_file_text ft;
    lsp_text_get(s, path, &ft);
    const char *t = ft.text ? ft.text : "";
    size_t n = ft.text ? ft.len : 0;
    bool found = false;
    for (size_t i = 0; i < diag_list_len(s->diags) && !found; i++) {
        diag_view d = diag_at(s->diags, i);
        size_t m = strlen(d.message);
        if (!d.file || strcmp(d.file, path) != 0 || strncmp(msg, d.message, m) != 0 ||
            (msg[m] != '\0' && msg[m] != '\n'))
            continue;
        lsp_pos p = lsp_pos_of_col(t, n, d.line, d.col, s->enc);
        if (p.line == at.line && p.character == at.character) {
            *out = d;
            found = true;
        }
    }
    lsp_text_release(&ft);
    return found;
}

static void publish_one(lsp_server *s, const char *uri, json_t *list)
{
    json_t *params = json_pack("{s:s, s:o}", "uri", uri, "diagnostics", list);
    lsp_doc *d = lsp_ws_doc(s, uri);
    if (params && d)
        json_object_set_new(params, "version", json_integer(d->version));
    lsp_send(s, lsp_notification("textDocument/publishDiagnostics", params));
}

/* Send every file's list; an empty one to files that had problems and have none now. */
static void publish(lsp_server *s)
{
    char **now = calloc(diag_list_len(s->diags) + 1, sizeof(*now));
    size_t nnow = 0;
    if (!now)
        return;
    const diag_list *dl = s->diags;
    for (size_t i = 0; i < diag_list_len(dl);) {
        diag_view d = diag_at(dl, i);
        size_t j = i;
        json_t *list = json_array();
        lsp_file_text ft = {0};
        if (d.file)
            lsp_text_get(s, d.file, &ft);   /* once for all the file's diagnostics */
        for (; j < diag_list_len(dl); j++) {
            diag_view e = diag_at(dl, j);
            if (!d.file != !e.file || (d.file && strcmp(d.file, e.file) != 0))
                break;
            if (d.file)
                json_array_append_new(list, diagnostic_json(s, dl, j, &ft));
            else
                lsp_send(s, lsp_notification("window/showMessage",
                                             json_pack("{s:i, s:s}", "type", 1, "message",
                                                       e.message)));
        }
        lsp_text_release(&ft);
        char *uri = d.file ? lsp_path_to_uri(d.file) : NULL;
        if (uri) {
            publish_one(s, uri, list);
            now[nnow++] = uri;
        } else {
            json_decref(list);
        }
        i = j;
    }
    for (size_t i = 0; i < s->npublished; i++) {
        bool still = false;
        for (size_t k = 0; k < nnow && !still; k++)
            still = strcmp(now[k], s->published[i]) == 0;
        if (!still)
            publish_one(s, s->published[i], json_array());
    }
    free_strings(s->published, s->npublished);
    s->published = now;
    s->npublished = nnow;
}

/* Take dl (sorted) as the current diagnostics. */
static void install(lsp_server *s, diag_list *dl)
{
    diag_sort(dl);
    diag_list_free(s->diags);
    s->diags = dl;
}

/*
 * What a check is about to read of path. A file written in the last two
 * seconds is not known: a second write within the file system's timestamp
 * step could leave its stat as it is (git's "racily clean" files).
 */
static lsp_file_sig sig_of(lsp_server *s, const char *path)
{
    lsp_file_sig g = {0};
    lsp_doc *d = doc_of_path(s, path);
    struct stat st;
    struct timespec now;
    if (d) {
        g.known = true;
        g.gen = d->gen;
    } else if (stat(path, &st) == 0 && clock_gettime(CLOCK_REALTIME, &now) == 0) {
        g.known = st.st_mtim.tv_sec + 2 < now.tv_sec && st.st_ctim.tv_sec + 2 < now.tv_sec;
        g.dev = (long long)st.st_dev;
        g.ino = (long long)st.st_ino;
        g.size = (long long)st.st_size;
        g.mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        g.ctime_ns = (long long)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
    }
    return g;
}

static bool same_sig(const lsp_file_sig *a, const lsp_file_sig *b)
{
    return a->known && b->known && a->gen == b->gen && a->dev == b->dev &&
           a->ino == b->ino && a->size == b->size && a->mtime_ns == b->mtime_ns &&
           a->ctime_ns == b->ctime_ns;
}

/*
 * The signatures of files (sorted) now, and which of them are as the last
 * kept check read them (s->files and s->sigs, sorted too). 0, or -1 when
 * out of memory.
 */
static int sign_files(lsp_server *s, char **files, size_t n, lsp_file_sig **sigs,
                      bool **unchanged)
{
    *sigs = calloc(n + 1, sizeof(**sigs));
    *unchanged = calloc(n + 1, sizeof(**unchanged));
    if (!*sigs || !*unchanged) {
        free(*sigs);
        free(*unchanged);
        return -1;
    }
    size_t j = 0, same = 0;
    for (size_t i = 0; i < n; i++) {
        (*sigs)[i] = sig_of(s, files[i]);
        while (s->sigs && j < s->nfiles && strcmp(s->files[j], files[i]) < 0)
            j++;
        (*unchanged)[i] = s->sigs && j < s->nfiles && strcmp(s->files[j], files[i]) == 0 &&
                          same_sig(&s->sigs[j], &(*sigs)[i]);
        same += (*unchanged)[i];
    }
    lsp_log(s, "%zu of %zu files as the last check read them", same, n);
    return 0;
}

int lsp_ws_check(lsp_server *s)
{
    long long t0 = lsp_now_ms();
    s->dirty = false;
    diag_list *dl = diag_list_new();
    char **files = NULL;
    size_t nfiles = 0;
    lsp_file_sig *sigs = NULL;
    bool *unchanged = NULL;
    load_overlay *ov = calloc(s->ndocs + 1, sizeof(*ov));
    int rc = -1;
    bool published = false;
    if (!dl || !ov) {
        lsp_log(s, "out of memory");
        goto done;
    }
    if (collect(s, &files, &nfiles, dl) == 0) {
        if (sign_files(s, files, nfiles, &sigs, &unchanged) != 0) {
            lsp_log(s, "out of memory");
            goto done;
        }
        load_options o = {.commit = true, .keep_errors = true, .overlays = ov,
                          .unchanged = unchanged, .no_text_index = true};
        for (size_t i = 0; i < s->ndocs; i++)
            if (s->docs[i].path)
                ov[o.noverlays++] = (load_overlay){s->docs[i].path, s->docs[i].text,
                                                   s->docs[i].len};
        if (!s->db_has_data) {
            /* Nothing to reload from: check as `annals check` does (it skips the
               texts and indexes no rule needs) and publish that, then load. */
            load_options quick = o;
            quick.commit = quick.keep_errors = false;
            if (load_into_db(s, files, nfiles, &quick, dl) == 0) {
                install(s, dl);
                publish(s);
                published = true;
                lsp_log(s, "first diagnostics in %lld ms", lsp_now_ms() - t0);
                dl = diag_list_new();
                if (!dl)
                    goto done;
            } else {
                diag_list_free(dl);
                if (!(dl = diag_list_new()))
                    goto done;
            }
        }
        rc = load_into_db(s, files, nfiles, &o, dl);
        /* A reload that kept the later of two records with one id checks
           everything afresh, to keep the earlier as a full load does. */
        if (rc == 0 && s->db_has_data && kept_the_later(s, dl)) {
            diag_list_free(dl);
            db_close(s->db);
            s->db = NULL;
            dl = diag_list_new();
            rc = dl ? load_into_db(s, files, nfiles, &o, dl) : -1;
        }
        s->db_has_data = rc == 0;
    } else {
        rc = 0;   /* the paths themselves are wrong: say so */
    }
    if (!dl)
        goto done;
    install(s, dl);
    dl = NULL;
    load_free_files(s->files, s->nfiles);
    s->files = files;
    s->nfiles = nfiles;
    files = NULL;
    free(s->sigs);
    s->sigs = rc == 0 && s->db_has_data ? sigs : NULL;
    if (s->sigs)
        sigs = NULL;
    if (!published || rc != 0)
        publish(s);
    lsp_log(s, "checked in %lld ms (%zu diagnostics)", lsp_now_ms() - t0,
            diag_list_len(s->diags));
done:
    free(ov);
    free(sigs);
    free(unchanged);
    load_free_files(files, nfiles);
    diag_list_free(dl);
    return rc;
}

void lsp_ws_settle(lsp_server *s)
{
    if (s->dirty)
        lsp_ws_check(s);
}
