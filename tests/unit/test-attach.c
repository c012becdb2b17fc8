/* Choosing a free VF (table-driven, over inventories scanned from
 * generated host trees), the facts read from sysfs, the attach lock and
 * the reservations.  Expected values come from the trees' specs and the
 * rows' usage maps, never from the code under test. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <libvirt/libvirt.h>

#include "attach.h"
#include "fake-kernel.h"
#include "hook-exec.h"
#include "host-tree.h"
#include "inventory.h"
#include "conf.h"
#include "libvirt.h"
#include "policy.h"
#include "state.h"

struct tree {
	char *root;
	struct vs_sysfs fs;
	struct vs_host *host;
};

#define GEN(t, ...) gen(t, (const char *const[]){ __VA_ARGS__, NULL })

static void gen(struct tree *t, const char *const *args)
{
	struct vs_scan_opts opts = { .sysfs = &t->fs };
	struct vs_error err = { 0 };

	memset(t, 0, sizeof(*t));
	t->root = ht_generate(args);
	assert_non_null(t->root);
	assert_int_equal(vs_sysfs_init(&t->fs, t->root), 0);
	assert_int_equal(vs_inventory_scan(&opts, &t->host, &err), 0);
}

static void done(struct tree *t)
{
	vs_host_free(t->host);
	ht_remove(t->root);
}

/* ---- the choice, table-driven ---- */

#define NVF 6
#define END -1

/* One row: who holds what (by VF index), what is reserved, which netdevs
 * are up, which VFs share an IOMMU group with what. */
struct row {
	const char *name;
	const char *held[NVF];              /* guest per VF index; NULL free */
	int reserved[NVF + 1];              /* VF indexes, END-terminated */
	int up[NVF + 1];
	struct { int vf; int other_vf; const char *other_dev; bool other_driver; } group[3];
	bool force;
	int want;                           /* VF index chosen, or -1 */
	const char *msg;                    /* substring of the refusal */
};

static const struct row rows[] = {
	{ "all free", .reserved = { END }, .up = { END }, .want = 0 },
	{ "held by a <hostdev>", .held = { "hostdev-guest" }, .reserved = { END }, .up = { END }, .want = 1 },
	{ "held by <interface type=hostdev> and a pool port", .held = { "iface-guest", "pool-guest" },
	  .reserved = { END }, .up = { END }, .want = 2 },
	{ "reserved by an attach in flight", .reserved = { 0, 1, END }, .up = { END }, .want = 2 },
	{ "netdev up", .reserved = { END }, .up = { 0, 1, 2, END }, .want = 3 },
	{ "netdev up, --force", .reserved = { END }, .up = { 0, 1, 2, END }, .force = true, .want = 0 },
	{ "group shared with a held VF", .held = { NULL, "a" }, .reserved = { END }, .up = { END },
	  .group = { { 0, 1, NULL, false } }, .want = 2 },
	{ "group shared with a free VF", .reserved = { END }, .up = { END },
	  .group = { { 0, 1, NULL, false } }, .want = 0 },
	{ "group shared with a reserved VF", .reserved = { 1, END }, .up = { END },
	  .group = { { 0, 1, NULL, false } }, .want = 2 },
	{ "group shared with a device a driver holds", .reserved = { END }, .up = { END },
	  .group = { { 0, -1, "0000:7f:00.0", true } }, .want = 1 },
	{ "group shared with an unbound device", .reserved = { END }, .up = { END },
	  .group = { { 0, -1, "0000:7f:00.0", false } }, .want = 0 },
	{ "--force does not take a held VF", .held = { "a", "a", "a", "a", "a", "a" }, .reserved = { END },
	  .up = { END }, .force = true, .want = -1, .msg = "no free VF on PF em1 (6 VFs: 6 held by guest a)" },
	{ "nothing free: every reason counted",
	  .held = { "a", "b", NULL, NULL, NULL, "a" }, .reserved = { 2, END }, .up = { 3, END },
	  .group = { { 4, -1, "0000:7f:00.0", true } }, .want = -1,
	  .msg = "no free VF on PF em1 (6 VFs: 3 held by guests a,b, 1 reserved by attaches in flight, "
		 "1 on host driver with netdev up (--force takes them), "
		 "1 in an IOMMU group with a device in use (0000:7f:00.0))" },
};

