#include "config.h"

#include <getopt.h>
#include <string.h>

#include "attach-cli.h"
#include "attach.h"
#include "cli.h"
#include "json-out.h"

enum { OPT_VF = 1000, OPT_MAC, OPT_ALL, OPT_PF, OPT_LIVE, OPT_CONFIG };

static void usage(const char *prog)
{
	printf("Usage: %s detach DOMAIN (--vf VF | --mac MAC | --all [--pf PF]) [--live] [--config] [--json]\n"
	       "Detaches the guest's VF devices (<hostdev>, <interface type='hostdev'>, interfaces on\n"
	       "hostdev pools), puts back the settings saved when they were applied, and drops the\n"
	       "policy rules attach stored for them.  Default: --live for a running guest, --config otherwise.\n",
	       prog);
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, struct vs_detach_req *req)
{
	static const struct option opts[] = {
		{ "vf", required_argument, NULL, OPT_VF }, { "mac", required_argument, NULL, OPT_MAC },
		{ "all", no_argument, NULL, OPT_ALL }, { "pf", required_argument, NULL, OPT_PF },
		{ "live", no_argument, NULL, OPT_LIVE }, { "config", no_argument, NULL, OPT_CONFIG },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	unsigned char mac[6];
	int c;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(cli->prog); return VS_EXIT_DONE;
		case 'j': cli->json = true; break;
		case OPT_VF: req->vf = optarg; break;
		case OPT_MAC: req->mac = optarg; break;
		case OPT_ALL: req->all = true; break;
		case OPT_PF: req->pf = optarg; break;
		case OPT_LIVE: req->flags |= VIR_DOMAIN_AFFECT_LIVE; break;
		case OPT_CONFIG: req->flags |= VIR_DOMAIN_AFFECT_CONFIG; break;
		default: return VS_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: expected one DOMAIN (see detach --help)");
	req->domain = argv[optind];
	if ((req->vf != NULL) + (req->mac != NULL) + req->all != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: give exactly one of --vf, --mac, --all");
	if (req->pf && !req->all)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: --pf goes with --all (--vf names one VF already)");
	if (req->mac && vs_parse_mac(req->mac, mac) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "detach: MAC '%s' is not valid (expected xx:xx:xx:xx:xx:xx)", req->mac);
	return VS_EXIT_OK;
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
