/* A command's options from its table (getopt made from it), the VF
 * settings as command-line options, and the library's messages about them
 * as usage errors. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "options.h"

/* The library names settings as the configuration file and the policy do
 * ("vlan 5000: out of range"); on the command line they are options. */
void vs_cli_optify(const char *msg, char *out, size_t len)
{
	size_t used = 0;

	for (const char *p = msg; *p && used + 1 < len;) {
		const struct vs_vf_field *hit = NULL;

		for (size_t i = 0; (p == msg || p[-1] == ' ') && i < vs_vf_n_fields; i++) {
			size_t l = strlen(vs_vf_fields[i].name);

			if (strncmp(p, vs_vf_fields[i].name, l) == 0 && (p[l] == ' ' || p[l] == '\0') &&
			    (!hit || l > strlen(hit->name)))
				hit = &vs_vf_fields[i];
		}
		if (hit && used + 3 < len) {
			out[used++] = '-';
			out[used++] = '-';
		}
		out[used++] = *p++;
	}
	out[used] = '\0';
}

void vs_cli_settings_usage(FILE *out, size_t col, const char *indent, size_t width)
{
	for (size_t i = 0; i < vs_vf_n_fields; i++) {
		const struct vs_vf_field *f = &vs_vf_fields[i];
		size_t len = strlen(f->name) + strlen(f->metavar) + 6;

		if (i > 0 && col + len > width) {
			col = (size_t)fprintf(out, "\n%s", indent) - 1;
		} else if (i > 0) {
			fputc(' ', out);
			col++;
		}
		col += (size_t)fprintf(out, "[--%s %s]", f->name, f->metavar);
	}
	fputc('\n', out);
}

int vs_cli_parse_setting(struct vs_vf_config *cfg, const char *name, const char *value, const char *what)
{
	struct vs_error err = { 0 };
	char msg[sizeof(err.msg) + 64];
	int r = vs_vf_config_parse(cfg, name, value, &err);

	if (r == -ENOENT)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: unknown setting --%s", what, name);
	if (r < 0) {
		vs_cli_optify(err.msg, msg, sizeof(msg));
		return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
	}
	return VS_EXIT_OK;
}

int vs_cli_usage_error(const char *what, const struct vs_error *err)
{
	char msg[sizeof(err->msg) + 64];

	vs_cli_optify(err->msg, msg, sizeof(msg));
	return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
}

int vs_cli_check_settings(const struct vs_vf_config *cfg, const char *what)
{
	struct vs_error err = { 0 };
	char msg[sizeof(err.msg) + 64];

	if (vs_vf_config_check(cfg, &err) == 0)
		return VS_EXIT_OK;
	vs_cli_optify(err.msg, msg, sizeof(msg));
	return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
}

int vs_cli_parse_vlan_id(const char *what, const char *s, int *out)
{
	struct vs_vf_config c;
	int r;

	/* the VLAN of vfconfig's table, without the QoS and protocol an XML
	 * <vlan><tag> does not carry */
	vs_vf_config_init(&c, 0);
	r = vs_cli_parse_setting(&c, "vlan", s, what);
	if (r == VS_EXIT_OK && (c.qos >= 0 || c.vlan_proto >= 0))
		r = vs_cli_fail(VS_EXIT_USAGE, "%s: --vlan %s: a VLAN ID only (0-4094): libvirt's XML takes no QoS here", what, s);
	if (r == VS_EXIT_OK)
		*out = c.vlan;
	return r;
}

/* What every command takes besides its own options (-n only where the
 * table says so). */
