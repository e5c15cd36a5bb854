/* testtool.h - the table type for testtool subcommands (see testtool.c). */
#ifndef TESTS_TESTTOOL_H
#define TESTS_TESTTOOL_H

struct tt_cmd {
    const char *name;                  /* "serve-fixture" */
    int (*fn)(int argc, char **argv);  /* argv[0] is the subcommand name */
    const char *args;                  /* usage, e.g. "DIR [PORT]" */
};

/* The tables of the modules (one line each). */
extern const struct tt_cmd weblog_cmds[]; /* tt_weblog.c */

#endif