static bool in_list(const int *l, int v)
{
	for (; *l != END; l++)
		if (*l == v)
			return true;
	return false;
}

static void run_row(struct tree *t, const struct row *row)
{
	struct vs_pf *pf = vs_host_find_pf(t->host, "em1");
	struct vs_vf_facts facts[NVF];
	struct vs_group_member members[3];
	struct vs_reservation res[NVF];
	struct vs_choose_in in = { .host = t->host, .force = row->force };
	struct vs_choose_out out;
	struct vs_error err = { 0 };
	int r;

	assert_non_null(pf);
	assert_int_equal(pf->n_vfs, NVF);
	memset(facts, 0, sizeof(facts));
	memset(res, 0, sizeof(res));
	for (size_t i = 0; i < NVF; i++) {
		free(pf->vfs[i].in_use_by);
		pf->vfs[i].in_use_by = row->held[i] ? strdup(row->held[i]) : NULL;
		facts[i].netdev_up = in_list(row->up, (int)i);
		if (in_list(row->reserved, (int)i))
			strcpy(res[in.n_reserved++].address, pf->vfs[i].address);
	}
	for (size_t g = 0; g < ELEMENTSOF(row->group) && (row->group[g].other_dev || row->group[g].other_vf > 0); g++) {
		struct vs_vf_facts *f = &facts[row->group[g].vf];

		memset(&members[g], 0, sizeof(members[g]));
		strcpy(members[g].address, row->group[g].other_dev ? row->group[g].other_dev
								   : pf->vfs[row->group[g].other_vf].address);
		members[g].has_driver = row->group[g].other_driver;
		f->group = &members[g];
		f->n_group = 1;
	}
	in.pf = pf;
	in.facts = facts;
	in.reserved = res;
	r = vs_attach_choose(&in, &out, &err);
	if (row->want >= 0) {
		if (r != 0)
			fail_msg("%s: refused: %s", row->name, err.msg);
		if (out.index != row->want)
			fail_msg("%s: chose VF %d, want %d", row->name, out.index, row->want);
	} else {
		assert_int_equal(r, -ENOSPC);
		if (!strstr(err.msg, row->msg))
			fail_msg("%s: message\n  %s\nwant\n  %s", row->name, err.msg, row->msg);
	}
}

static void test_choose_table(void **state)
{
	struct tree t;

	(void)state;
	GEN(&t, "--pf", "addr=0000:03:00.0,netdev=em1,total=8,num=6,vfio=6");
	for (size_t i = 0; i < ELEMENTSOF(rows); i++)
		run_row(&t, &rows[i]);
	done(&t);
}

static void test_choose_no_vfs(void **state)
{
	struct tree t;
	struct vs_choose_in in = { 0 };
	struct vs_choose_out out;
	struct vs_error err = { 0 };

	(void)state;
	GEN(&t, "--pf", "addr=0000:03:00.0,netdev=em1,total=8,num=0");
	in.host = t.host;
	in.pf = vs_host_find_pf(t.host, "em1");
	assert_non_null(in.pf);
	assert_int_equal(vs_attach_choose(&in, &out, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "no free VF on PF em1: it has no VFs"));
	done(&t);
}

/* ---- facts from sysfs ---- */

static void test_facts_netdev_up(void **state)
{
	struct tree t;
	struct vs_vf_facts *f = NULL;
	struct vs_choose_in in = { 0 };
	struct vs_choose_out out;
	struct vs_error err = { 0 };
	struct vs_pf *pf;

	(void)state;
	/* VFs 0-1 on vfio-pci, 2-3 on igbvf with a netdev (operstate up) */
	GEN(&t, "--pf", "addr=0000:03:00.0,netdev=em1,total=8,num=4,vfio=2,vfnetdev=em1");
	pf = vs_host_find_pf(t.host, "em1");
	assert_non_null(pf);
	assert_int_equal(vs_attach_facts(&t.fs, pf, &f, &err), 0);
	assert_false(f[0].netdev_up);
	assert_false(f[1].netdev_up);
	assert_true(f[2].netdev_up);
	assert_true(f[3].netdev_up);
	/* each VF alone in its group (ACS above): nothing shares it */
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(f[i].n_group, 0);
	in = (struct vs_choose_in){ .host = t.host, .pf = pf, .facts = f };
	pf->vfs[0].in_use_by = strdup("a");
	pf->vfs[1].in_use_by = strdup("b");
	assert_int_equal(vs_attach_choose(&in, &out, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "2 on host driver with netdev up"));
	vs_attach_facts_free(f, pf->n_vfs);
	done(&t);
}

