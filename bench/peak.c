/* peak.c - run a command; report its wall time, peak memory and exit status.
 *
 * usage: annals-peak [-o FILE] CMD ARGS...
 *
 * Runs CMD (searched in PATH) with fork and exec, waits for it with wait4,
 * and writes one line "WALL_SECONDS MAX_RSS_KB EXIT_CODE" to FILE, or to
 * stderr without -o. MAX_RSS_KB is the command's peak resident set size
 * (ru_maxrss); EXIT_CODE is 128 + N when signal N ended it, 127 when it could
 * not be run. The command's own output is left alone. annals-peak exits with
 * the command's EXIT_CODE, or 2 on wrong usage or when it cannot fork, wait
 * or write FILE.
 */
#define _DEFAULT_SOURCE   /* wait4 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *out = NULL;
    int a = 1;
    if (a + 1 < argc && strcmp(argv[a], "-o") == 0) {
        out = argv[a + 1];
        a += 2;
    }
    if (a < argc && strcmp(argv[a], "--") == 0)
        a++;
    if (a >= argc) {
        fputs("usage: annals-peak [-o FILE] CMD ARGS...\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("annals-peak: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[a], argv + a);
        fprintf(stderr, "annals-peak: cannot run '%s': %s\n", argv[a], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("annals-peak: wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = out ? fopen(out, "w") : stderr;
    if (!f) {
        fprintf(stderr, "annals-peak: cannot write '%s': %s\n", out, strerror(errno));
        return 2;
    }
    fprintf(f, "%.3f %ld %d\n", secs, ru.ru_maxrss, code);
    if (out && fclose(f) != 0) {
        fprintf(stderr, "annals-peak: cannot write '%s'\n", out);
        return 2;
    }
    return code;
}
