#include "config.h"

#include <fcntl.h>
#include <string.h>

#include "check-numa.h"
#include "cli.h"
#include "conf.h"
#include "hook-plan.h"
#include "json-out.h"
#include "load.h"
#include "options.h"
#include "state.h"

struct plan_args {
	const char *file;
	const char *op;
	const char *conf;
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct plan_args *a)
{
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0) {
		switch (c) {
		case 'd': a->file = g.arg; break;
		case 'o': a->op = g.arg; break;
		case 'C': a->conf = g.arg; break;
		}
	}
	if (c < 0)
		return g.status;
	if (g.npos)
		return vs_cli_fail(VS_EXIT_USAGE, "plan: unexpected argument '%s' (see plan --help)", g.pos[0]);
	if (!a->file)
		return vs_cli_fail(VS_EXIT_USAGE, "plan: expected --domain-xml FILE (see plan --help)");
	if (a->op && vs_hook_action_from_name(a->op) == VS_HOOK_NONE)
		return vs_cli_fail(VS_EXIT_USAGE, "plan: invalid --op '%s' (prepare, release, port-created or port-deleted)",
				   a->op);
	return vs_cli_ready(&g);
}

static int read_input(const char *file, char **out, size_t *len)
{
	_cleanup_close_ int fd = strcmp(file, "-") == 0 ? dup(STDIN_FILENO) : open(file, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = malloc(VS_HOOK_INPUT_MAX + 2);
	ssize_t n;

	*len = 0;
	if (fd < 0)
		return -errno;
	if (!buf)
		return -ENOMEM;
	while (*len <= VS_HOOK_INPUT_MAX && (n = read(fd, buf + *len, VS_HOOK_INPUT_MAX + 1 - *len)) > 0)
		*len += (size_t)n;
	buf[*len] = '\0';
	*out = TAKE_PTR(buf);
	return 0;
}

/* The op named, or the first one of the driver the XML's root belongs to
 * (prepare for a domain, port-created for a network's <hookData>). */
static int pick_op(const char *op, const char *xml, enum vs_hook_driver *d, enum vs_hook_action *a)
{
	enum vs_hook_driver want = strstr(xml, "<hookData") ? VS_HOOK_NETWORK : VS_HOOK_QEMU;

	*a = op ? vs_hook_action_from_name(op) : vs_hook_action_first(want);
	*d = vs_hook_action_driver(*a);
	return *a == VS_HOOK_NONE ? -EINVAL : 0;
}

/* The plan's members in the document (plan prints JSON only), its warnings
 * the document's. */
static int print_plan(struct vs_plan *plan, json_object *numa)
{
	json_object *doc = vs_json_doc_new();
	int r = doc ? vs_json_doc_merge(doc, vs_plan_to_json(plan)) : -ENOMEM;

	if (r == 0)
		r = vs_json_set(doc, "numa", numa);   /* the PFs' nodes (check-numa.c) */
	else
		json_object_put(numa);

	if (r == 0)
		r = vs_json_doc_print(TAKE_PTR(doc));
	json_object_put(doc);
	if (r < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "plan: cannot print the plan: %s", strerror(-r));
	return plan->refusal.code ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

int vs_cmd_plan(struct vs_cli *cli, int argc, char **argv)
{
	struct plan_args a = { 0 };
	struct vs_conf conf = { 0 };
	struct vs_hook_env env = { .sysfs = &cli->sysfs, .conf = &conf, .state_dir = vs_state_dir() };
	struct vs_hook_input in = { 0 };
	struct vs_plan plan = { 0 };
	struct vs_host *host = NULL;
	struct vs_error err = { 0 };
	enum vs_hook_action action;
	enum vs_hook_driver driver;
	_cleanup_free_ char *xml = NULL;
	size_t len;
	int r;

	r = parse_args(cli, argc, argv, &a);
	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	cli->json = true; /* plan prints nothing but its document */
	r = read_input(a.file, &xml, &len);
	if (r < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "plan: %s: %s", a.file, strerror(-r));
	if (pick_op(a.op, xml, &driver, &action) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "plan: --op '%s' is not prepare, release, port-created or port-deleted",
				   a.op ? a.op : "");
	/* a release puts back what the host's state directory saved */
	if (cli->remote[0] && (action == VS_HOOK_RELEASE || action == VS_HOOK_PORT_DELETED))
		return vs_cli_fail(VS_EXIT_USAGE, "plan --op %s needs the host (its state directory): run it on %s",
				   action == VS_HOOK_RELEASE ? "release" : "port-deleted", cli->remote);
	if (vs_conf_load(a.conf ? a.conf : vs_conf_path(), &conf, &err) < 0)
		return vs_cli_fail_err(&err, "plan");
	if (cli->libvirt_source && vs_cli_load_host(cli, NULL, 0, &host) != VS_EXIT_OK) {
		vs_conf_free(&conf);
		return VS_EXIT_FAILURE;
	}
	env.host = host;
	r = vs_hook_input_parse(driver, action, xml, len, &in, &err);
	if (r == 0) {
		vs_hook_plan(&env, &in, &plan);
		r = print_plan(&plan, vs_cli_plan_numa(&cli->sysfs, driver == VS_HOOK_QEMU ? xml : NULL));
	} else {
		r = vs_cli_fail(VS_EXIT_FAILURE, "plan: %s: %s", a.file, err.msg);
	}
	vs_plan_free(&plan);
	vs_hook_input_free(&in);
	vs_conf_free(&conf);
	vs_host_free(host);
	return r;
}
