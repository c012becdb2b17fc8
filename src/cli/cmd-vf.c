/* virt-sriov vf set VFSET... [settings] | vf reset VFSET...
 *
 * Every VF of every PF is planned and validated before anything is sent;
 * then one RTM_SETLINK per PF. */
#include "config.h"

#include <getopt.h>
#include <json-c/json.h>
#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "load.h"
#include "netlink.h"
#include "options.h"
#include "save.h"
#include "vfctl.h"
#include "vfset.h"

struct vf_args {
	bool reset;
	struct vs_vf_config tmpl;
	char **sets;
	int nsets;
	struct vs_cli_save save;
};

enum { OPT_SETTING = 1000, OPT_SAVE, OPT_CONFIG };

static void vf_usage(FILE *out, const char *prog)
{
	int col = fprintf(out, "Usage: %s vf set VFSET... ", prog);

	vs_cli_settings_usage(out, col > 0 ? (size_t)col : 0, "              ", 100);
	fprintf(out,
		"              [--save [--config FILE]]\n"
		"       %s vf reset VFSET...\n"
		"VFSET: a VF address, PF#N or PF#0-3,7 (PF: netdev or PCI address).\n"
		"--save also writes the settings into [vfs VFSET] of %s\n"
		"(or --config FILE), for virt-sriov apply at boot.\n", prog, VS_CONF_DEFAULT_PATH);
}