static void test_facts_shared_group(void **state)
{
	struct tree t;
	struct vs_vf_facts *f = NULL;
	struct vs_choose_in in = { 0 };
	struct vs_choose_out out;
	struct vs_error err = { 0 };
	struct vs_pf *pf = NULL;

	(void)state;
	/* the PF (bound to igb) and its two VFs in one IOMMU group */
	GEN(&t, "--profile", "shared-group");
	assert_true(t.host->n_pfs == 1);
	pf = &t.host->pfs[0];
	assert_int_equal(pf->n_vfs, 2);
	assert_int_equal(vs_attach_facts(&t.fs, pf, &f, &err), 0);
	/* the other VF and the PF */
	assert_int_equal(f[0].n_group, 2);
	/* --force: its VFs' netdevs are up too; the group still refuses */
	in = (struct vs_choose_in){ .host = t.host, .pf = pf, .facts = f, .force = true };
	assert_int_equal(vs_attach_choose(&in, &out, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "2 in an IOMMU group with a device in use"));
	assert_non_null(strstr(err.msg, pf->address));
	vs_attach_facts_free(f, pf->n_vfs);
	done(&t);
}

/* ---- the lock ---- */

static void test_lock(void **state)
{
	struct tree t;
	char dir[4200];
	struct vs_error err = { 0 };
	int a = -1, b = -1, status;
	pid_t child;
	int pipefd[2];
	char c;

	(void)state;
	GEN(&t, "--pf", "addr=0000:03:00.0,netdev=em1,total=8,num=1");
	snprintf(dir, sizeof(dir), "%s/state", t.root);
	assert_int_equal(vs_attach_lock(dir, 0, &a, &err), 0);
	/* a second open file description conflicts, even in this process */
	assert_int_equal(vs_attach_lock(dir, 20, &b, &err), -ETIMEDOUT);
	assert_non_null(strstr(err.msg, "another attach still holds the lock"));
	close(a);
	assert_int_equal(vs_attach_lock(dir, 0, &b, NULL), 0);
	close(b);

	/* a holder killed with SIGKILL frees the lock */
	assert_int_equal(pipe(pipefd), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int fd = -1;

		if (vs_attach_lock(dir, 0, &fd, NULL) == 0 && write(pipefd[1], "L", 1) == 1)
			pause();
		_exit(1);
	}
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	assert_int_equal(vs_attach_lock(dir, 0, &a, NULL), -ETIMEDOUT);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	assert_int_equal(vs_attach_lock(dir, 0, &a, NULL), 0);
	close(a);
	close(pipefd[0]);
	close(pipefd[1]);
	done(&t);
}

/* ---- reservations ---- */

