/* The configuration file parser: sections, the hook's keys and gates, and
 * the refusals with FILE:LINE (apply's keys: test-conf-setup.c). */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf-sample.h"
#include "conf.h"

static void test_conf_parse(void **state)
{
	struct vs_conf c;
	struct vs_error err = { 0 };

	assert_int_equal(vs_conf_parse_string(conf_text, "t.conf", &c, &err), 0);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.sections[0].kind, VS_CONF_DEFAULTS);
	assert_true(c.sections[0].defaults.max_tx_rate == 100);
	assert_string_equal(c.sections[1].name, "8086:1521");
	assert_int_equal(c.sections[1].allow_trust_on, 1);
	assert_int_equal(c.sections[1].allow_spoofchk_off, -1);
	assert_int_equal(c.sections[3].kind, VS_CONF_POOL);
	assert_int_equal(c.sections[3].line, 12);
	assert_string_equal(c.sections[4].name, "0000:03:00.0");
	vs_conf_free(&c);
}

static void expect_conf_error(const char *text, const char *needle)
{
	struct vs_conf c;
	struct vs_error err = { 0 };

	assert_int_equal(vs_conf_parse_string(text, "/etc/x.conf", &c, &err), -EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("error '%s' does not mention '%s'", err.msg, needle);
}

/* [rate-group NAME]: its PF and its rates, found for the PF it names (or
 * for any PF when it names none); rate-group the setting in [pf]. */
static void test_conf_rate_group(void **state)
{
	static const char text[] = "[rate-group gold]\npf = em1\nmax-tx-rate = 1000\nmin-tx-rate = 100\n"
				   "[rate-group any]\n[pf em1]\nrate-group = gold\n";
	char *em1[] = { "em1", NULL }, *em2[] = { "em2", NULL };
	struct vs_pf a = { .address = "0000:05:00.0", .netdevs = em1 }, b = { .address = "0000:06:00.0", .netdevs = em2 };
	const struct vs_conf_section *g;
	struct vs_conf c;
	struct vs_error err = { 0 };

	assert_int_equal(vs_conf_parse_string(text, "/etc/x.conf", &c, &err), 0);
	g = vs_conf_rate_group(&c, "gold", &a);
	assert_non_null(g);
	assert_int_equal(g->defaults.max_tx_rate, 1000);
	assert_int_equal(g->defaults.min_tx_rate, 100);
	assert_null(vs_conf_rate_group(&c, "gold", &b));
	assert_non_null(vs_conf_rate_group(&c, "any", &b));
	assert_null(vs_conf_rate_group(&c, "silver", &a));
	assert_string_equal(c.sections[2].defaults.rate_group, "gold");
	vs_conf_free(&c);
	expect_conf_error("[rate-group none]\n", "[rate-group none]: not a rate group name");
	expect_conf_error("[rate-group a]\ntrust = on\n", "unknown key 'trust' in [rate-group]");
	expect_conf_error("[rate-group a]\n[rate-group a]\n", "section [rate-group a] given twice");
}

static void test_conf_errors(void **state)
{
	expect_conf_error("[defaults]\nspofchk = off\n", "/etc/x.conf:2: unknown key 'spofchk'");
	expect_conf_error("trust = on\n", "/etc/x.conf:1: 'trust' outside a section");
	expect_conf_error("[vf em1]\n", "/etc/x.conf:1: unknown section [vf]");
	expect_conf_error("[pf]\n", "[pf] needs a name");
	expect_conf_error("[defaults x]\n", "[defaults] takes no name");
	expect_conf_error("[pf em1]\n[pf em1]\n", "/etc/x.conf:2: section [pf em1] given twice (first at line 1)");
	/* vendor:device in either case names the same kind */
	expect_conf_error("[pf 8086:152a]\n[pf 8086:152A]\n", "/etc/x.conf:2: section [pf 8086:152a] given twice");
	expect_conf_error("[pf em1]\ntrust = on\ntrust = off\n", "/etc/x.conf:3: 'trust' given twice");
	expect_conf_error("[pf em1]\nvlan = 5000\n", "/etc/x.conf:2: vlan 5000: out of range (0-4094)");
	expect_conf_error("[pf em1]\nallow-trust-on = perhaps\n", "allow-trust-on 'perhaps'");
	expect_conf_error("[pf em1]\nmac = 52:54:00:00:00:01\n", "unknown key 'mac'");
	expect_conf_error("[pf ../../x]\n", "[pf ../../x]: expected a netdev name");
	/* lspci's short address: the hook asks no sysfs which domain it means */
	expect_conf_error("[pf 01:00.0]\n", "[pf 01:00.0]: write the full PCI address (0000:01:00.0 in domain 0000)");
	expect_conf_error("[vfs 19:00.1#0-3]\n", "[vfs 19:00.1]: write the full PCI address (0000:19:00.1");
	expect_conf_error("[pool a/b]\n", "not a valid network name");
	expect_conf_error("[pf em1\n", "must end with ']'");
	expect_conf_error("[pf em1]\njust words\n", "/etc/x.conf:2: expected 'key = value'");
}

static void test_conf_missing_file(void **state)
{
	struct vs_conf c;

	assert_int_equal(vs_conf_load("/nonexistent/virt-sriov.conf", &c, NULL), 0);
	assert_int_equal(c.n, 0);
	vs_conf_free(&c);
}

/* A scratch directory for files with chosen modes, owners and kinds. */
static const char *in_dir(const char *dir, const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void expect_load_error(const char *path, int code, const char *needle)
{
	struct vs_conf c;
	struct vs_error err = { 0 };

	assert_int_equal(vs_conf_load(path, &c, &err), code);
	if (!strstr(err.msg, needle) || !strstr(err.msg, path))
		fail_msg("error '%s' does not name %s and '%s'", err.msg, path, needle);
}

/* Whoever can write the file opens the gates: like sshd's StrictModes. */
static void test_conf_file_trust(void **state)
{
	char dir[] = "/tmp/test-conf.XXXXXX", target[600];
	const char *p;
	struct vs_conf c;

	assert_non_null(mkdtemp(dir));
	p = in_dir(dir, "ok.conf");
	write_file(p, "[pf em1]\nallow-trust-on = yes\n", 0644);
	assert_int_equal(vs_conf_load(p, &c, NULL), 0);
	assert_int_equal(c.n, 1);
	vs_conf_free(&c);
	/* a symlink to a good file is an admin's choice: the final file counts */
	snprintf(target, sizeof(target), "%s", p);
	p = in_dir(dir, "link.conf");
	assert_int_equal(symlink(target, p), 0);
	assert_int_equal(vs_conf_load(p, &c, NULL), 0);
	assert_int_equal(c.n, 1);
	vs_conf_free(&c);
	p = in_dir(dir, "world.conf");
	write_file(p, "[pf em1]\nallow-trust-on = yes\n", 0666);
	expect_load_error(p, -EPERM, "chmod go-w");
	p = in_dir(dir, "group.conf");
	write_file(p, "", 0620);
	expect_load_error(p, -EPERM, "mode 0620");
	if (geteuid() == 0) {
		p = in_dir(dir, "owner.conf");
		write_file(p, "", 0644);
		assert_int_equal(chown(p, 4321, 0), 0);
		expect_load_error(p, -EPERM, "uid 4321");
	}
	snprintf(target, sizeof(target), "rm -rf '%s'", dir);
	assert_int_equal(system(target), 0);
}

static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("vs_conf_load blocked");
}

/* Not a regular file: refused at once, never read as empty, never waited on. */
static void test_conf_file_kinds(void **state)
{
	char dir[] = "/tmp/test-conf.XXXXXX", cmd[600];
	const char *p;

	assert_non_null(mkdtemp(dir));
	signal(SIGALRM, on_alarm);
	alarm(5);
	p = in_dir(dir, "fifo.conf");
	assert_int_equal(mkfifo(p, 0600), 0);
	expect_load_error(p, -EINVAL, "not a regular file");
	alarm(0);
	p = in_dir(dir, "dangling.conf");
	assert_int_equal(symlink("/nonexistent/virt-sriov.conf", p), 0);
	expect_load_error(p, -ENOENT, "dangling symlink");
	p = in_dir(dir, "dir.conf");
	assert_int_equal(mkdir(p, 0755), 0);
	expect_load_error(p, -EINVAL, "not a regular file");
	expect_load_error("/dev/null", -EINVAL, "not a regular file");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_parse),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_rate_group),
		cmocka_unit_test(test_conf_missing_file),
		cmocka_unit_test(test_conf_file_trust),
		cmocka_unit_test(test_conf_file_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