/* The options of set or reset; argv[0] is the verb. */
static int parse_verb_args(struct vs_cli *cli, int argc, char **argv, struct vf_args *a)
{
	struct option opts[32] = {
		{ "json", no_argument, NULL, 'j' }, { "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' }, { "save", no_argument, NULL, OPT_SAVE },
		{ "config", required_argument, NULL, OPT_CONFIG },
	};
	const char *what = a->reset ? "vf reset" : "vf set";
	size_t n = 5;
	int c, idx, r;

	vs_cli_setting_options(opts, &n, OPT_SETTING);
	vs_vf_config_init(&a->tmpl, 0);
	while ((c = getopt_long(argc, argv, "nh", opts, &idx)) != -1) {
		if (c == 'j' || c == 'n') {
			*(c == 'j' ? &cli->json : &cli->dry_run) = true;
			continue;
		}
		if (c == 'h') {
			vf_usage(stdout, cli->prog);
			return VS_EXIT_DONE;
		}
		if (c == OPT_SAVE || c == OPT_CONFIG) {
			if (a->reset)
				return vs_cli_fail(VS_EXIT_USAGE, "vf reset: --%s: only vf set saves", opts[idx].name);
			if (c == OPT_SAVE)
				a->save.save = true;
			else
				a->save.config = optarg;
			continue;
		}
		if (c != OPT_SETTING)
			return vs_cli_fail(VS_EXIT_USAGE, "vf: see vf --help");
		if (a->reset)
			return vs_cli_fail(VS_EXIT_USAGE, "vf reset: --%s: reset takes no settings", opts[idx].name);
		r = vs_cli_parse_setting(&a->tmpl, opts[idx].name, optarg, what);
		if (r != VS_EXIT_OK)
			return r;
	}
	a->sets = argv + optind;
	a->nsets = argc - optind;
	if (a->nsets == 0)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: expected a VFSET (see vf --help)", what);
	if (!a->reset && vs_vf_config_is_empty(&a->tmpl))
		return vs_cli_fail(VS_EXIT_USAGE, "vf set: no setting given (see vf --help)");
	return a->reset ? VS_EXIT_OK : vs_cli_check_settings(&a->tmpl, what);
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct vf_args *a)
{
	const char *verb = argc > 1 ? argv[1] : "";

	if (vs_cli_is_help(verb)) {
		vf_usage(stdout, cli->prog);
		return VS_EXIT_DONE;
	}
	if (strcmp(verb, "set") != 0 && strcmp(verb, "reset") != 0) {
		vf_usage(stderr, cli->prog);
		return VS_EXIT_USAGE;
	}
	a->reset = strcmp(verb, "reset") == 0;
	return parse_verb_args(cli, argc - 1, argv + 1, a);
}

static int resolve_all(const struct vs_host *host, char **sets, int nsets, struct vs_vf_ref **refs, size_t *n)
{
	size_t alloc = 0;

	*refs = NULL;
	*n = 0;
	for (int i = 0; i < nsets; i++) {
		_cleanup_free_ struct vs_vf_ref *part = NULL;
		struct vs_error err = { 0 };
		size_t np = 0;

		int r = vs_vfset_resolve(host, sets[i], &part, &np, &err);

		if (r == -EINVAL) /* the VFSET's syntax */
			return vs_cli_fail(VS_EXIT_USAGE, "%s", err.msg[0] ? err.msg : sets[i]);
		if (r < 0)
			return vs_cli_fail_err(&err, sets[i]);
		if (vs_grow((void **)refs, &alloc, *n + np, sizeof(**refs)) < 0)
			return vs_cli_fail(VS_EXIT_FAILURE, "out of memory");
		memcpy(*refs + *n, part, np * sizeof(*part));
		*n += np;
	}
	return VS_EXIT_OK;
}

static size_t count_vfs(const struct vs_vfctl_plan *plans, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += plans[i].n;
	return total;
}

/* ---- dry run: the request per PF, VF and attribute ---- */

static json_object *attrs_json(const struct vs_vf_config *c)
{
	json_object *arr = json_object_new_array();
	char value[96];

	for (int s = 0; s < VS_ATTR_MAX; s++) {
		json_object *a;

		if (!vs_vf_attr_present(c, s))
			continue;
		a = json_object_new_object();
		vs_vf_attr_format(c, s, value, sizeof(value));
		vs_json_set(a, "attribute", vs_json_str(vs_vf_attr_kernel_name(c, s)));
		vs_json_set(a, "setting", vs_json_str(vs_vf_attr_name(s)));
		vs_json_set(a, "value", vs_json_str(value));
		json_object_array_add(arr, a);
	}
	return arr;
}

static json_object *plan_json(const struct vs_vfctl_plan *p)
{
	json_object *o = json_object_new_object(), *vfs = json_object_new_array();

	vs_json_set(o, "pf", vs_json_str(p->pf->netdev));
	vs_json_set(o, "address", vs_json_str(p->pf->address));
	vs_json_set(o, "message", vs_json_str("RTM_SETLINK"));
	for (size_t i = 0; i < p->n; i++) {
		json_object *vf = json_object_new_object();

		vs_json_set(vf, "index", json_object_new_int(p->cfgs[i].index));
		vs_json_set(vf, "address", vs_json_str(p->vfs[i]->address));
		vs_json_set(vf, "attributes", attrs_json(&p->cfgs[i]));
		json_object_array_add(vfs, vf);
	}
	vs_json_set(o, "vfs", vfs);
	return o;
}

static void plan_print(const struct vs_vfctl_plan *p)
{
	char value[96];

	printf("%s (%s): RTM_SETLINK, one IFLA_VFINFO_LIST with %zu IFLA_VF_INFO\n", p->pf->netdev,
	       p->pf->address, p->n);
	for (size_t i = 0; i < p->n; i++) {
		printf("  VF %d (%s)\n", p->cfgs[i].index, p->vfs[i]->address[0] ? p->vfs[i]->address : "no PCI address");
		for (int s = 0; s < VS_ATTR_MAX; s++) {
			if (!vs_vf_attr_present(&p->cfgs[i], s))
				continue;
			vs_vf_attr_format(&p->cfgs[i], s, value, sizeof(value));
			printf("    %-20s %s %s\n", vs_vf_attr_kernel_name(&p->cfgs[i], s), vs_vf_attr_name(s), value);
		}
	}
}

static int dry_run(const struct vs_cli *cli, const struct vs_vfctl_plan *plans, size_t n)
{
	json_object *root, *reqs;
	int r;

	if (!cli->json) {
		for (size_t i = 0; i < n; i++)
			plan_print(&plans[i]);
		printf("dry run: nothing sent\n");
		return VS_EXIT_OK;
	}
	root = json_object_new_object();
	reqs = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(reqs, plan_json(&plans[i]));
	vs_json_set(root, "dry_run", json_object_new_boolean(1));
	vs_json_set(root, "requests", reqs);
	r = vs_json_print(root);
	json_object_put(root);
	return r < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

/* ---- applying and reporting ---- */

static void settings_list(const struct vs_vf_config *c, unsigned mask, bool want_in, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int s = 0; s < VS_ATTR_MAX && used < len; s++) {
		char value[96];

		if (!vs_vf_attr_present(c, s) || (((mask >> s) & 1) != want_in))
			continue;
		vs_vf_attr_format(c, s, value, sizeof(value));
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "", vs_vf_attr_name(s), value);
	}
}

