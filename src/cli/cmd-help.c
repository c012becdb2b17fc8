/* virt-sriov help [COMMAND [VERB]], COMMAND --help and the overview: all
 * made from the command table (main.c) and its option tables, the same
 * ones getopt reads (options.c), so that the help cannot drift from what
 * is taken.  `help --options` and `help --commands` list them for scripts
 * (see list_options). */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "options.h"

#define HELP_COL 26
#define WIDTH 79

/* text from column `col` (the cursor there), wrapped at WIDTH to `indent` */
static void wrap(FILE *out, const char *text, int col, int indent)
{
	while (*text) {
		int word = (int)strcspn(text, " ");

		if (col > indent && col + 1 + word > WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		col += fprintf(out, "%.*s", word, text);
		text += word;
		text += strspn(text, " ");
	}
	fputc('\n', out);
}

static int print_opt(const struct vs_opt *o, bool setting, void *data)
{
	FILE *out = data;
	int col;

	if (setting || !o->help)
		return 0;
	if (o->short_name)
		col = fprintf(out, "  -%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	else
		col = fprintf(out, "      --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	if (col >= HELP_COL - 1) {
		fputc('\n', out);
		col = 0;
	}
	fprintf(out, "%*s", HELP_COL - col, "");
	wrap(out, o->help, HELP_COL, HELP_COL);
	return 0;
}

/* "  vf set VFSET... SETTINGS      set VF settings, one request per PF" */
static void print_summary(FILE *out, const struct vs_command *c)
{
	int col = fprintf(out, "  %s%s%s", c->name, c->args[0] ? " " : "", c->args);

	if (col >= 31) {
		fputc('\n', out);
		col = 0;
	}
	fprintf(out, "%*s%s\n", 32 - col, "", c->help);
}

void vs_cli_usage(FILE *out, const char *prog)
{
	fprintf(out, "Usage: %s [OPTIONS] COMMAND [ARGS]\n"
		"Manage SR-IOV Virtual Functions for libvirt guests.\n\nCommands:\n", prog);
	for (const struct vs_command *c = vs_commands; c->name; c++) {
		for (const struct vs_command *v = c->verbs; v && v->name; v++)
			print_summary(out, v);
		if (!c->verbs)
			print_summary(out, c);
	}
	fputs("\nOptions:\n", out);
	for (const struct vs_opt *o = vs_global_opts; o->name; o++)
		print_opt(o, false, out);
	fprintf(out, "\nEvery command takes --json and -h, --help: `%s help COMMAND` shows its options.\n", prog);
}

static int any_opt(const struct vs_opt *o, bool setting, void *data)
{
	(void)o;
	(void)setting;
	(void)data;
	return -1;
}

void vs_cli_command_usage(FILE *out, const struct vs_cli *cli, const struct vs_command *cmd)
{
	if (cmd->verbs) {
		for (const struct vs_command *v = cmd->verbs; v->name; v++) {
			vs_cli_command_usage(out, cli, v);
			fputs(v[1].name ? "\n" : "", out);
		}
		return;
	}
	fprintf(out, "Usage: %s %s%s%s%s\n", cli->prog, cmd->name, cmd->args[0] ? " " : "", cmd->args,
		vs_cli_foreach_opt(cmd, any_opt, NULL) < 0 ? " [OPTIONS]" : "");
	if (cmd->about)
		fputs(cmd->about, out);
	else
		fprintf(out, "%c%s.\n", cmd->help[0] - ('a' <= cmd->help[0] && cmd->help[0] <= 'z' ? 32 : 0),
			cmd->help + 1);
	fputs("Options:\n", out);
	vs_cli_foreach_opt(cmd, print_opt, out);
	if (cmd->needs & VS_TAKES_SETTINGS) {
		fputs("SETTINGS (see VF SETTINGS in virt-sriov(1)):\n  ", out);
		vs_cli_settings_usage(out, 2, "  ", WIDTH - 1);
	}
}

static void list_opt_line(const char *cmd, const struct vs_opt *o, const char *kind)
{
	char s[3] = { '-', o->short_name, '\0' };

	printf("%s\t--%s\t%s\t%s\t%s\n", cmd, o->name, kind, o->short_name ? s : "", o->arg ? o->arg : "");
}

static int list_opt(const struct vs_opt *o, bool setting, void *data)
{
	const struct vs_command *c = data;

	list_opt_line(c->name, o, setting ? "setting" : o->id == 'h' || o->id == VS_OPT_JSON ? "common" : "own");
	return 0;
}

/* The listings for scripts (the tests, the bash completion), tab-separated
 * so that a shell reads them without a JSON parser (`--json help` has the
 * commands too), printed from the same tables as the help, so that nothing
 * reading them keeps its own copy of the commands:
 *
 * `help --options`: every option of every command, one per line:
 *     COMMAND\t--NAME\tKIND\t-X\tARG
 *   COMMAND: the command or verb ("vf set"), "virt-sriov" for the global ones;
 *   KIND: global, own, setting (a VF setting, vs_vf_fields[]) or common (the
 *   ones every command takes); -X: the short form, or nothing; ARG: what it
 *   takes, as the help shows it ("SEC", "on|off", "ID[:QOS[:PROTO]]"), or
 *   nothing for a flag.
 *
 * `help --commands`: every command without verbs and every verb, one per
 * line, in the overview's order:
 *     NAME\tSYNOPSIS
 *   NAME: "list", "vf set"; SYNOPSIS: what follows it in its usage line
 *   ("VFSET... SETTINGS"), possibly empty. */
static void list_options(void)
{
	for (const struct vs_opt *o = vs_global_opts; o->name; o++)
		list_opt_line("virt-sriov", o, "global");
	for (const struct vs_command *c = vs_commands; c->name; c++) {
		for (const struct vs_command *v = c->verbs; v && v->name; v++)
			vs_cli_foreach_opt(v, list_opt, (void *)v);
		if (!c->verbs)
			vs_cli_foreach_opt(c, list_opt, (void *)c);
	}
}

static void list_commands(void)
{
	for (const struct vs_command *c = vs_commands; c->name; c++) {
		for (const struct vs_command *v = c->verbs; v && v->name; v++)
			printf("%s\t%s\n", v->name, v->args);
		if (!c->verbs)
			printf("%s\t%s\n", c->name, c->args);
	}
}

/* *cmd: the command (or verb) asked about, NULL for the overview. */
static int parse_args(struct vs_cli *cli, int argc, char **argv, const struct vs_command **cmd)
{
	struct vs_getopt g;
	bool options = false, commands = false;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0) {
		options |= c == VS_OPT_OPTIONS;
		commands |= c == VS_OPT_COMMANDS;
	}
	if (c < 0)
		return g.status;
	if ((options || commands) && g.npos == 0) {
		if (commands)
			list_commands();
		if (options)
			list_options();
		return VS_EXIT_DONE;
	}
	*cmd = g.npos ? vs_cli_find(g.pos[0], g.npos > 1 ? g.pos[1] : NULL) : NULL;
	if (g.npos > 2 || (g.npos && !*cmd) || (g.npos == 2 && (*cmd)->fn))
		return vs_cli_fail(VS_EXIT_USAGE, "help: unknown command '%s%s%s' (see virt-sriov --help)",
				   g.npos ? g.pos[0] : "", g.npos > 1 ? " " : "", g.npos > 1 ? g.pos[1] : "");
	return vs_cli_ready(&g);
}

/* A command with verbs has no synopsis of its own: its args are the verbs
 * ("set|reset"), and "verbs" holds each as a command. */
static json_object *command_json(const struct vs_command *c)
{
	json_object *o = json_object_new_object(), *verbs;
	char names[128] = "";
	size_t used = 0;

	vs_json_set(o, "name", json_object_new_string(c->name));
	vs_json_set(o, "help", json_object_new_string(c->help));
	if (!c->verbs) {
		vs_json_set(o, "args", json_object_new_string(c->args));
		return o;
	}
	verbs = json_object_new_array();
	for (const struct vs_command *v = c->verbs; v->name; v++) {
		const char *verb = strchr(v->name, ' ') ? strchr(v->name, ' ') + 1 : v->name;

		used += (size_t)snprintf(names + used, used < sizeof(names) ? sizeof(names) - used : 0, "%s%s",
					 used ? "|" : "", verb);
		json_object_array_add(verbs, command_json(v));
	}
	vs_json_set(o, "args", json_object_new_string(names));
	vs_json_set(o, "verbs", verbs);
	return o;
}

/* --json: {"commands": [{"name", "args", "help"}]}, the command table (one
 * entry with COMMAND): what scripts and tests loop over. */
static int print_json(const struct vs_command *cmd)
{
	json_object *doc = vs_json_doc_new(), *a = json_object_new_array();

	for (const struct vs_command *c = cmd ? cmd : vs_commands; a && c->name; c++) {
		json_object_array_add(a, command_json(c));
		if (cmd)
			break;
	}
	if (!doc) {
		json_object_put(a);
		return vs_cli_fail(VS_EXIT_FAILURE, "help: out of memory");
	}
	vs_json_set(doc, "commands", a);
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

int vs_cmd_help(struct vs_cli *cli, int argc, char **argv)
{
	const struct vs_command *cmd = NULL;
	int r = parse_args(cli, argc, argv, &cmd);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (cli->json)
		return print_json(cmd);
	if (cmd)
		vs_cli_command_usage(stdout, cli, cmd);
	else
		vs_cli_usage(stdout, cli->prog);
	return VS_EXIT_OK;
}
