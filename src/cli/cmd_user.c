/* cmd_user.c - `govsite user add|passwd|list|disable|enable|token`: local accounts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/date.h"
#include "web/auth.h"

/* One line from standard input (no echo on a terminal).  Caller frees; NULL on EOF. */
static char *read_password(const char *prompt)
{
    bool tty = isatty(0);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        fflush(stderr);
        tcgetattr(0, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSANOW, &quiet);
    }
    char line[1100];
    char *got = fgets(line, sizeof(line), stdin);
    if (tty) {
        tcsetattr(0, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!got)
        return NULL;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return strdup(line);
}

static int get_password(struct cli *c, char **pw)
{
    *pw = read_password("password: ");
    if (!*pw)
        return cli_failf(c, "no password on standard input; e.g. echo 'secret-pw' | govsite "
                            "user add NAME --role viewer");
    struct err e = { 0 };
    if (auth_password_check(*pw, &e)) {
        free(*pw);
        return cli_fail(c, &e);
    }
    if (isatty(0)) {
        char *again = read_password("again: ");
        bool same = again && !strcmp(again, *pw);
        free(again);
        if (!same) {
            free(*pw);
            return cli_failf(c, "the two passwords differ; nothing changed");
        }
    }
    return 0;
}

static int user_add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "role", required_argument, NULL, 'r' },
                                          { "unit", required_argument, NULL, 'u' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *role = NULL, *unit = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'r')
            role = optarg;
        else if (o == 'u')
            unit = optarg;
        else if (o == 'h')
            return cli_help("user");
        else
            return cli_usage("user", "unknown option for add");
    }
    if (optind + 1 != argc)
        return cli_usage("user", "add takes one NAME");
    if (!role)
        return cli_usage("user", "add needs --role admin|supervisor|editor|viewer");
    struct auth_user_new u = { .name = argv[optind], .role = auth_role_parse(role), .unit = unit };
    if (!u.role)
        return cli_usage("user", "role '%s' is not admin, supervisor, editor or viewer", role);
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    char *pw;
    int r = get_password(c, &pw);
    if (r)
        return r;
    u.password = pw;
    struct err e = { 0 };
    int64_t id;
    enum rc rc = auth_user_add(db, &u, &c->clk, &id, &e);
    free(pw);
    if (rc)
        return cli_fail(c, &e);
    auth_audit(db, &c->clk, NULL, "cli", "user_add", NULL, NULL, u.name);
    if (!c->quiet)
        printf("added %s (%s%s%s)\n", u.name, auth_role_name(u.role), unit ? ", " : "",
               unit ? unit : "");
    return 0;
}

/* The account named by the single operand; prints the error. */
static int one_user(struct cli *c, int argc, char **argv, struct arena *a, struct auth_user *u,
                    const char *what)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return -1;
    if (argc != 2)
        return cli_usage("user", "%s takes one NAME", what);
    if (!cli_db(c))
        return 1;
    struct err e = { 0 };
    if (auth_user_get(c->db, argv[1], a, u, NULL, &e))
        return cli_fail(c, &e);
    return 0;
}

static int user_change(struct cli *c, int argc, char **argv, const char *what)
{
    struct arena a = ARENA_INIT;
    struct auth_user u;
    int r = one_user(c, argc, argv, &a, &u, what);
    if (r) {
        arena_release(&a);
        return r < 0 ? cli_help("user") : r;
    }
    struct auth_user_change ch = { .role = 0, .unit = NULL, .disabled = -1, .password = NULL };
    char *pw = NULL;
    if (!strcmp(what, "passwd")) {
        if ((r = get_password(c, &pw))) {
            arena_release(&a);
            return r;
        }
        ch.password = pw;
    } else {
        ch.disabled = !strcmp(what, "disable");
    }
    struct err e = { 0 };
    enum rc rc = auth_user_update(c->db, u.id, &ch, &c->clk, &e);
    free(pw);
    if (!rc)
        auth_audit(c->db, &c->clk, NULL, "cli", "user_update", NULL, NULL,
                   arena_fmt(&a, "%s: %s", u.name, what));
    if (!rc && !c->quiet)
        printf("%s: %s\n", u.name,
               !strcmp(what, "passwd")    ? "password changed; sessions and tokens ended"
               : !strcmp(what, "disable") ? "disabled; sessions and tokens ended"
                                          : "enabled");
    arena_release(&a);
    return rc ? cli_fail(c, &e) : 0;
}

static int user_token(struct cli *c, int argc, char **argv)
{
    struct arena a = ARENA_INIT;
    struct auth_user u;
    int r = one_user(c, argc, argv, &a, &u, "token");
    if (r) {
        arena_release(&a);
        return r < 0 ? cli_help("user") : r;
    }
    char *tok;
    struct err e = { 0 };
    enum rc rc = auth_token_new(c->db, u.id, &c->clk, &tok, &e);
    if (!rc) {
        auth_audit(c->db, &c->clk, NULL, "cli", "token_new", NULL, NULL, u.name);
        printf("%s\n", tok);
        free(tok);
    }
    arena_release(&a);
    return rc ? cli_fail(c, &e) : 0;
}

static int user_list(struct cli *c, int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return cli_help("user");
        else
            return cli_usage("user", "list takes only --json");
    }
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b, true);
    jw_arr(&w);
    struct err e = { 0 };
    if (auth_users_json(db, &w, c->clk.tzoff, 0, 0, &e)) {
        buf_release(&b);
        return cli_fail(c, &e);
    }
    jw_end(&w);
    jw_finish(&w);
    if (json) {
        int r = cli_out(c, &b);
        buf_release(&b);
        return r;
    }
    buf_release(&b);
    const char *h[] = { "用户名", "角色", "单位", "状态", "最近登录", "API令牌" };
    struct table *t = table_new(6, h);
    struct stmt *st = store_sql(db, "SELECT u.name, u.role, COALESCE(n.short_name, n.name), "
                                    "u.disabled, u.last_login_at, (SELECT COUNT(*) FROM "
                                    "api_tokens k WHERE k.user_id = u.id AND k.revoked = 0) FROM "
                                    "users u LEFT JOIN units n ON n.id = u.unit_id ORDER BY "
                                    "u.name");
    while (stmt_next(st)) {
        char when[20] = "", ntok[24];
        if (!stmt_null(st, 4))
            time_fmt_local(stmt_int(st, 4), c->clk.tzoff, when);
        snprintf(ntok, sizeof(ntok), "%lld", (long long)stmt_int(st, 5));
        unsigned role = auth_role_parse(stmt_str(st, 1));
        table_addf(t, stmt_str(st, 0), auth_role_label(role), stmt_str(st, 2),
                   stmt_int(st, 3) ? "停用" : "启用", when, ntok);
    }
    enum rc rc = stmt_done(st, &e);
    if (!rc)
        table_print(t, stdout);
    table_free(t);
    return rc ? cli_fail(c, &e) : 0;
}

int cmd_user(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("user", "give a subcommand: add, passwd, list, disable, enable, token");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h"))
        return cli_help("user");
    if (!strcmp(sub, "add"))
        return user_add(c, argc - 1, argv + 1);
    if (!strcmp(sub, "passwd") || !strcmp(sub, "disable") || !strcmp(sub, "enable"))
        return user_change(c, argc - 1, argv + 1, sub);
    if (!strcmp(sub, "list"))
        return user_list(c, argc - 1, argv + 1);
    if (!strcmp(sub, "token"))
        return user_token(c, argc - 1, argv + 1);
    return cli_usage("user", "unknown subcommand '%s'", sub);
}
