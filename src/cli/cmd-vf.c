/* virt-sriov vf set VFSET... [settings] | vf reset VFSET...
 *
 * Every VF of every PF is planned and validated (the rules of each PF's
 * eswitch mode too) before anything is sent; then one request per PF
 * through the routing rule (vfroute.h: rtnetlink, and devlink for a PF in
 * switchdev mode). */
#include "config.h"

#include <json-c/json.h>
#include <string.h>

#include "cli.h"
#include "json-out.h"
#include "load.h"
#include "netlink.h"
#include "options.h"
#include "save.h"
#include "vfctl.h"
#include "vfroute.h"
#include "vfset.h"

struct vf_args {
	bool reset;
	struct vs_vf_config tmpl;
	char **sets;
	int nsets;
	struct vs_cli_save save;
};

/* The ids of main.c's option table */
enum { OPT_SAVE = 's', OPT_CONFIG = 'C' };

/* argv[0] is "vf", argv[1] the verb (main.c found it: cli->cmd). */
static int parse_args(struct vs_cli *cli, int argc, char **argv, struct vf_args *a)
{
	struct vs_getopt g;
	const char *what = cli->cmd->name;
	int c, r;

	if (cli->cmd->verbs)
		return vs_cli_no_verb(cli, argc, argv);
	vs_cli_getopt_init(&g, cli, argc - 1, argv + 1);
	vs_vf_config_init(&a->tmpl, 0);
	while ((c = vs_cli_getopt(&g)) > 0) {
		if (c == OPT_SAVE || c == OPT_CONFIG) {
			if (c == OPT_SAVE)
				a->save.save = true;
			else
				a->save.config = g.arg;
			continue;
		}
		r = vs_cli_parse_setting(&a->tmpl, g.name, g.arg, what);
		if (r != VS_EXIT_OK)
			return r;
	}
	if (c < 0)
		return g.status;
	a->reset = strcmp(what, "vf reset") == 0;
	a->sets = g.pos;
	a->nsets = g.npos;
	if (a->nsets == 0)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: expected a VFSET (see %s --help)", what, what);
	if (!a->reset && vs_vf_config_is_empty(&a->tmpl))
		return vs_cli_fail(VS_EXIT_USAGE, "vf set: no setting given (see vf set --help)");
	r = a->reset ? VS_EXIT_OK : vs_cli_check_settings(&a->tmpl, what);
	return r == VS_EXIT_OK ? vs_cli_ready(&g) : r;
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

/* The kernel attributes c travels in ("IFLA_VF_VLAN", ...). */
static json_object *attrs_json(const struct vs_vf_config *c)
{
	json_object *arr = json_object_new_array();

	for (int s = 0; arr && s < VS_ATTR_MAX; s++)
		if (vs_vf_attr_present(c, s))
			json_object_array_add(arr, json_object_new_string(vs_vf_attr_kernel_name(c, s)));
	return arr;
}

/* The settings of c whose attributes are (want_in) or are not in mask. */
static json_object *settings_masked(const struct vs_vf_config *c, unsigned mask, bool want_in)
{
	struct vs_vf_config part = *c;

	for (int s = 0; s < VS_ATTR_MAX; s++)
		if (((mask >> s) & 1) != want_in)
			vs_vf_config_drop(&part, s);
	return vs_json_settings(&part);
}

/* One PF's request: {"pf", "pf_netdev", "vfs": [{"index", "address",
 * "settings", "attributes"}]}, the same in a dry run and after it ran. */
static json_object *plan_json(const struct vs_vfctl_plan *p)
{
	json_object *o = json_object_new_object(), *vfs = json_object_new_array();

	vs_json_set(o, "pf", vs_json_str(p->pf->address));
	vs_json_set(o, "pf_netdev", vs_json_str(p->pf->netdev));
	for (size_t i = 0; i < p->n; i++) {
		json_object *vf = json_object_new_object();

		vs_json_set(vf, "index", json_object_new_int(p->cfgs[i].index));
		vs_json_set(vf, "address", vs_json_str(p->vfs[i]->address));
		vs_json_set(vf, "settings", vs_json_settings(&p->cfgs[i]));
		vs_json_set(vf, "attributes", attrs_json(&p->cfgs[i]));
		json_object_array_add(vfs, vf);
	}
	vs_json_set(o, "vfs", vfs);
	return o;
}

/* {"dry_run", "reset", "pfs": [...]} */
static int print_doc(const struct vs_cli *cli, bool reset, json_object *pfs)
{
	json_object *doc = vs_json_doc_new();

	if (!doc) {
		json_object_put(pfs);
		return -ENOMEM;
	}
	vs_json_set(doc, "dry_run", json_object_new_boolean(cli->dry_run));
	vs_json_set(doc, "reset", json_object_new_boolean(reset));
	vs_json_set(doc, "pfs", pfs);
	return vs_json_doc_print(doc);
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

static int dry_run(const struct vs_cli *cli, bool reset, const struct vs_vfctl_plan *plans, size_t n)
{
	json_object *pfs;

	if (!cli->json) {
		for (size_t i = 0; i < n; i++)
			plan_print(&plans[i]);
		printf("dry run: nothing sent\n");
		return VS_EXIT_OK;
	}
	pfs = json_object_new_array();
	for (size_t i = 0; pfs && i < n; i++)
		json_object_array_add(pfs, plan_json(&plans[i]));
	return print_doc(cli, reset, pfs) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
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

/* plan_json and what happened: "ok", "error" (on failure), "read_back",
 * "requests"; per VF the settings "in_effect", "not_in_effect" and
 * "already_in_effect" (left out of the request), when read back. */
static json_object *outcome_json(const struct vs_vfctl_plan *p, const struct vs_vfctl_outcome *o,
				 const struct vs_error *err)
{
	json_object *obj = plan_json(p), *vfs = NULL;
	bool known = o->in_effect && o->unchanged && (o->read_back || err->code == 0);

	vs_json_set(obj, "ok", json_object_new_boolean(err->code == 0));
	if (err->code)
		vs_json_set(obj, "error", vs_json_str(err->msg));
	vs_json_set(obj, "read_back", json_object_new_boolean(o->read_back || err->code == 0));
	vs_json_set(obj, "requests", json_object_new_int64((int64_t)o->requests));
	json_object_object_get_ex(obj, "vfs", &vfs);
	for (size_t i = 0; known && i < p->n; i++) {
		json_object *vf = json_object_array_get_idx(vfs, i);

		vs_json_set(vf, "in_effect", settings_masked(&p->cfgs[i], o->in_effect[i], true));
		vs_json_set(vf, "not_in_effect", settings_masked(&p->cfgs[i], o->in_effect[i], false));
		vs_json_set(vf, "already_in_effect", settings_masked(&p->cfgs[i], o->unchanged[i], true));
	}
	return obj;
}

static struct vs_vfroute_pf route_pf(const struct vs_pf *pf)
{
	/* a non-PCI PF of this tree is netdevsim's */
	return (struct vs_vfroute_pf){ pf->netdev, pf->address, pf->non_pci ? "netdevsim" : pf->driver };
}

static int apply_one(struct vs_vfroute *k, bool reset, const struct vs_vfctl_plan *p, json_object *results)
{
	struct vs_vfctl_outcome o = { .refused_vf = -1, .refused_setting = -1 };
	struct vs_vfroute_pf pf = route_pf(p->pf);
	struct vs_error err = { 0 };
	int r;

	r = reset ? vs_vfroute_reset(k, &pf, p->cfgs, p->n, &o, &err)
		  : vs_vfroute_apply(k, &pf, p->cfgs, p->n, &o, &err);
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

/* The rules of each PF's mode, for every PF before any is sent to. */
static int validate_all(struct vs_vfroute *k, bool reset, const struct vs_vfctl_plan *plans, size_t n)
{
	struct vs_error err = { 0 };

	for (size_t i = 0; i < n && !reset; i++) {
		struct vs_vfroute_pf pf = route_pf(plans[i].pf);

		if (vs_vfroute_validate(k, &pf, plans[i].cfgs, plans[i].n, &err) < 0)
			return vs_cli_fail_err(&err, plans[i].pf->netdev);
	}
	return VS_EXIT_OK;
}

static int apply_all(const struct vs_cli *cli, bool reset, const struct vs_vfctl_plan *plans, size_t n)
{
	json_object *results = NULL;
	struct vs_error err = { 0 };
	struct vs_vfroute k = { 0 };
	int status;

	if (vs_nl_open(&k.nl, &err) < 0)
		return vs_cli_fail_err(&err, "rtnetlink");
	status = validate_all(&k, reset, plans, n);
	if (status == VS_EXIT_OK && cli->json)
		results = json_object_new_array();
	/* One PF refusing does not stop the others: each is its own request. */
	for (size_t i = 0, go = status == VS_EXIT_OK; go && i < n; i++)
		if (apply_one(&k, reset, &plans[i], results) != VS_EXIT_OK)
			status = VS_EXIT_FAILURE;
	vs_vfroute_close(&k);
	vs_nl_close(k.nl);
	if (results && print_doc(cli, reset, results) < 0)
		status = VS_EXIT_FAILURE;
	return status;
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
	int r;

	/* The inventory only resolves VFSETs here, on their PFs alone: no
	 * names, and netdevsim's PFs count. */
	r = vs_cli_load_named(cli, a->sets, VS_NAME_VF, VS_LOAD_NON_PCI | VS_LOAD_BAD_NAME_USAGE, &host);
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
		r = cli->dry_run ? dry_run(cli, a->reset, plans, nplans) : apply_all(cli, a->reset, plans, nplans);
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
