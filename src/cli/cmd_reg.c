/* cmd_reg.c - `govsite unit|site|column import|list|export|show|add`: the registry. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/notes.h"
#include "core/str.h"
#include "reg/reg.h"

static const char *table_word(enum reg_table t)
{
    return t == REG_UNITS ? "unit" : t == REG_SITES ? "site" : "column";
}

static int do_import(struct cli *c, enum reg_table t, int argc, char **argv)
{
    const char *cmd = table_word(t);
    bool json;
    int r0 = cli_opts_json(cmd, argc, argv, &json);
    if (r0 >= 0)
        return r0;
    if (optind + 1 != argc)
        return cli_usage(cmd, "import takes one CSV file (or - for standard input)");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct reg_import_result res;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    enum rc rc = reg_import(db, t, argv[optind], &c->clk, &res, &bad, &e);
    return cli_import_done(c, argv[optind], rc, &e, &bad, &res, json);
}

int cli_import_done(struct cli *c, const char *file, enum rc rc, const struct err *e,
                    struct notes *bad, const struct reg_import_result *res, bool json)
{
    if (rc) {
        cli_print_notes(bad);
        notes_release(bad);
        return cli_fail(c, e);
    }
    notes_release(bad);
    if (json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_kstr(&w, "file", file);
        jw_kint(&w, "rows", res->rows);
        jw_kint(&w, "inserted", res->inserted);
        jw_kint(&w, "updated", res->updated);
        jw_kint(&w, "unchanged", res->unchanged);
        jw_end(&w);
        jw_finish(&w);
        int r = cli_out(c, &b);
        buf_release(&b);
        return r;
    }
    if (!c->quiet)
        printf("%s: %d rows: %d added, %d updated, %d unchanged\n", file, res->rows,
               res->inserted, res->updated, res->unchanged);
    return 0;
}

static int print_list(struct cli *c, enum reg_table t, int64_t site_id)
{
    struct store *db = c->db;
    struct err e = { 0 };
    struct table *tb = NULL;
    struct stmt *st;
    if (t == REG_UNITS) {
        const char *h[] = { "名称", "简称", "类型", "上级单位" };
        tb = table_new(4, h);
        st = store_q(db,
                     "SELECT u.name, u.short_name, u.kind, COALESCE(p.short_name, p.name) FROM "
                     "units u LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.id",
                     "");
        while (stmt_next(st))
            table_addf(tb, stmt_str(st, 0), stmt_str(st, 1), stmt_str(st, 2), stmt_str(st, 3));
    } else if (t == REG_SITES) {
        const char *h[] = { "网站", "首页", "标识码", "单位", "类型", "状态" };
        tb = table_new(6, h);
        st = store_q(db,
                     "SELECT s.name, s.url, s.code, COALESCE(u.short_name, u.name), s.type, s.status "
                     "FROM sites s LEFT JOIN units u ON u.id = s.unit_id ORDER BY s.id",
                     "");
        while (stmt_next(st))
            table_addf(tb, stmt_str(st, 0), stmt_str(st, 1), stmt_str(st, 2), stmt_str(st, 3),
                       stmt_str(st, 4), stmt_str(st, 5));
    } else {
        const char *h[] = { "网站", "栏目", "类型", "责任单位", "状态" };
        tb = table_new(5, h);
        st = store_q(db,
                     "SELECT s.name, c.path, c.class, COALESCE(u.short_name, u.name), c.state FROM "
                     "site_columns c JOIN sites s ON s.id = c.site_id LEFT JOIN units u ON u.id = "
                     "c.unit_id WHERE (? = 0 OR c.site_id = ?) AND c.state <> 'rejected' ORDER BY "
                     "s.id, c.path",
                     "ii", site_id, site_id);
        while (stmt_next(st))
            table_addf(tb, stmt_str(st, 0), stmt_str(st, 1), stmt_str(st, 2), stmt_str(st, 3),
                       !strcmp(stmt_str(st, 4), "registered") ? "" : "待确认");
    }
    enum rc rc = stmt_done(st, &e);
    if (rc) {
        table_free(tb);
        return cli_fail(c, &e);
    }
    table_print(tb, stdout);
    table_free(tb);
    return 0;
}

static int do_list(struct cli *c, enum reg_table t, int argc, char **argv, bool export_)
{
    const char *cmd = table_word(t);
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' }, { "csv", no_argument, NULL, 'c' },
        { "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
        { "as-of", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 }
    };
    bool json = false, csv = export_;
    const char *out = "-", *as_of = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (o) {
        case 'j': json = true; break;
        case 'c': csv = true; break;
        case 'o': out = optarg; break;
        case 'a': as_of = optarg; break;
        case 'h': return cli_help(cmd);
        default: return cli_usage(cmd, "unknown option");
        }
    }
    const char *site = NULL;
    if (t == REG_COLUMNS && optind < argc)
        site = argv[optind++];
    if (optind != argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t site_id = 0;
    if (site && reg_site_lookup(db, site, &site_id, &e))
        return cli_fail(c, &e);
    struct buf b = BUF_INIT;
    enum rc rc;
    if (json) {
        struct jw w;
        jw_init(&w, &b, true);
        int32_t day = clk_today(&c->clk);
        if (as_of && !cli_date(c, "--as-of", as_of, &day)) {
            buf_release(&b);
            return 1;
        }
        rc = t == REG_COLUMNS ? cli_column_list_json(c, site_id, day, &w, &e)
                              : reg_list_json(db, t, site_id, &w, &e);
        if (!rc)
            jw_finish(&w);
    } else if (csv) {
        rc = reg_export_csv(db, t, site_id, &b, &e);
    } else {
        buf_release(&b);
        return print_list(c, t, site_id);
    }
    if (rc) {
        buf_release(&b);
        return cli_fail(c, &e);
    }
    if (buf_write_file(&b, out, &e)) {
        buf_release(&b);
        return cli_fail(c, &e);
    }
    buf_release(&b);
    return 0;
}

static int site_add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "name", required_argument, NULL, 'n' },   { "url", required_argument, NULL, 'u' },
        { "unit", required_argument, NULL, 'U' },   { "code", required_argument, NULL, 'c' },
        { "type", required_argument, NULL, 't' },   { "status", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },          { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    struct reg_site_new s = { 0 };
    bool json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'n': s.name = optarg; break;
        case 'u': s.url = optarg; break;
        case 'U': s.unit = optarg; break;
        case 'c': s.code = optarg; break;
        case 't': s.type = optarg; break;
        case 's': s.status = optarg; break;
        case 'j': json = true; break;
        case 'h': return cli_help("site");
        default: return cli_usage("site", "unknown option for add");
        }
    }
    if (optind != argc)
        return cli_usage("site", "unexpected argument '%s'", argv[optind]);
    if (!s.name || !s.url)
        return cli_usage("site", "add needs --name NAME and --url URL");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t id = 0;
    if (reg_site_add(db, &s, &c->clk, &id, &e))
        return cli_fail(c, &e);
    if (json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_kint(&w, "id", id);
        jw_kstr(&w, "name", s.name);
        jw_end(&w);
        jw_finish(&w);
        cli_out(c, &b);
        buf_release(&b);
    } else if (!c->quiet) {
        printf("site '%s' saved (id %lld)\n", s.name, (long long)id);
    }
    return 0;
}

static int show_site(struct cli *c, int argc, char **argv)
{
    bool json;
    int r0 = cli_opts_json("site", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    if (optind + 1 != argc)
        return cli_usage("site", "show takes one SITE (name, 标识码 or home URL)");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t id;
    if (reg_site_lookup(db, argv[optind], &id, &e))
        return cli_fail(c, &e);
    struct stmt *st = store_q(db,
                              "SELECT s.name, s.url, s.code, COALESCE(u.short_name, u.name), s.type, "
                              "s.status, s.icp, s.psb, s.owned, (SELECT COUNT(*) FROM site_columns c "
                              "WHERE c.site_id = s.id AND c.state = 'registered') FROM sites s LEFT "
                              "JOIN units u ON u.id = s.unit_id WHERE s.id = ?",
                              "i", id);
    struct buf b = BUF_INIT;
    if (stmt_next(st)) {
        if (json) {
            struct jw w;
            jw_init(&w, &b, true);
            jw_obj(&w);
            jw_kint(&w, "id", id);
            jw_kstr(&w, "name", stmt_text(st, 0));
            jw_kstr(&w, "url", stmt_text(st, 1));
            jw_kstr(&w, "code", stmt_text(st, 2));
            jw_kstr(&w, "unit", stmt_text(st, 3));
            jw_kstr(&w, "type", stmt_text(st, 4));
            jw_kstr(&w, "status", stmt_text(st, 5));
            jw_kstr(&w, "icp", stmt_text(st, 6));
            jw_kstr(&w, "psb", stmt_text(st, 7));
            jw_kbool(&w, "owned", stmt_int(st, 8) != 0);
            jw_kint(&w, "columns", stmt_int(st, 9));
            jw_end(&w);
            jw_finish(&w);
        } else {
            buf_addf(&b, "网站:     %s\n首页:     %s\n标识码:   %s\n主办单位: %s\n类型:     %s\n"
                         "状态:     %s\nICP备案:  %s\n公安备案: %s\n栏目数:   %lld\n",
                     stmt_str(st, 0), stmt_str(st, 1), stmt_str(st, 2), stmt_str(st, 3),
                     stmt_str(st, 4), stmt_str(st, 5), stmt_str(st, 6), stmt_str(st, 7),
                     (long long)stmt_int(st, 9));
        }
    }
    enum rc rc = stmt_done(st, &e);
    int r = rc ? cli_fail(c, &e) : cli_out(c, &b);
    buf_release(&b);
    return r;
}

static int family(struct cli *c, enum reg_table t, int argc, char **argv)
{
    const char *cmd = table_word(t);
    if (argc < 2)
        return cli_usage(cmd, "missing subcommand");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
        return cli_help(cmd);
    argc--, argv++;
    if (!strcmp(sub, "import"))
        return do_import(c, t, argc, argv);
    if (!strcmp(sub, "list"))
        return do_list(c, t, argc, argv, false);
    if (!strcmp(sub, "export"))
        return do_list(c, t, argc, argv, true);
    if (t == REG_SITES && !strcmp(sub, "add"))
        return site_add(c, argc, argv);
    if (t == REG_SITES && !strcmp(sub, "show"))
        return show_site(c, argc, argv);
    if (t == REG_COLUMNS) {
        int r = cmd_column_checks(c, sub, argc, argv);
        if (r >= 0)
            return r;
    }
    return cli_usage(cmd, "unknown subcommand '%s'", sub);
}

int cmd_unit(struct cli *c, int argc, char **argv)
{
    return family(c, REG_UNITS, argc, argv);
}

int cmd_site(struct cli *c, int argc, char **argv)
{
    return family(c, REG_SITES, argc, argv);
}

int cmd_column(struct cli *c, int argc, char **argv)
{
    return family(c, REG_COLUMNS, argc, argv);
}