static pid_t dead_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static void test_reservations(void **state)
{
	struct tree t;
	char dir[4200];
	long long now = (long long)time(NULL);
	struct vs_reservation mine = { .address = "0000:03:10.0", .domain = "g1", .pid = getpid(), .since = now };
	struct vs_reservation fresh_dead = { .address = "0000:03:10.4", .domain = "g2", .since = now };
	struct vs_reservation old_dead = { .address = "0000:03:11.0", .domain = "g3", .since = now - VS_ATTACH_GRACE_S - 5 };
	struct vs_reservation *v = NULL;
	size_t n = 99;
	int lock = -1;

	(void)state;
	GEN(&t, "--pf", "addr=0000:03:00.0,netdev=em1,total=8,num=1");
	snprintf(dir, sizeof(dir), "%s/state", t.root);
	assert_int_equal(vs_reservations_load(dir, now, &v, &n, NULL), 0);
	assert_int_equal(n, 0);
	free(v);
	fresh_dead.pid = old_dead.pid = dead_pid();
	assert_int_equal(vs_attach_lock(dir, 0, &lock, NULL), 0);
	assert_int_equal(vs_reservation_update(dir, &old_dead, true, NULL), 0);
	assert_int_equal(vs_reservation_update(dir, &mine, true, NULL), 0);
	assert_int_equal(vs_reservation_update(dir, &fresh_dead, true, NULL), 0);
	/* alive, and dead within the grace period: in force; dead and old: not */
	assert_int_equal(vs_reservations_load(dir, now, &v, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].address, "0000:03:10.0");
	assert_string_equal(v[0].domain, "g1");
	assert_string_equal(v[1].address, "0000:03:10.4");
	free(v);
	/* once the grace period is over only the live one is left */
	assert_int_equal(vs_reservations_load(dir, now + VS_ATTACH_GRACE_S + 1, &v, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].address, "0000:03:10.0");
	free(v);
	assert_int_equal(vs_reservation_update(dir, &mine, false, NULL), 0);
	assert_int_equal(vs_reservations_load(dir, now, &v, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].address, "0000:03:10.4");
	free(v);
	/* a broken file blocks nothing */
	{
		char path[4300];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", dir, VS_ATTACH_RESERVED);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs("{ not json", fp);
		fclose(fp);
	}
	assert_int_equal(vs_reservations_load(dir, now, &v, &n, NULL), 0);
	assert_int_equal(n, 0);
	free(v);
	close(lock);
	done(&t);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* The file is replaced through a unique temporary name: a planted
 * attach-reserved.json.tmp (the name once used) is not written through, a
 * leftover of a crashed writer changes nothing, and nothing else is left. */
static void test_reservations_atomic(void **state)
{
	struct tree t;
	char dir[4200], path[4300], victim[4300];
	long long now = (long long)time(NULL);
	struct vs_reservation mine = { .address = "0000:03:10.0", .domain = "g1", .pid = getpid(), .since = now };
	struct vs_reservation *v = NULL;
	struct vs_error err = { 0 };
	struct stat sb;
	size_t n = 0;
	int lock = -1;
	FILE *fp;

	(void)state;
	GEN(&t, "--pf", "addr=0000:03:00.0,netdev=em1,total=8,num=1");
	snprintf(dir, sizeof(dir), "%s/state", t.root);
	snprintf(victim, sizeof(victim), "%s/victim", t.root);
	assert_int_equal(vs_attach_lock(dir, 0, &lock, NULL), 0);
	snprintf(path, sizeof(path), "%s/%s.tmp", dir, VS_ATTACH_RESERVED);
	assert_int_equal(symlink(victim, path), 0);
	snprintf(path, sizeof(path), "%s/%s.Xy12Zz", dir, VS_ATTACH_RESERVED);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[{\"address\":\"0000:03:10.4\",\"domain\":\"crashed\",\"pid\":1,\"since\":0}", fp);
	fclose(fp);

	assert_int_equal(vs_reservation_update(dir, &mine, true, NULL), 0);
	assert_int_equal(access(victim, F_OK), -1);
	assert_int_equal(vs_reservations_load(dir, now, &v, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].domain, "g1");
	free(v);
	snprintf(path, sizeof(path), "%s/%s", dir, VS_ATTACH_RESERVED);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(vs_reservation_update(dir, &mine, false, NULL), 0);
	/* the file, the lock and the two planted above: no temporary of ours */
	assert_int_equal(count_entries(dir), 4);

	/* a reservations file that is a symlink is refused, not followed */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(victim, path), 0);
	assert_true(vs_reservations_load(dir, now, &v, &n, &err) < 0);
	assert_non_null(strstr(err.msg, "symlink"));
	close(lock);
	done(&t);
}

/* ---- never half-applied: a live attach libvirt refuses puts the VF back ---- */

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int count_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	int n = 0, c;

	if (!fp)
		return 0;
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

/* libvirt's test driver runs its guest "test" and implements metadata but
 * not virDomainAttachDeviceFlags: the attach fails after the settings were
 * applied (to a file-backed VF table) and the rule stored. */
static void test_live_rollback(void **state)
{
	static const char vfs[] =
		"{\"em1\":[{\"index\":0,\"mac\":\"02:00:00:00:00:00\",\"vlan\":0,\"qos\":0,\"spoofchk\":true,"
		"\"trust\":false,\"link_state\":\"auto\",\"min_tx_rate\":0,\"max_tx_rate\":0},"
		"{\"index\":1,\"mac\":\"02:00:00:00:00:01\",\"vlan\":0,\"qos\":0,\"spoofchk\":true,"
		"\"trust\":false,\"link_state\":\"auto\",\"min_tx_rate\":0,\"max_tx_rate\":0}]}";
	struct tree t;
	char fake[4200], log[4300], dir[4200];
	struct vs_conf conf = { 0 };
	struct vs_hook_env hook = { 0 };
	struct vs_hook_nl kern = { NULL };
	struct vs_attach_env env = { 0 };
	struct vs_attach_req req = { .domain = "test", .kind = VS_ATTACH_HOSTDEV, .pf = "em1",
				     .flags = VIR_DOMAIN_AFFECT_LIVE };
	struct vs_attach_result res;
	struct vs_error err = { 0 };
	struct vs_state st = { 0 };
	struct vs_reservation *resv = NULL;
	size_t n = 9;
	json_object *before, *after;
	virDomainPtr dom;
	char uuid[VIR_UUID_STRING_BUFLEN], *meta;

	(void)state;
	GEN(&t, "--pf", "addr=0000:03:00.0,netdev=em1,total=8,num=2,vfio=2");
	snprintf(fake, sizeof(fake), "%s/fake.json", t.root);
	snprintf(log, sizeof(log), "%s.log", fake);
	snprintf(dir, sizeof(dir), "%s/state", t.root);
	write_file(fake, vfs);
	assert_int_equal(vs_conf_parse_string("[pf em1]\nallow-trust-on = yes\n", "host.conf", &conf, NULL), 0);
	hook.sysfs = &t.fs;
	hook.conf = &conf;
	hook.state_dir = dir;
	assert_int_equal(fk_open_file(fake, &kern.nl), 0);
	hook.kernel = &kern;
	env.hook = &hook;
	env.host = t.host;
	assert_int_equal(vs_libvirt_open("test:///default", false, &env.conn, NULL), 0);
	vs_vf_config_init(&req.cfg, -1);
	assert_int_equal(vs_vf_config_parse(&req.cfg, "trust", "on", NULL), 0);

	setenv("VIRT_SRIOV_TEMPLATE_DIR", TEMPLATE_DIR, 1);
	/* --pf takes every PF name (vfset.h); an unknown one lists the PFs */
	req.pf = "em9";
	assert_int_equal(vs_attach(&env, &req, &res, &err), -ENODEV);
	assert_string_equal(err.msg, "no PF named 'em9'; PFs: em1 (0000:03:00.0)");
	assert_int_equal(count_lines(log), 0);
	vs_error_clear(&err);
	req.pf = "03:00.0";
	assert_true(vs_attach(&env, &req, &res, &err) < 0);
	assert_non_null(strstr(err.msg, "attaching 0000:03:10.0 to guest test: "));
	/* applied (one request), then put back (a second one) */
	assert_int_equal(count_lines(log), 2);
	before = json_tokener_parse(vfs);
	after = json_object_from_file(fake);
	assert_true(json_object_equal(before, after));
	json_object_put(before);
	json_object_put(after);
	/* nothing remembered: no VF in the state file, no reservation, no rule */
	dom = virDomainLookupByName(env.conn, "test");
	assert_non_null(dom);
	assert_int_equal(virDomainGetUUIDString(dom, uuid), 0);
	if (vs_state_load(dir, uuid, &st, NULL) == 0)
		assert_int_equal(st.n, 0);
	vs_state_free(&st);
	assert_int_equal(vs_reservations_load(dir, (long long)time(NULL), &resv, &n, NULL), 0);
	assert_int_equal(n, 0);
	free(resv);
	meta = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, VS_POLICY_NS, VIR_DOMAIN_AFFECT_LIVE);
	assert_true(meta == NULL || strstr(meta, "0000:03:10.0") == NULL);
	free(meta);
	virDomainFree(dom);
	virConnectClose(env.conn);
	vs_conf_free(&conf);
	vs_hook_nl_close(&kern);
	done(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose_table),
		cmocka_unit_test(test_choose_no_vfs),
		cmocka_unit_test(test_facts_netdev_up),
		cmocka_unit_test(test_facts_shared_group),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_reservations),
		cmocka_unit_test(test_reservations_atomic),
		cmocka_unit_test(test_live_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
