/* cli_load.c - the validate-and-load step that check, load and report share. */
#include <stdlib.h>

#include "annals/cli.h"
#include "annals/diag.h"

int cli_load(sqlite3 *db, const char *const *paths, size_t npaths,
             const load_options *opts, cli_diag_format fmt, bool quiet, FILE *out,
             load_stats *stats)
{
    static const char *const default_paths[] = {"data"};
    if (npaths == 0) {
        paths = default_paths;
        npaths = 1;
    }
    diag_list *dl = diag_list_new();
    if (!dl) {
        fputs("annals: out of memory\n", stderr);
        return EXIT_IO;
    }
    char **files = NULL, *err = NULL;
    size_t nfiles = 0;
    int code = EXIT_OK;
    load_stats local;
    if (!stats)
        stats = &local;
    if (load_collect_files(paths, npaths, &files, &nfiles, dl) != 0) {
        code = EXIT_IO;
    } else if (load_dataset(db, files, nfiles, opts, dl, stats, &err) != 0) {
        code = EXIT_IO;
    } else if (diag_count(dl, DIAG_ERROR) > 0) {
        code = EXIT_DATA;
    }
    diag_sort(dl);
    if (fmt == CLI_DIAG_JSON) {
        diag_print_json(dl, out);
    } else {
        diag_print_text(dl, out, cli_color(out));
        if (!quiet || diag_count(dl, DIAG_ERROR) || diag_count(dl, DIAG_WARNING))
            diag_print_summary(dl, out, nfiles);
    }
    if (err)
        fprintf(stderr, "annals: %s\n", err);
    free(err);
    load_free_files(files, nfiles);
    diag_list_free(dl);
    return code;
}