/* After a refusal: what the kernel left in effect, per VF. */
static void report_refusal(const struct vs_vfctl_plan *p, const struct vs_vfctl_outcome *o)
{
	char in[512], out[512];

	if (!o->read_back) {
		vs_cli_warn("%s: VF settings cannot be read back: what the kernel applied before the refusal is unknown",
			    p->pf->netdev);
		return;
	}
	for (size_t i = 0; i < p->n; i++) {
		settings_list(&p->cfgs[i], o->in_effect[i], true, in, sizeof(in));
		settings_list(&p->cfgs[i], o->in_effect[i], false, out, sizeof(out));
		fprintf(stderr, "virt-sriov: %s: VF %d: in effect: %s; not in effect: %s\n", p->pf->netdev,
			p->cfgs[i].index, in[0] ? in : "none", out[0] ? out : "none");
	}
}

static void report_success(const struct vs_vfctl_plan *p, bool reset, const struct vs_vfctl_outcome *o)
{
	size_t same = 0;

	for (size_t i = 0; i < p->n; i++)
		same += o->unchanged[i] == (o->unchanged[i] | o->in_effect[i]);
	if (o->requests == 0) {
		printf("%s: %zu VF%s: every setting already in effect, nothing sent\n", p->pf->netdev, p->n,
		       p->n == 1 ? "" : "s");
		return;
	}
	printf("%s: %zu VF%s %s in %zu request%s", p->pf->netdev, p->n, p->n == 1 ? "" : "s", reset ? "reset" : "set",
	       o->requests, o->requests == 1 ? "" : "s");
	if (same)
		printf(" (%zu already as asked, left out)", same);
	putchar('\n');
}

static void report_reset_notes(const struct vs_vfctl_plan *p, const struct vs_vfctl_outcome *o)
{
	if (o->placeholder_mac)
		vs_cli_warn("%s: the driver refused an all-zero MAC; VFs got 02:00:00:00:00:00 instead", p->pf->netdev);
	for (int s = 0; s < VS_ATTR_MAX; s++)
		if (o->skipped & (1u << s))
			vs_cli_warn("%s: %s not supported by the driver (EOPNOTSUPP): left as it is", p->pf->netdev,
				    vs_vf_attr_name(s));
}

static json_object *outcome_json(const struct vs_vfctl_plan *p, const struct vs_vfctl_outcome *o,
				 const struct vs_error *err)
{
	json_object *obj = json_object_new_object(), *vfs = json_object_new_array();

	vs_json_set(obj, "pf", vs_json_str(p->pf->netdev));
	vs_json_set(obj, "address", vs_json_str(p->pf->address));
	vs_json_set(obj, "ok", json_object_new_boolean(err->code == 0));
	vs_json_set(obj, "error", err->code ? vs_json_str(err->msg) : NULL);
	vs_json_set(obj, "read_back", json_object_new_boolean(o->read_back || err->code == 0));
	vs_json_set(obj, "requests", json_object_new_int64((int64_t)o->requests));
	for (size_t i = 0; i < p->n && o->in_effect && o->unchanged && (o->read_back || err->code == 0); i++) {
		json_object *vf = json_object_new_object();
		char in[512], out[512];

		settings_list(&p->cfgs[i], o->in_effect[i], true, in, sizeof(in));
		settings_list(&p->cfgs[i], o->in_effect[i], false, out, sizeof(out));
		vs_json_set(vf, "index", json_object_new_int(p->cfgs[i].index));
		vs_json_set(vf, "in_effect", vs_json_str(in));
		vs_json_set(vf, "not_in_effect", vs_json_str(out));
		settings_list(&p->cfgs[i], o->unchanged[i], true, in, sizeof(in));
		vs_json_set(vf, "already_in_effect", vs_json_str(in));
		json_object_array_add(vfs, vf);
	}
	vs_json_set(obj, "vfs", vfs);
	return obj;
}

