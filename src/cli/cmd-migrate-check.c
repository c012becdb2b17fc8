/* virt-sriov migrate-check DOMAIN DEST-URI
 *
 * Before `virsh migrate --live`: can the guest go to DEST-URI with its VFs?
 * Exit status 0 yes, 1 no (the report says why, stderr its first reason),
 * 2 bad arguments. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "conf.h"
#include "json-out.h"
#include "libvirt.h"
#include "migrate.h"
#include "options.h"

struct mc_args {
	const char *domain, *dest;
};

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct mc_args *a)
{
	struct vs_getopt g;
	int r = vs_cli_getopt_common(&g, cli, argc, argv);

	if (r != VS_EXIT_OK)
		return r;
	if (g.npos != 2)
		return vs_cli_fail(VS_EXIT_USAGE, "migrate-check: expected DOMAIN and DEST-URI, got %d arguments", g.npos);
	a->domain = g.pos[0];
	a->dest = g.pos[1];
	if (!*a->dest)
		return vs_cli_fail(VS_EXIT_USAGE, "migrate-check: empty DEST-URI");
	return vs_cli_ready(&g);
}

/* The first thing in the way, for the one line on stderr. */
static const char *first_reason(const struct vs_migrate_report *rep)
{
	for (size_t i = 0; i < rep->n_devs; i++)
		if (rep->devs[i].problem[0])
			return rep->devs[i].problem;
	for (size_t i = 0; i < rep->n_pools; i++)
		if (rep->pools[i].problem[0])
			return rep->pools[i].problem;
	return rep->gates == VS_GATES_REFUSED ? rep->gates_msg : "?";
}

static void dev_name(const struct vs_migrate_dev *d, char *buf, size_t len)
{
	if (d->network[0])
		snprintf(buf, len, "interface on pool %s (MAC %s)", d->network, d->mac);
	else if (d->mac[0])
		snprintf(buf, len, "VF interface %s (MAC %s)", d->address, d->mac);
	else
		snprintf(buf, len, "hostdev %s", d->address);
}

static void print_text(const struct vs_migrate_report *rep, const char *dest)
{
	char name[400];

	printf("guest %s (%s) -> %s (host %s%s)\n", rep->domain, rep->running ? "running" : "not running: its definition",
	       dest, rep->dest_host, rep->same_host ? ", this host" : "");
	printf("VF devices:%s\n", rep->n_devs ? "" : " none");
	for (size_t i = 0; i < rep->n_devs; i++) {
		const struct vs_migrate_dev *d = &rep->devs[i];

		dev_name(d, name, sizeof(name));
		if (d->problem[0])
			printf("  %s: cannot migrate: %s\n", name, d->problem);
		else
			printf("  %s: transient half of failover pair %s: ok\n", name, d->alias);
	}
	for (size_t i = 0; i < rep->n_pools; i++) {
		const struct vs_migrate_pool *p = &rep->pools[i];

		if (p->found && p->n_vfs >= 0)
			printf("destination pool %s: %s, %d VFs, %d handed out%s%s\n", p->name,
			       p->active ? "active" : "inactive", p->n_vfs, p->used, p->problem[0] ? ": " : ": ok",
			       p->problem);
		else
			printf("destination pool %s: %s\n", p->name, p->problem[0] ? p->problem : "ok");
	}
	printf("host gates (spoofchk off, trust on): %s%s%s\n", vs_gates_name(rep->gates),
	       rep->gates_msg[0] ? ": " : "", rep->gates_msg);
	for (size_t i = 0; i < rep->n_devs; i++)
		if (rep->devs[i].source_step[0])
			printf("hook on the source: %s\nhook on the destination: %s\n", rep->devs[i].source_step,
			       rep->devs[i].dest_step);
	printf("%s\n", rep->ok ? "can migrate" : "cannot migrate");
}

static json_object *dev_json(const struct vs_migrate_dev *d)
{
	json_object *o = json_object_new_object();

	vs_json_set(o, "kind", vs_json_str(d->kind));
	vs_json_set(o, "mac", vs_json_str(d->mac));
	vs_json_set(o, "address", vs_json_str(d->address));
	vs_json_set(o, "network", vs_json_str(d->network));
	vs_json_set(o, "failover_alias", vs_json_str(d->alias));
	vs_json_set(o, "ok", json_object_new_boolean(!d->problem[0]));
	vs_json_set(o, "problem", vs_json_str(d->problem));
	vs_json_set(o, "policy", vs_json_settings(&d->policy));
	vs_json_set(o, "hook_source", vs_json_str(d->source_step));
	vs_json_set(o, "hook_destination", vs_json_str(d->dest_step));
	return o;
}