static const struct vs_opt common_opts[] = {
	{ "dry-run", 'n', 'n', NULL, "show what would change, change nothing", 0 },
	{ "json", VS_OPT_JSON, 0, NULL, "machine-readable output", 0 },
	{ "source", VS_OPT_SOURCE, 0, "libvirt|sysfs", "where devices are read from (default: sysfs, libvirt's "
	  "node devices when the URI is remote)", 0 },
	{ "help", 'h', 'h', NULL, "this help", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

int vs_cli_foreach_opt(const struct vs_command *cmd, vs_opt_fn fn, void *data)
{
	int r = 0;

	for (const struct vs_opt *o = cmd->opts; o && o->name && r >= 0; o++)
		r = fn(o, false, data);
	for (size_t i = 0; (cmd->needs & VS_TAKES_SETTINGS) && i < vs_vf_n_fields && r >= 0; i++) {
		const struct vs_opt o = { vs_vf_fields[i].name, VS_OPT_SETTING, 0, vs_vf_fields[i].metavar,
					  vs_vf_fields[i].expect, 0 };

		r = fn(&o, true, data);
	}
	for (const struct vs_opt *o = common_opts; o->name && r >= 0; o++)
		if ((o->id != 'n' || (cmd->needs & VS_TAKES_DRY_RUN)) &&
		    (o->id != VS_OPT_SOURCE || (cmd->needs & VS_REMOTE_OK)))
			r = fn(o, false, data);
	return r;
}

static int add_opt(const struct vs_opt *o, bool setting, void *data)
{
	struct vs_getopt *g = data;
	size_t n = 0, ns = strlen(g->shorts);

	(void)setting;
	while (g->longs[n].name)
		n++;
	if (n + 1 >= ELEMENTSOF(g->longs) || ns + 3 >= sizeof(g->shorts))
		return -ENOSPC;
	g->opts[n] = *o;
	g->longs[n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->id };
	if (o->short_name) {
		g->shorts[ns++] = o->short_name;
		if (o->arg)
			g->shorts[ns++] = ':';
	}
	return 0;
}

void vs_cli_getopt_init(struct vs_getopt *g, struct vs_cli *cli, int argc, char **argv)
{
	memset(g, 0, sizeof(*g));
	g->cli = cli;
	g->argc = argc;
	g->argv = argv;
	g->pos = argv + 1;
	/* '-': the other arguments come back in order (so that "-1" can be
	 * taken for one); ':': a missing argument is told from an unknown option */
	strcpy(g->shorts, "-:");
	vs_cli_foreach_opt(cli->cmd, add_opt, g);
	opterr = 0;
	/* getopt reads its mode from the first call after optind = 0 */
	optind = 0;
	getopt_long(1, argv, g->shorts, g->longs, NULL);
}

static bool looks_negative(const char *s)
{
	return s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

static int bad_option(struct vs_getopt *g, int c, int at)
{
	const char *cmd = g->cli->cmd->name, *a = g->argv[at];
	int len = a[0] == '-' && a[1] == '-' ? (int)strcspn(a, "=") : 0;

	if (c == ':' && len)
		vs_cli_fail(VS_EXIT_USAGE, "%s: option '%.*s' needs an argument", cmd, len, a);
	else if (c == ':')
		vs_cli_fail(VS_EXIT_USAGE, "%s: option '-%c' needs an argument", cmd, optopt);
	else if (len)
		vs_cli_fail(VS_EXIT_USAGE, "%s: unrecognized option '%s' (see virt-sriov %s --help)", cmd, a, cmd);
	else
		vs_cli_fail(VS_EXIT_USAGE, "%s: unrecognized option '-%c' (see virt-sriov %s --help)", cmd, optopt, cmd);
	g->status = VS_EXIT_USAGE;
	return -1;
}

/* One option of the table: the common ones taken here. */
static int found(struct vs_getopt *g, int c, int idx)
{
	for (size_t i = 0; idx < 0 && g->longs[i].name; i++)
		if (g->opts[i].short_name == c)
			idx = (int)i;
	g->arg = optarg;
	g->name = g->opts[idx].name;
	g->given |= g->opts[idx].needs;
	if ((g->opts[idx].needs & VS_LOCAL) && !g->local_opt)
		g->local_opt = g->name;
	if (c == 'h') {
		vs_cli_command_usage(stdout, g->cli, g->cli->cmd);
		g->status = VS_EXIT_DONE;
		return -1;
	}
	if (c == 'n' || c == VS_OPT_JSON)
		*(c == 'n' ? &g->cli->dry_run : &g->cli->json) = true;
	if (c == VS_OPT_SOURCE)
		g->cli->source = optarg;
	return c == 'n' || c == VS_OPT_JSON || c == VS_OPT_SOURCE ? 0 : c;
}

int vs_cli_getopt(struct vs_getopt *g)
{
	for (;;) {
		int at = optind, idx = -1, c;

		if (optind < g->argc && looks_negative(g->argv[optind])) {
			g->pos[g->npos++] = g->argv[optind++];
			continue;
		}
		c = getopt_long(g->argc, g->argv, g->shorts, g->longs, &idx);
		if (c == -1) {
			while (optind < g->argc)
				g->pos[g->npos++] = g->argv[optind++];
			/* pos trails optind within argv: room for the end mark, and
			 * name lists (list, vf set) want one. */
			g->pos[g->npos] = NULL;
			return 0;
		}
		if (c == 1)
			g->pos[g->npos++] = optarg;
		else if (c == '?' || c == ':')
			return bad_option(g, c, at);
		else if ((c = found(g, c, idx)) != 0)
			return c;
	}
}

int vs_cli_getopt_common(struct vs_getopt *g, struct vs_cli *cli, int argc, char **argv)
{
	int c;

	vs_cli_getopt_init(g, cli, argc, argv);
	while ((c = vs_cli_getopt(g)) > 0)
		;
	return c < 0 ? g->status : VS_EXIT_OK;
}

int vs_cli_no_verb(struct vs_cli *cli, int argc, char **argv)
{
	const struct vs_command *cmd = cli->cmd;
	char verbs[128] = "";
	struct vs_getopt g;
	size_t used = 0;
	int c;

	for (const struct vs_command *v = cmd->verbs; v->name; v++)
		used += (size_t)snprintf(verbs + used, used < sizeof(verbs) ? sizeof(verbs) - used : 0, "%s%s",
					 used ? ", " : "", v->name + strlen(cmd->name) + 1);
	if (argc > 1 && argv[1][0] != '-')
		return vs_cli_fail(VS_EXIT_USAGE, "%s: unknown verb '%s' (%s; see virt-sriov %s --help)", cmd->name,
				   argv[1], verbs, cmd->name);
	if ((c = vs_cli_getopt_common(&g, cli, argc, argv)) != VS_EXIT_OK)
		return c;
	return vs_cli_fail(VS_EXIT_USAGE, "%s: expected a verb: %s (see virt-sriov %s --help)", cmd->name, verbs,
			   cmd->name);
}
