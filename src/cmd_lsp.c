/* cmd_lsp.c - `annals lsp`: the language server, on standard input and output. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annals/cli.h"
#include "annals/lsp.h"
#include "commands.h"

static const cli_option options[] = {
    {"log", 0, "FILE", "append a trace of every message and check to FILE"},
    {NULL, 0, NULL, NULL}};

static int on_option(void *ctx, int opt, const char *value)
{
    *(const char **)ctx = value;
    return EXIT_OK;
}

static void more_help(FILE *out)
{
    fputs("\nSpeaks the Language Server Protocol (3.17) on standard input and output,\n"
          "for an editor to start. The dataset is found from the workspace root the\n"
          "editor gives: initializationOptions.paths (relative to the root) when set,\n"
          "else data/ under the root when it exists, else the root. Diagnostics are\n"
          "those of 'annals check' for the files as they stand in the editor; also\n"
          "completion, hover, definition, references, rename, symbols and quick fixes.\n"
          "Setup for Neovim, Vim, Helix, Emacs, Kakoune and VS Code: docs/editors.md.\n"
          "exit codes: 0 after 'shutdown' and 'exit', 1 after 'exit' alone or when the\n"
          "input ends first, 2 wrong usage\n", out);
}

static int run(int argc, char **argv)
{
    const char *log_path = NULL;
    const char **paths;
    size_t npaths;
    int code;
    if (cli_parse(&cmd_lsp, argc, argv, on_option, &log_path, &paths, &npaths, &code) != 0)
        return code;
    free(paths);
    if (npaths > 0)
        return cli_usage_error(&cmd_lsp, "takes no paths: the editor gives the workspace");
    FILE *log = NULL;
    if (log_path && !(log = fopen(log_path, "a"))) {
        fprintf(stderr, "annals lsp: cannot open log file '%s': %s\n", log_path,
                strerror(errno));
        return EXIT_IO;
    }
    code = lsp_serve(STDIN_FILENO, stdout, log);
    if (log)
        fclose(log);
    return code;
}

const cli_command cmd_lsp = {
    "lsp", "language server for editors (LSP on standard input and output)", "[--log FILE]",
    options, run, more_help};
