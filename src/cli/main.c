#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "json-out.h"
#include "options.h"
#include "sriov.h"
#include "state.h"

/* The lean program (see cli.h) runs vf, check and help itself; the full
 * program runs everything. */
#ifdef VS_CLI_LEAN
#define FULL(fn) vs_cli_exec_full
#else
#define FULL(fn) fn
#endif

/* Letters are also short options only where the table says so (short_name). */
/* the help of numvfs --timeout and apply --timeout says so */
_Static_assert(VS_NUMVFS_TIMEOUT_MS == 10000, "default timeout 10 s");

/* --save of numvfs, bind and vf set (save.h) */
#define SAVE_OPTS \
	{ "save", 's', 0, NULL, "also write the change into virt-sriov.conf, for apply at boot", 0 }, \
	{ "config", 'C', 0, "FILE", "the file --save writes (default " VS_CONF_DEFAULT_PATH \
	  "; $VIRT_SRIOV_CONF too)", 0 }

static const struct vs_opt numvfs_opts[] = {
	{ "no-autoprobe", 'A', 0, NULL, "sriov_drivers_autoprobe=0 first: new VFs stay unbound", 0 },
	{ "timeout", 't', 0, "SEC", "how long to wait for the VFs (1-3600, default 10)", 0 },
	{ "force", 'f', 'f', NULL, "go on although a guest uses one of the VFs, or although libvirt cannot "
	  "be asked while VFs are on vfio-pci", 0 },
	SAVE_OPTS,
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt bind_opts[] = {
	{ "driver", 'd', 'd', "vfio-pci|host|NAME", "the driver; host: the PF's VF driver", 0 },
	{ "force", 'f', 'f', NULL, "go on although a guest uses the VF, or although libvirt cannot be asked "
	  "while the VF is on vfio-pci", 0 },
	SAVE_OPTS,
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt eswitch_opts[] = {
	{ "force", 'f', 'f', NULL, "go on although a guest uses one of the PF's VFs, or although libvirt cannot "
	  "be asked while VFs are on vfio-pci", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt vf_set_opts[] = {
	SAVE_OPTS,
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_command vf_verbs[] = {
	{ "vf set", NULL, "VFSET... SETTINGS", "set VF settings, one request per PF",
	  "VFSET: a VF (address, short address, netdev, PF#N) or PF#0-3,7; see NAMES in\n"
	  "virt-sriov(1).  Settings that already have the wanted value are not sent.\n",
	  vf_set_opts, VS_NEED_NETLINK | VS_LOCAL | VS_TAKES_DRY_RUN | VS_TAKES_SETTINGS, NULL },
	{ "vf reset", NULL, "VFSET...", "spoofchk on, trust off, MAC/VLAN cleared",
	  "Spoof check on, trust off, VLAN 0, link state auto, rates 0, MAC cleared.\n",
	  NULL, VS_NEED_NETLINK | VS_LOCAL | VS_TAKES_DRY_RUN, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct vs_opt xml_network_opts[] = {
	{ "name", 'N', 0, "N", "the network's name (default: sriov-PF)", 0 },
	{ "vfs", 'v', 0, "SET", "only these VFs (indexes: 0-3,12), as addresses instead of <pf dev>", 0 },
	{ "vlan", 'l', 0, "ID", "VLAN ID (0-4094) of the pool's ports", 0 },
	{ "template", 't', 0, "FILE", "the template to fill instead of the installed one", 0 },
	{ "numa", 'U', 0, "N", "one pool of the VFs of every PF given that is on NUMA node N (default name "
	  "sriov-nodeN)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt xml_hostdev_opts[] = {
	{ "interface", 'i', 0, NULL, "an <interface type='hostdev'> rather than a <hostdev>", 0 },
	{ "mac", 'm', 0, "M", "the interface's MAC (with --interface)", 0 },
	{ "vlan", 'l', 0, "ID", "the interface's VLAN ID, 0-4094 (with --interface)", 0 },
	{ "template", 't', 0, "FILE", "the template to fill instead of the installed one", 0 },
	{ "failover", 'F', 0, "POOL", "instead of VF: a failover pair, virtio plus an interface on hostdev pool POOL "
	  "(same MAC), for guests that migrate", 0 },
	{ "bridge", 'B', 0, "BR", "with --failover: the virtio half on bridge BR (default: user-mode networking)", 0 },
	{ "network", 'W', 0, "NET", "with --failover: the virtio half on network NET (not a hostdev pool)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_command xml_verbs[] = {
	{ "xml network", NULL, "PF...", "a hostdev pool of PF's VFs (<network>)",
	  "Print a libvirt <network> with <forward mode='hostdev'>: <pf dev> for every VF,\n"
	  "or an address list of the VFs --vfs names; with --numa N, of the VFs of every\n"
	  "PF given that is on node N (one PF otherwise).\n",
	  xml_network_opts, VS_LOCAL | VS_REMOTE_OK, NULL },
	{ "xml hostdev", NULL, "VF|--failover POOL", "one VF as <hostdev> or <interface>, or a failover pair",
	  "Print one VF as a <hostdev> (--interface: an <interface type='hostdev'>).\n"
	  "--failover POOL: a virtio interface and an interface on the hostdev pool\n"
	  "POOL with one MAC and <teaming>: the guest keeps its traffic on virtio while\n"
	  "its VF is unplugged for a live migration (see docs/migration.md).\n",
	  xml_hostdev_opts, VS_LOCAL | VS_REMOTE_OK, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct vs_opt network_apply_opts[] = {
	{ "vfs", 'v', 0, "SET", "only these VFs (indexes: 0-3,12), as addresses instead of <pf dev>", 0 },
	{ "name", 'N', 0, "N", "the pool's name (one PF only; default: sriov-PF)", 0 },
	{ "vlan", 'l', 0, "ID", "VLAN ID (0-4094) of the pool's ports", 0 },
	{ "no-autostart", 'A', 0, NULL, "leave autostart off", 0 },
	{ "template", 't', 0, "FILE", "the template to fill instead of the installed one", 0 },
	{ "per-numa", 'U', 0, NULL, "one pool per NUMA node of the PFs given, of all their VFs, named NAME-nodeN "
	  "(--name NAME, default sriov): what attach --network NAME --numa picks from", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt network_remove_opts[] = {
	{ "force", 'f', 0, NULL, "remove it although VFs of it are handed out", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_command network_verbs[] = {
	{ "network apply", NULL, "PF...", "define, start, autostart a pool per PF",
	  "Hostdev pools (libvirt networks with <forward mode='hostdev'>) through the libvirt API:\n"
	  "define (or update), start and autostart one per PF; a second run changes nothing.\n",
	  network_apply_opts, VS_NEED_LIBVIRT | VS_LOCAL | VS_REMOTE_OK | VS_TAKES_DRY_RUN, NULL },
	{ "network list", NULL, "", "hostdev pools, their VFs and who holds them", NULL, NULL, 0, NULL },
	{ "network remove", NULL, "NAME...", "stop and undefine pools",
	  "Stop and undefine hostdev pools; refuses while VFs are handed out, unless --force.\n",
	  network_remove_opts, VS_NEED_LIBVIRT | VS_TAKES_DRY_RUN, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct vs_opt attach_opts[] = {
	{ "pf", 'P', 0, "PF", "the lowest free VF of PF", VS_LOCAL },
	{ "network", 'N', 0, "NET", "an interface on that hostdev pool (the pool picks the VF)", 0 },
	{ "vf", 'v', 0, "VF", "this VF (any VF name, see NAMES in virt-sriov(1))", VS_LOCAL },
	{ "interface", 'i', 0, NULL, "an <interface type='hostdev'> rather than a <hostdev>", 0 },
	{ "live", 'L', 0, NULL, "the running guest (default when it runs)", 0 },
	{ "config", 'C', 0, NULL, "the persistent definition (default when it does not run)", 0 },
	{ "force", 'f', 0, NULL, "a VF whose netdev is up counts as free", 0 },
	{ "failover", 'F', 0, "POOL", "a failover pair for live migration: a virtio interface and an interface on "
	  "hostdev pool POOL, one MAC (--network then names the virtio half's network)", 0 },
	{ "bridge", 'B', 0, "BR", "with --failover: the virtio half on bridge BR (default: user-mode networking)", 0 },
	{ "numa", 'U', 0, "auto|N", "a VF of a PF on NUMA node N (auto: the guest's <numatune> and vCPU pinning); "
	  "without --pf: of any PF; with --network NET: the pool NET-nodeN", VS_LOCAL },
	{ "numa-policy", 'Y', 0, "required|preferred", "with --numa: refuse when the node has no free VF, or "
	  "take one on another node and say so (default preferred)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt detach_opts[] = {
	{ "vf", 'v', 0, "VF", "this VF (any VF name, see NAMES in virt-sriov(1))", 0 },
	{ "mac", 'm', 0, "MAC", "the VF device with this MAC", 0 },
	{ "all", 'a', 0, NULL, "every VF device of the guest", 0 },
	{ "pf", 'P', 0, "PF", "with --all: only the VFs of PF", 0 },
	{ "live", 'L', 0, NULL, "the running guest (default when it runs)", 0 },
	{ "config", 'C', 0, NULL, "the persistent definition (default when it does not run)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

#define POLICY_WHERE \
	{ "config", 'C', 0, NULL, "the persistent definition", 0 }, \
	{ "live", 'L', 0, NULL, "the running guest", 0 }
#define POLICY_SELECTORS \
	{ "vf", 'v', 0, "VF", "the rule for this VF (any VF name; stored as its address)", 0 }, \
	{ "guest-mac", 'm', 0, "MAC", "the rule for the guest interface with this MAC", 0 }, \
	{ "network", 'N', 0, "NET", "the rule for VFs from this hostdev pool", 0 }

static const struct vs_opt policy_show_opts[] = { POLICY_WHERE, { NULL, 0, 0, NULL, NULL, 0 } };
static const struct vs_opt policy_set_opts[] = {
	POLICY_SELECTORS, POLICY_WHERE,
	{ "force", 'f', 0, NULL, "store what the hook would refuse (the guest will not start here)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};
static const struct vs_opt policy_clear_opts[] = { POLICY_SELECTORS, POLICY_WHERE, { NULL, 0, 0, NULL, NULL, 0 } };

static const struct vs_command policy_verbs[] = {
	{ "policy show", NULL, "DOMAIN", "the guest's VF policy", NULL, policy_show_opts, 0, NULL },
	{ "policy set", NULL, "DOMAIN SETTINGS", "merge settings into a rule of the policy",
	  "Without a selector, a rule applies to every VF of the guest.  The host's\n"
	  "virt-sriov.conf ($VIRT_SRIOV_CONF) decides whether spoofchk off and trust on\n"
	  "are allowed: set refuses what the hook would refuse at the guest's start;\n"
	  "--force stores it anyway (the guest will not start on this host).\n",
	  policy_set_opts, VS_NEED_LIBVIRT | VS_TAKES_DRY_RUN | VS_TAKES_SETTINGS, NULL },
	{ "policy clear", NULL, "DOMAIN", "remove a rule (no selector: the policy)", NULL,
	  policy_clear_opts, VS_NEED_LIBVIRT | VS_TAKES_DRY_RUN, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct vs_opt plan_opts[] = {
	{ "domain-xml", 'd', 0, "FILE", "a domain XML (qemu hook) or a network hook's <hookData>; '-': stdin", 0 },
	{ "op", 'o', 0, "prepare|release|port-created|port-deleted", "the hook operation (default: the first of FILE's kind)", 0 },
	{ "config", 'C', 0, "FILE", "the host configuration to use", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt reconcile_opts[] = {
	{ "all", 'a', 'a', NULL, "every saved guest, without asking libvirt (only when no guest runs)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt apply_opts[] = {
	{ "no-libvirt", 'L', 0, NULL, "leave pools alone, do not ask libvirt which guest holds a VF, put back "
	  "only the state files written before this boot (the boot step)", 0 },
	{ "config", 'C', 0, "FILE", "read FILE instead ($VIRT_SRIOV_CONF works too)", 0 },
	{ "timeout", 't', 0, "SEC", "how long to wait for new VFs (1-3600, default 10)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt check_opts[] = {
	{ "guests", 'G', 0, NULL, "also ask libvirt about the running guests: a VF on another NUMA node than the "
	  "guest's memory or pinned vCPUs is a warning", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static const struct vs_opt help_opts[] = {
	{ "options", VS_OPT_OPTIONS, 0, NULL, "every option of every command, one per line: the command, the "
	  "option, global, own, setting or common (every command's), its short form, its argument", 0 },
	{ "commands", VS_OPT_COMMANDS, 0, NULL, "every command and verb, one per line: its name and synopsis", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

const struct vs_command vs_commands[] = {
	{ "list", FULL(vs_cmd_list), "[PF...]", "PFs, VFs: drivers, groups, settings, guests",
	  NULL, NULL, VS_LOCAL | VS_REMOTE_OK, NULL },
	{ "show", FULL(vs_cmd_show), "PF|VF", "one device in detail",
	  "PF: netdev or (short) PCI address; VF: (short) PCI address, netdev or PF#N.\n", NULL,
	  VS_LOCAL | VS_REMOTE_OK, NULL },
	{ "check", vs_cmd_check, "", "host readiness: PASS/WARN/FAIL, what to do", NULL, check_opts,
	  VS_LOCAL | VS_REMOTE_OK, NULL },
	{ "numvfs", FULL(vs_cmd_numvfs), "PF N", "create or remove VFs, wait until they exist",
	  "Set the PF's VF count (through 0 when changing a non-zero count) and wait\n"
	  "until the N VF devices exist.\n",
	  numvfs_opts, VS_NEED_SYSFS | VS_LOCAL | VS_TAKES_DRY_RUN, NULL },
	{ "bind", FULL(vs_cmd_bind), "VF... --driver vfio-pci|host|NAME", "bind VFs to a driver",
	  "VF: a VF name (see NAMES) or PF#0-3,7.  Binds with driver_override, unbind and\n"
	  "drivers_probe, then checks the driver link.\n",
	  bind_opts, VS_NEED_SYSFS | VS_LOCAL | VS_TAKES_DRY_RUN, NULL },
	{ "eswitch", FULL(vs_cmd_eswitch), "PF [switchdev|legacy]", "show or change the PF's eswitch mode",
	  "Without a mode: the mode (devlink).  With one: what the PF's driver needs, in\n"
	  "order (mlx5_core: VFs unbound first, bound again after; ice: numvfs 0 first,\n"
	  "the VFs created again after), then the devlink request.  See switchdev.md.\n",
	  eswitch_opts, VS_NEED_SYSFS | VS_NEED_NETLINK | VS_LOCAL | VS_TAKES_DRY_RUN, NULL },
	{ "vf", vs_cmd_vf, NULL, "per-VF settings over rtnetlink", NULL, NULL, 0, vf_verbs },
	{ "xml", FULL(vs_cmd_xml), NULL, "libvirt XML from templates", NULL, NULL, 0, xml_verbs },
	{ "network", FULL(vs_cmd_network), NULL, "hostdev pools through the libvirt API", NULL, NULL, 0,
	  network_verbs },
	{ "attach", FULL(vs_cmd_attach), "DOMAIN (--pf PF|--network NET|--vf VF|--numa auto|N|--failover POOL) [SETTINGS]",
	  "attach a free VF to a guest",
	  "--pf picks the lowest free VF of PF (under a lock: concurrent attaches get\n"
	  "distinct VFs).  The host's virt-sriov.conf decides whether spoofchk off and\n"
	  "trust on are allowed.  --dry-run names the VF it would take.\n",
	  attach_opts, VS_NEED_LIBVIRT | VS_NEED_STATE | VS_TAKES_SETTINGS | VS_TAKES_DRY_RUN | VS_REMOTE_OK, NULL },
	{ "detach", FULL(vs_cmd_detach), "DOMAIN (--vf VF|--mac MAC|--all)", "detach VFs from a guest",
	  "Detach the guest's VF devices, put back the settings saved when they were\n"
	  "applied, and drop the policy rules attach stored for them.\n",
	  detach_opts, VS_NEED_LIBVIRT | VS_NEED_STATE | VS_NEED_NETLINK | VS_LOCAL | VS_REMOTE_OK, NULL },
	{ "migrate-check", FULL(vs_cmd_migrate_check), "DOMAIN DEST-URI", "can the guest live-migrate with its VFs",
	  "Before `virsh migrate --live`: every VF of the guest is the transient half of a\n"
	  "failover pair, the destination (DEST-URI, through libvirt) has the same hostdev\n"
	  "pool active with a free VF, its host gates allow the guest's policy (checked\n"
	  "only when it is this host), and what the hook does on each side.  Exit status\n"
	  "0: it can go; 1: it cannot (why on stderr).\n",
	  NULL, 0, NULL },
	{ "policy", FULL(vs_cmd_policy), NULL, "per-guest VF policy in the domain metadata", NULL, NULL, 0,
	  policy_verbs },
	{ "plan", FULL(vs_cmd_plan), "--domain-xml FILE", "what the hook would do for a guest",
	  NULL, plan_opts, VS_LOCAL | VS_REMOTE_OK, NULL },
	{ "reconcile", FULL(vs_cmd_reconcile), "", "put back VFs whose guest is gone",
	  "Put back the VF settings saved by the hook for guests that are not running,\n"
	  "then delete the hostdev pool ports libvirt kept for such guests.\n",
	  reconcile_opts, VS_NEED_NETLINK | VS_NEED_STATE | VS_LOCAL | VS_TAKES_DRY_RUN, NULL },
	{ "apply", FULL(vs_cmd_apply), "", "bring the host to virt-sriov.conf",
	  "sriov_drivers_autoprobe, VF counts, VF drivers, the VFs of guests that are gone\n"
	  "(see reconcile), static VF settings, pools: one line per change.\n",
	  apply_opts, VS_NEED_SYSFS | VS_NEED_NETLINK | VS_NEED_STATE | VS_NEED_LIBVIRT | VS_LOCAL |
	  VS_TAKES_DRY_RUN, NULL },
	{ "capture", FULL(vs_cmd_capture), "DIR", "this host's SR-IOV state, for --sysfs-root DIR",
	  "Copy this host's SR-IOV state into DIR (a new or empty directory): the sysfs\n"
	  "files virt-sriov reads, with their layout and links, and the PFs' VF tables\n"
	  "from rtnetlink in DIR/virt-sriov/vfs.json.  `virt-sriov --sysfs-root DIR list`\n"
	  "then shows this host as it was: attach DIR (as a tar file) to a bug report.\n",
	  NULL, VS_LOCAL, NULL },
	{ "help", vs_cmd_help, "[COMMAND [VERB]]", "this overview, or COMMAND's help", NULL, help_opts, 0, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

const struct vs_opt vs_global_opts[] = {
	{ "connect", 'c', 'c', "URI", "libvirt URI (default $LIBVIRT_DEFAULT_URI, then qemu:///system)", 0 },
	{ "sysfs-root", 'S', 0, "DIR", "read and write sysfs under DIR (also $VIRT_SRIOV_SYSFS_ROOT)", 0 },
	{ "json", 'j', 0, NULL, "machine-readable output", 0 },
	{ "dry-run", 'n', 'n', NULL, "show what would change, change nothing", 0 },
	{ "help", 'h', 'h', NULL, "this help", 0 },
	{ "version", 'V', 'V', NULL, "print the version", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

int vs_cli_fail(int status, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "virt-sriov: %s\n", msg);
	vs_json_note_error(status, msg); /* --json: also the document's "error" */
	return status;
}

void vs_cli_warn(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!vs_json_add_warning(msg)) /* --json: into "warnings" */
		fprintf(stderr, "virt-sriov: warning: %s\n", msg);
}

int vs_cli_fail_err(const struct vs_error *err, const char *what)
{
	if (err && err->code && err->msg[0])
		return vs_cli_fail(VS_EXIT_FAILURE, "%s", err->msg);
	return vs_cli_fail(VS_EXIT_FAILURE, "%s: %s", what, strerror(err && err->code ? -err->code : EIO));
}

const char *vs_cli_uri(const struct vs_cli *cli)
{
	const char *env;

	if (cli->uri)
		return cli->uri;
	env = getenv("LIBVIRT_DEFAULT_URI");
	if (env && *env)
		return env;
	return "qemu:///system";
}

const struct vs_command *vs_cli_find(const char *name, const char *verb)
{
	for (const struct vs_command *c = vs_commands; c->name; c++) {
		if (strcmp(c->name, name) != 0)
			continue;
		for (const struct vs_command *v = c->verbs; v && v->name && verb; v++)
			if (strcmp(v->name + strlen(c->name) + 1, verb) == 0)
				return v;
		return c;
	}
	return NULL;
}

/* The host a URI names ("qemu+ssh://root@h:22/system": h), "" for a local
 * one (test:///default, qemu:///system, qemu+unix:///session). */
static void uri_host(const char *uri, char *host, size_t len)
{
	const char *p = strstr(uri, "://"), *end;
	size_t n;

	host[0] = '\0';
	if (!p || strcspn(uri, ":/?") != (size_t)(p - uri))
		return;
	p += 3;
	end = p + strcspn(p, "/?#");
	for (const char *at = p; at < end; at++)
		if (*at == '@')
			p = at + 1;
	n = (size_t)(end - p);
	if (*p != '[' && memchr(p, ':', n))
		n = (size_t)((const char *)memchr(p, ':', n) - p);
	snprintf(host, len, "%.*s", (int)n, p);
}

/* Can this (non-root) user write there?  Where it does not exist yet: its
 * parent (the state directory is made on first use). */
static bool writable(const char *path)
{
	char parent[PATH_MAX];
	char *slash;

	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0)
		return true;
	if (errno != ENOENT || snprintf(parent, sizeof(parent), "%s", path) >= (int)sizeof(parent))
		return false;
	slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return false;
	*slash = '\0';
	return faccessat(AT_FDCWD, parent, W_OK, AT_EACCESS) == 0;
}

/* libvirt's system instance (qemu:///system, also with ?socket=): what a
 * user changes only as root; test:///, session URIs and others are the user's. */
static bool uri_is_system(const char *uri)
{
	const char *p = strstr(uri, ":///");

	return p && strncmp(p + 4, "system", 6) == 0 && (p[10] == '\0' || p[10] == '?');
}

static bool needs_root(const struct vs_cli *cli, unsigned needs)
{
	if (geteuid() == 0 || cli->dry_run)
		return false;
	return (needs & VS_NEED_NETLINK) ||
	       ((needs & VS_NEED_SYSFS) && !writable(vs_sysfs_is_live(&cli->sysfs) ? "/sys/bus/pci" : cli->sysfs.root)) ||
	       ((needs & VS_NEED_STATE) && !writable(vs_state_dir())) ||
	       ((needs & VS_NEED_LIBVIRT) && uri_is_system(vs_cli_uri(cli)));
}

/* Where devices come from: libvirt's node devices over a remote URI (this
 * machine's sysfs is another host's) or with --source libvirt. */
static int source_ready(struct vs_cli *cli, const char *host)
{
	const char *s = cli->source;

	vs_strlcpy(cli->remote, host, sizeof(cli->remote));
	if (s && strcmp(s, "libvirt") != 0 && strcmp(s, "sysfs") != 0)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: --source %s: expected libvirt or sysfs", cli->cmd->name, s);
	if (s && !strcmp(s, "sysfs") && host[0])
		return vs_cli_fail(VS_EXIT_USAGE, "%s: --source sysfs reads this machine's devices; the connection "
				   "%s is remote (host %s)", cli->cmd->name, vs_cli_uri(cli), host);
	if (s && !strcmp(s, "libvirt") && !vs_sysfs_is_live(&cli->sysfs))
		return vs_cli_fail(VS_EXIT_USAGE, "%s: --source libvirt and --sysfs-root: choose one", cli->cmd->name);
	cli->libvirt_source = host[0] || (s && !strcmp(s, "libvirt"));
	return VS_EXIT_OK;
}

int vs_cli_ready(const struct vs_getopt *g)
{
	struct vs_cli *cli = g->cli;
	unsigned needs = cli->cmd->needs | g->given;
	const char *uri = vs_cli_uri(cli);
	char host[256];
	int r;

	uri_host(uri, host, sizeof(host));
	if ((needs & VS_LOCAL) && host[0] && !(needs & VS_REMOTE_OK))
		return vs_cli_fail(VS_EXIT_USAGE, "%s%s%s needs the host: run it on %s (the connection %s is remote)",
				   cli->cmd->name, g->local_opt ? " --" : "", g->local_opt ? g->local_opt : "", host, uri);
	if ((r = source_ready(cli, host)) != VS_EXIT_OK)
		return r;
	if (host[0]) /* nothing of this machine is written for a remote host */
		needs &= ~(unsigned)(VS_NEED_SYSFS | VS_NEED_NETLINK | VS_NEED_STATE);
	if (needs_root(cli, needs))
		return vs_cli_fail(VS_EXIT_FAILURE, "%s needs root (run as root or with sudo)", cli->cmd->name);
	return VS_EXIT_OK;
}

static int global_opts(struct vs_cli *cli, int argc, char **argv, const char **sysfs_root)
{
	struct option longs[16] = { { 0 } };
	char shorts[32] = "+:";
	size_t n = 0, ns = 2;
	int c, at;

	for (const struct vs_opt *o = vs_global_opts; o->name; o++, n++) {
		longs[n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->id };
		if (o->short_name) {
			shorts[ns++] = o->short_name;
			if (o->arg)
				shorts[ns++] = ':';
		}
	}
	opterr = 0;
	/* '+': stop at the command name; its own options belong to it. */
	while (at = optind ? optind : 1, (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		switch (c) {
		case 'c': cli->uri = optarg; break;
		case 'S': *sysfs_root = optarg; break;
		case 'j': cli->json = true; break;
		case 'n': cli->dry_run = true; break;
		case 'h': vs_cli_usage(stdout, cli->prog); return VS_EXIT_DONE;
		case 'V': printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION); return VS_EXIT_DONE;
		case ':': return vs_cli_fail(VS_EXIT_USAGE, "option '%s' needs an argument", argv[at]);
		default:
			if (argv[at][1] == '-')
				return vs_cli_fail(VS_EXIT_USAGE, "unrecognized option '%.*s' (see virt-sriov --help)",
						   (int)strcspn(argv[at], "="), argv[at]);
			return vs_cli_fail(VS_EXIT_USAGE, "unrecognized option '-%c' (see virt-sriov --help)", optopt);
		}
	}
	return VS_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct vs_cli cli = { .prog = "virt-sriov", .argv = argv };
	const char *sysfs_root = NULL;
	int r = global_opts(&cli, argc, argv, &sysfs_root);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	if (vs_sysfs_init(&cli.sysfs, sysfs_root) < 0)
		return vs_cli_fail(VS_EXIT_USAGE, "--sysfs-root: path too long: %s", sysfs_root);
	if (optind >= argc)
		return vs_cli_fail(VS_EXIT_USAGE, "no command given (see virt-sriov --help)");
	cli.cmd = vs_cli_find(argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL);
	if (!cli.cmd)
		return vs_cli_fail(VS_EXIT_USAGE, "unknown command '%s' (see virt-sriov --help)", argv[optind]);
	for (const struct vs_command *c = vs_commands; c->name; c++) {
		if (strcmp(c->name, argv[optind]) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;

			optind = 0; /* let the command run its own getopt from argv[1] */
			vs_json_watch(&cli.json);
			return vs_json_finish(c->fn(&cli, sub_argc, sub_argv));
		}
	}
	return VS_EXIT_USAGE;
}