static json_object *pool_json(const struct vs_migrate_pool *p)
{
	json_object *o = json_object_new_object();

	vs_json_set(o, "name", vs_json_str(p->name));
	vs_json_set(o, "wanted", json_object_new_int((int)p->wanted));
	vs_json_set(o, "found", json_object_new_boolean(p->found));
	vs_json_set(o, "active", p->found ? json_object_new_boolean(p->active) : NULL);
	vs_json_set(o, "vfs", vs_json_int(p->n_vfs));
	vs_json_set(o, "used", vs_json_int(p->used));
	vs_json_set(o, "free", p->n_vfs >= 0 && p->used >= 0 ? json_object_new_int(p->n_vfs - p->used) : NULL);
	vs_json_set(o, "ok", json_object_new_boolean(!p->problem[0]));
	vs_json_set(o, "problem", vs_json_str(p->problem));
	return o;
}

static int print_json(const struct vs_migrate_report *rep, const char *dest)
{
	json_object *doc = vs_json_doc_new(), *devs = json_object_new_array(), *pools = json_object_new_array();

	if (!doc || !devs || !pools)
		return -ENOMEM;
	for (size_t i = 0; i < rep->n_devs; i++)
		json_object_array_add(devs, dev_json(&rep->devs[i]));
	for (size_t i = 0; i < rep->n_pools; i++)
		json_object_array_add(pools, pool_json(&rep->pools[i]));
	vs_json_set(doc, "domain", vs_json_str(rep->domain));
	vs_json_set(doc, "uuid", vs_json_str(rep->uuid));
	vs_json_set(doc, "running", json_object_new_boolean(rep->running));
	vs_json_set(doc, "destination", vs_json_str(dest));
	vs_json_set(doc, "destination_host", vs_json_str(rep->dest_host));
	vs_json_set(doc, "same_host", json_object_new_boolean(rep->same_host));
	vs_json_set(doc, "devices", devs);
	vs_json_set(doc, "pools", pools);
	vs_json_set(doc, "gates", vs_json_str(vs_gates_name(rep->gates)));
	vs_json_set(doc, "gates_message", vs_json_str(rep->gates_msg));
	vs_json_set(doc, "can_migrate", json_object_new_boolean(rep->ok));
	return vs_json_doc_print(doc);
}

static int run(struct vs_cli *cli, const struct mc_args *a, virConnectPtr src, virConnectPtr dst,
	       const struct vs_conf *conf)
{
	struct vs_migrate_report rep;
	struct vs_error err = { 0 };
	int status = VS_EXIT_OK;

	if (vs_migrate_check(src, dst, conf, a->domain, &rep, &err) < 0) {
		vs_migrate_report_free(&rep);
		return vs_cli_fail_err(&err, "migrate-check");
	}
	if (!rep.ok)
		status = vs_cli_fail(VS_EXIT_FAILURE, "guest %s cannot migrate to %s: %s", rep.domain, rep.dest_host,
				     first_reason(&rep));
	if (cli->json) {
		if (print_json(&rep, a->dest) < 0)
			status = VS_EXIT_FAILURE;
	} else {
		print_text(&rep, a->dest);
	}
	vs_migrate_report_free(&rep);
	return status;
}

int vs_cmd_migrate_check(struct vs_cli *cli, int argc, char **argv)
{
	struct mc_args a = { 0 };
	struct vs_error err = { 0 };
	struct vs_conf conf = { 0 };
	virConnectPtr src = NULL, dst = NULL;
	int r = parse_args(cli, argc, argv, &a);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (vs_conf_load(vs_conf_path(), &conf, &err) < 0)
		return vs_cli_fail_err(&err, "configuration");
	/* the XML a migration sends (MIGRATABLE) needs a read-write connection */
	if (vs_libvirt_open(vs_cli_uri(cli), false, &src, &err) < 0)
		r = vs_cli_fail_err(&err, "libvirt");
	else if (vs_libvirt_open(a.dest, true, &dst, &err) < 0)
		r = vs_cli_fail(VS_EXIT_FAILURE, "destination %s: %s", a.dest, err.msg);
	else
		r = run(cli, &a, src, dst, &conf);
	if (dst)
		virConnectClose(dst);
	if (src)
		virConnectClose(src);
	vs_conf_free(&conf);
	return r;
}
