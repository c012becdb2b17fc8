#include "config.h"

#include <string.h>

#include "attach-cli.h"
#include "attach.h"
#include "cli.h"
#include "json-out.h"
#include "options.h"

/* The ids of main.c's option table */
enum { OPT_VF = 'v', OPT_MAC = 'm', OPT_ALL = 'a', OPT_PF = 'P', OPT_LIVE = 'L', OPT_CONFIG = 'C' };

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct vs_detach_req *req)
{
	unsigned char mac[6];
	struct vs_getopt g;
	int c;

	vs_cli_getopt_init(&g, cli, argc, argv);
	while ((c = vs_cli_getopt(&g)) > 0) {
		switch (c) {
		case OPT_VF: req->vf = g.arg; break;
		case OPT_MAC: req->mac = g.arg; break;
		case OPT_ALL: req->all = true; break;
		case OPT_PF: req->pf = g.arg; break;
		case OPT_LIVE: req->flags |= VIR_DOMAIN_AFFECT_LIVE; break;
		case OPT_CONFIG: req->flags |= VIR_DOMAIN_AFFECT_CONFIG; break;
		}
	}
	if (c < 0)
		return g.status;
	if (g.npos != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: expected one DOMAIN, got %d arguments (see detach --help)", g.npos);
	req->domain = g.pos[0];
	if ((req->vf != NULL) + (req->mac != NULL) + req->all != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: give exactly one of --vf, --mac, --all");
	if (req->pf && !req->all)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: --pf goes with --all (--vf names one VF already)");
	if (req->mac && vs_parse_mac(req->mac, mac) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: invalid --mac '%s' (expected xx:xx:xx:xx:xx:xx)", req->mac);
	return vs_cli_ready(&g);
}

static void print_text(const char *domain, unsigned flags, const struct vs_detached *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (d[i].address[0])
			printf("detached VF %s", d[i].address);
		else
			printf("detached an interface on pool %s", d[i].network);
		if (d[i].mac[0])
			printf(" (MAC %s)", d[i].mac);
		printf(" from guest %s (%s)%s\n", domain, vs_cli_flags_text(flags),
		       d[i].restored ? ": saved VF settings put back" : "");
	}
}

/* {"domain", "live", "config", "detached": [...]}: after a failure, what
 * was detached before it. */
static void print_json(const char *domain, unsigned flags, const struct vs_detached *d, size_t n)
{
	json_object *o = vs_json_doc_new(), *a = json_object_new_array();

	if (!o) {
		json_object_put(a);
		return;
	}

	vs_json_set(o, "domain", vs_json_str(domain));
	vs_json_set(o, "live", json_object_new_boolean(flags & VIR_DOMAIN_AFFECT_LIVE));
	vs_json_set(o, "config", json_object_new_boolean(flags & VIR_DOMAIN_AFFECT_CONFIG));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_new_object();

		vs_json_set(e, "kind", vs_json_str(vs_attach_kind_name(d[i].kind)));
		vs_json_set(e, "address", vs_json_str(d[i].address));
		vs_json_set(e, "mac", vs_json_str(d[i].mac));
		vs_json_set(e, "network", vs_json_str(d[i].network));
		vs_json_set(e, "restored", json_object_new_boolean(d[i].restored));
		json_object_array_add(a, e);
	}
	vs_json_set(o, "detached", a);
	vs_json_doc_print(o);
}

int vs_cmd_detach(struct vs_cli *cli, int argc, char **argv)
{
	struct vs_detach_req req = { 0 };
	struct vs_cli_attach ctx;
	struct vs_detached *done = NULL;
	struct vs_error err = { 0 };
	unsigned flags = 0;
	size_t n = 0;
	int status, r = parse_args(cli, argc, argv, &req);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (cli->dry_run)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: --dry-run is not supported");
	r = vs_cli_attach_open(cli, &ctx);
	if (r != VS_EXIT_OK)
		return r;
	r = vs_detach(&ctx.env, &req, &flags, &done, &n, &err);
	vs_cli_attach_close(&ctx);
	/* what was detached before a failure is reported too (the failure
	 * first: with --json it is the document's "error") */
	status = r < 0 ? vs_cli_fail_err(&err, "detach") : VS_EXIT_OK;
	if (cli->json)
		print_json(req.domain, flags, done, n);
	else
		print_text(req.domain, flags, done, n);
	if (r == 0 && n == 0 && !cli->json)
		printf("guest %s has no VF device to detach\n", req.domain);
	free(done);
	return status;
}