static int apply_one(struct vs_nl *nl, bool reset, const struct vs_vfctl_plan *p, json_object *results)
{
	struct vs_vfctl_outcome o = { .refused_vf = -1, .refused_setting = -1 };
	struct vs_error err = { 0 };
	int r;

	r = reset ? vs_vfctl_reset(nl, p->pf->netdev, p->cfgs, p->n, &o, &err)
		  : vs_vfctl_apply(nl, p->pf->netdev, p->cfgs, p->n, &o, &err);
	if (reset)
		report_reset_notes(p, &o);
	if (results)
		json_object_array_add(results, outcome_json(p, &o, &err));
	if (r < 0)
		vs_cli_fail_err(&err, p->pf->netdev);
	if (r < 0 && o.error)
		report_refusal(p, &o);
	else if (r == 0 && !results)
		report_success(p, reset, &o);
	vs_vfctl_outcome_free(&o);
	return r < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

static int apply_all(const struct vs_cli *cli, bool reset, const struct vs_vfctl_plan *plans, size_t n)
{
	json_object *root = NULL, *results = NULL;
	struct vs_error err = { 0 };
	struct vs_nl *nl = NULL;
	int status = VS_EXIT_OK;

	if (vs_nl_open(&nl, &err) < 0)
		return vs_cli_fail_err(&err, "rtnetlink");
	if (cli->json) {
		root = json_object_new_object();
		results = json_object_new_array();
	}
	/* One PF refusing does not stop the others: each is its own request. */
	for (size_t i = 0; i < n; i++)
		if (apply_one(nl, reset, &plans[i], results) != VS_EXIT_OK)
			status = VS_EXIT_FAILURE;
	vs_nl_close(nl);
	if (root) {
		vs_json_set(root, "results", results);
		if (vs_json_print(root) < 0)
			status = VS_EXIT_FAILURE;
		json_object_put(root);
	}
	return status;
}

/* The PFs the VFSETs name ("em1" of "em1#0-3"), so that the scan reads only
 * those (a VF named by its address could be on any PF: NULL, every PF). */
static char **named_pfs(char **sets, int nsets)
{
	char **names = calloc((size_t)nsets + 1, sizeof(*names));

	for (int i = 0; names && i < nsets; i++) {
		const char *hash = strchr(sets[i], '#');

		if (!hash || hash == sets[i] || !(names[i] = strndup(sets[i], (size_t)(hash - sets[i])))) {
			vs_strv_free(names);
			return NULL;
		}
	}
	return names;
}

/* ---- --save: [vfs VFSET] gets the settings as the table names them ---- */

struct save_one {
	struct vs_cli_save *save;
	const struct vs_host *host;
	const char *spec;
};

static int save_setting(const struct vs_vf_field *f, const char *value, void *data)
{
	struct save_one *o = data;

	return vs_cli_save_vfs(o->save, o->host, o->spec, f->name, value) == VS_EXIT_OK ? 0 : -EINVAL;
}

static int save(struct vf_args *a, const struct vs_host *host)
{
	if (!a->save.save)
		return VS_EXIT_OK;
	for (int i = 0; i < a->nsets; i++) {
		struct save_one o = { &a->save, host, a->sets[i] };

		if (vs_vf_config_foreach(&a->tmpl, save_setting, &o) < 0)
			return VS_EXIT_FAILURE;
	}
	return vs_cli_save_check(&a->save);
}

static int run(struct vs_cli *cli, struct vf_args *a)
{
	_cleanup_free_ struct vs_vf_ref *refs = NULL;
	struct vs_vfctl_plan *plans = NULL;
	struct vs_host *host = NULL;
	struct vs_error err = { 0 };
	size_t nrefs = 0, nplans = 0;
	char **only = named_pfs(a->sets, a->nsets);
	int r;

	/* The inventory only resolves VFSETs here: no names, and netdevsim's
	 * PFs count. */
	r = vs_cli_load_host(cli, only, VS_LOAD_NON_PCI, &host);
	vs_strv_free(only);
	if (r != VS_EXIT_OK)
		return r;
	r = resolve_all(host, a->sets, a->nsets, &refs, &nrefs);
	if (r == VS_EXIT_OK && vs_vfctl_plan_build(refs, nrefs, &a->tmpl, a->reset, &plans, &nplans, &err) < 0)
		r = vs_cli_fail_err(&err, "vf");
	if (r == VS_EXIT_OK && a->tmpl.has_mac && count_vfs(plans, nplans) > 1)
		r = vs_cli_fail(VS_EXIT_USAGE, "vf set: --mac names %zu VFs: one MAC cannot go to several VFs",
				count_vfs(plans, nplans));
	if (r == VS_EXIT_OK)
		r = save(a, host);
	if (r == VS_EXIT_OK)
		r = cli->dry_run ? dry_run(cli, plans, nplans) : apply_all(cli, a->reset, plans, nplans);
	if (r == VS_EXIT_OK && !a->reset)
		r = vs_cli_save_finish(cli, &a->save);
	vs_cli_save_free(&a->save);
	vs_vfctl_plans_free(plans, nplans);
	vs_host_free(host);
	return r;
}

int vs_cmd_vf(struct vs_cli *cli, int argc, char **argv)
{
	struct vf_args a = { 0 };
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	return run(cli, &a);
}
