/* cli.c - command-line plumbing shared by the commands: options, help, output checks. */
#include "annals/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annals/names.h"
#include "annals/util.h"

void cli_init(cli_parser *p, int argc, char **argv)
{
    p->argc = argc;
    p->argv = argv;
    p->i = 0;
    p->only_positional = false;
    p->value = NULL;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "annals %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'annals %s --help'\n", cmd->name);
    return EXIT_USAGE;
}

/* "unknown option '--acter' (did you mean '--actor'?)": the closest long option. */
static void unknown_option(const cli_command *cmd, const char *arg)
{
    const char *name = arg + strspn(arg, "-");
    char *bare = strndup(name, strcspn(name, "="));   /* --acter=x: the name only */
    names_ranking r;
    names_ranking_init(&r, bare ? bare : "", 1);
    free(bare);
    for (const cli_option *c = cmd->options; c && c->name; c++)
        names_ranking_feed(&r, c->name, NULL);
    names_ranking_feed(&r, "help", NULL);
    const char *best = names_ranking_best(&r);
    cli_usage_error(cmd, "unknown option '%s'%s%s%s", arg, best ? " (did you mean '--" : "",
                    best ? best : "", best ? "'?)" : "");
    names_ranking_free(&r);
}

int cli_unknown_value(const cli_command *cmd, const char *what, const char *value,
                      const char *const *choices)
{
    const char *best = names_closest_in(value, choices);
    if (best)
        return cli_usage_error(cmd, "unknown %s '%s' (did you mean '%s'?)", what, value, best);
    strbuf list = STRBUF_INIT;
    for (size_t i = 0; choices[i]; i++)
        strbuf_addf(&list, "%s%s", i == 0 ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
    cli_usage_error(cmd, "unknown %s '%s' (%s)", what, value, strbuf_str(&list));
    strbuf_free(&list);
    return EXIT_USAGE;
}

int cli_next(cli_parser *p, const cli_command *cmd)
{
    if (p->i >= p->argc)
        return CLI_END;
    char *arg = p->argv[p->i++];
    if (p->only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
        p->value = arg;
        return CLI_POSITIONAL;
    }
    if (strcmp(arg, "--") == 0) {
        p->only_positional = true;
        return cli_next(p, cmd);
    }
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
        return CLI_HELP;
    const cli_option *o = NULL;
    const char *inline_value = NULL;
    if (arg[1] == '-') {
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        for (const cli_option *c = cmd->options; c && c->name; c++)
            if (strlen(c->name) == n && strncmp(c->name, name, n) == 0)
                o = c;
        if (eq)
            inline_value = eq + 1;
    } else {
        for (const cli_option *c = cmd->options; c && c->name; c++)
            if (c->short_name && c->short_name == arg[1])
                o = c;
        if (o && arg[2])
            inline_value = arg + 2;
    }
    if (!o) {
        unknown_option(cmd, arg);
        return CLI_ERROR;
    }
    if (!o->metavar) {
        if (inline_value) {
            cli_usage_error(cmd, "option '--%s' takes no value", o->name);
            return CLI_ERROR;
        }
        p->value = NULL;
    } else if (inline_value) {
        p->value = inline_value;
    } else if (p->i < p->argc) {
        p->value = p->argv[p->i++];
    } else {
        cli_usage_error(cmd, "option '--%s' needs a value (%s)", o->name, o->metavar);
        return CLI_ERROR;
    }
    return (int)(o - cmd->options);
}

int cli_parse(const cli_command *cmd, int argc, char **argv,
              int (*on_option)(void *ctx, int opt, const char *value), void *ctx,
              const char ***pos, size_t *npos, int *code)
{
    *npos = 0;
    *pos = calloc((size_t)argc + 1, sizeof(**pos));
    if (!*pos) {
        fprintf(stderr, "annals %s: out of memory\n", cmd->name);
        *code = EXIT_IO;
        return -1;
    }
    cli_parser p;
    cli_init(&p, argc, argv);
    int k;
    while ((k = cli_next(&p, cmd)) != CLI_END) {
        if (k == CLI_ERROR) {
            *code = EXIT_USAGE;
        } else if (k == CLI_HELP) {
            cli_print_help(cmd, stdout);
            *code = EXIT_OK;
        } else if (k == CLI_POSITIONAL) {
            (*pos)[(*npos)++] = p.value;
            continue;
        } else if ((*code = on_option(ctx, k, p.value)) == EXIT_OK) {
            continue;
        }
        free(*pos);     /* the command is over */
        *pos = NULL;
        *npos = 0;
        return -1;
    }
    return 0;
}

int cli_db_open(const char *cmd, const char *path, db_mode mode, sqlite3 **db)
{
    char *err = NULL;
    if (db_open(path, mode, db, &err) == 0)
        return EXIT_OK;
    fprintf(stderr, "annals %s: %s\n", cmd, err ? err : "out of memory");
    free(err);
    return EXIT_IO;
}

const char *const cli_diag_format_names[] = {[CLI_DIAG_TEXT] = "text", [CLI_DIAG_JSON] = "json",
                                             NULL};

int cli_diag_format_find(const char *name, cli_diag_format *fmt)
{
    for (int i = 0; cli_diag_format_names[i]; i++)
        if (strcmp(name, cli_diag_format_names[i]) == 0) {
            *fmt = (cli_diag_format)i;
            return 0;
        }
    return -1;
}

void cli_print_help(const cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: annals %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->usage,
            cmd->summary);
    for (const cli_option *o = cmd->options; o && o->name; o++) {
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
                     o->metavar ? " " : "", o->metavar ? o->metavar : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
    fputs("  -h, --help                 show this help\n", out);
    if (cmd->more_help)
        cmd->more_help(out);
}

bool cli_color(FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(out));
}

int cli_finish_stdout(int code)
{
    errno = 0;
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = true;
        e = errno;
    }
    if (bad) {
        fprintf(stderr, "annals: cannot write the output: %s\n",
                e ? strerror(e) : "write error");
        return EXIT_IO;
    }
    return code;
}
