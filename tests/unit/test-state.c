/* Per-guest state files: atomic, private, by UUID only. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "state.h"
#include "sysfs.h"

#define UUID1 "4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb7"
#define UUID2 "628e2f8a-1c64-4678-9543-72711a742d4c"

static char base[] = "/tmp/vs-test-state-XXXXXX";
static char dir[128];

static int setup(void **state)
{
	assert_non_null(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/virt-sriov", base);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

static void fill(struct vs_state *st, const char *uuid)
{
	struct vs_state_vf *vf;

	memset(st, 0, sizeof(*st));
	strcpy(st->uuid, uuid);
	st->name = strdup("ga");
	st->policy = strdup("<vsp:policy xmlns:vsp=\"https://virt-sriov.org/xmlns/policy/1\"/>");
	vf = vs_state_add_vf(st, "0000:03:10.1");
	assert_non_null(vf);
	strcpy(vf->pf, "em1");
	strcpy(vf->pf_address, "0000:03:00.0");
	vf->index = vf->saved.index = 0;
	vf->network = strdup("pool-list");
	vf->saved.spoofchk = 1;
	vf->saved.trust = 0;
	vf->saved.has_mac = true;
	vf->saved.link_state = 0;
	vf->saved.max_tx_rate = 0;
	vf->applied.spoofchk = 0;
	vf->applied.max_tx_rate = 4000000000LL;
}

static void test_uuid_valid(void **state)
{
	assert_true(vs_uuid_valid(UUID1));
	assert_true(vs_uuid_valid("4F1BD86D-9F62-4C8C-886A-6B0FC8FD2FB7"));
	assert_false(vs_uuid_valid("../../../../etc/passwd"));
	assert_false(vs_uuid_valid("4f1bd86d9f624c8c886a6b0fc8fd2fb7"));
	assert_false(vs_uuid_valid("4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb7/"));
	assert_false(vs_uuid_valid("4f1bd86d-9f62-4c8c-886a-6b0fc8fd2fb/"));
	assert_false(vs_uuid_valid(""));
	assert_false(vs_uuid_valid(NULL));
}

static void test_roundtrip_and_modes(void **state)
{
	struct vs_state st, back;
	char path[PATH_MAX];
	struct stat sb;
	DIR *d;
	struct dirent *de;
	int files = 0;

	fill(&st, UUID1);
	assert_int_equal(vs_state_save(dir, &st, NULL), 0);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/%s.json", dir, UUID1);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* no temporary file left behind */
	d = opendir(dir);
	while ((de = readdir(d)))
		files += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);

	assert_int_equal(vs_state_load(dir, UUID1, &back, NULL), 0);
	assert_string_equal(back.name, "ga");
	assert_string_equal(back.policy, st.policy);
	assert_int_equal(back.n, 1);
	assert_string_equal(back.vfs[0].address, "0000:03:10.1");
	assert_string_equal(back.vfs[0].pf, "em1");
	assert_string_equal(back.vfs[0].network, "pool-list");
	assert_int_equal(back.vfs[0].saved.spoofchk, 1);
	assert_int_equal(back.vfs[0].saved.trust, 0);
	assert_true(back.vfs[0].saved.has_mac);
	assert_int_equal(back.vfs[0].saved.vlan, -1);        /* not saved: not put back */
	assert_int_equal(back.vfs[0].saved.link_state, 0);
	assert_true(back.vfs[0].applied.max_tx_rate == 4000000000LL);
	vs_state_free(&back);
	vs_state_free(&st);
}

static void write_file(const char *uuid, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/%s.json", dir, uuid);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_rejects(void **state)
{
	struct vs_state st;
	struct vs_error err = { 0 };

	assert_int_equal(vs_state_load(dir, UUID2, &st, NULL), -ENOENT);
	write_file(UUID2, "not json");
	assert_int_equal(vs_state_load(dir, UUID2, &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a valid virt-sriov state file"));
	/* a file whose content names another guest */
	write_file(UUID2, "{\"uuid\":\"" UUID1 "\",\"vfs\":[]}");
	assert_int_equal(vs_state_load(dir, UUID2, &st, NULL), -EINVAL);
	write_file(UUID2, "{\"uuid\":\"" UUID2 "\",\"vfs\":[{\"address\":\"0000:03:10.1\",\"pf\":\"em1\",\"index\":0,"
			  "\"saved\":{\"vlan\":9999}}]}");
	assert_int_equal(vs_state_load(dir, UUID2, &st, NULL), -EINVAL);
	vs_error_clear(&err);
	assert_int_equal(vs_state_load(dir, "../../etc/passwd", &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a guest UUID"));
}

static void test_list_remove(void **state)
{
	struct vs_state st;
	char **uuids;
	char junk[PATH_MAX];

	fill(&st, UUID2);
	assert_int_equal(vs_state_save(dir, &st, NULL), 0);
	strcpy(st.uuid, UUID1);
	assert_int_equal(vs_state_save(dir, &st, NULL), 0);
	snprintf(junk, sizeof(junk), "%s/not-a-uuid.json", dir);
	fclose(fopen(junk, "w"));
	assert_int_equal(vs_state_list(dir, &uuids, NULL), 2);
	assert_string_equal(uuids[0], UUID1);
	assert_string_equal(uuids[1], UUID2);
	assert_null(uuids[2]);
	vs_strv_free(uuids);
	assert_int_equal(vs_state_remove(dir, UUID1, NULL), 0);
	assert_int_equal(vs_state_remove(dir, UUID1, NULL), 0);    /* already gone: fine */
	assert_int_equal(vs_state_list(dir, &uuids, NULL), 1);
	vs_strv_free(uuids);
	assert_int_equal(vs_state_list("/nonexistent/dir", &uuids, NULL), 0);
	vs_strv_free(uuids);
	vs_state_free(&st);
}

static void test_lock_times_out(void **state)
{
	int a = -1, b = -1;
	struct vs_error err = { 0 };

	assert_int_equal(vs_state_lock(dir, 50, &a, NULL), 0);
	assert_int_equal(vs_state_lock(dir, 50, &b, &err), -ETIMEDOUT);
	assert_int_equal(b, -1);
	assert_non_null(strstr(err.msg, "cannot lock"));
	close(a);
	assert_int_equal(vs_state_lock(dir, 50, &b, NULL), 0);
	close(b);
}

/* What save writes, load must read: a state over the load limit is
 * refused at save, naming the limit, and the old file stays. */
static void test_save_refuses_what_load_cannot_read(void **state)
{
	struct vs_state st, back;
	struct vs_error err = { 0 };
	size_t big = VS_STATE_MAX;

	fill(&st, UUID2);
	assert_int_equal(vs_state_save(dir, &st, NULL), 0);
	free(st.policy);
	st.policy = malloc(big + 1);
	memset(st.policy, 'x', big);
	st.policy[big] = '\0';
	assert_int_equal(vs_state_save(dir, &st, &err), -EFBIG);
	assert_non_null(strstr(err.msg, "more than"));
	assert_int_equal(vs_state_load(dir, UUID2, &back, NULL), 0);
	assert_true(strlen(back.policy) < 100);
	vs_state_free(&back);
	/* just under the limit: written and read back */
	st.policy[big - 4096] = '\0';
	assert_int_equal(vs_state_save(dir, &st, &err), 0);
	assert_int_equal(vs_state_load(dir, UUID2, &back, &err), 0);
	assert_int_equal(strlen(back.policy), big - 4096);
	vs_state_free(&back);
	vs_state_free(&st);
	assert_int_equal(vs_state_remove(dir, UUID2, NULL), 0);
}

static void test_dir_not_a_directory(void **state)
{
	char path[PATH_MAX];
	struct vs_state st;
	struct vs_error err = { 0 };

	snprintf(path, sizeof(path), "%s/file", base);
	fclose(fopen(path, "w"));
	fill(&st, UUID1);
	assert_int_equal(vs_state_save(path, &st, &err), -ENOTDIR);
	vs_state_free(&st);
}

static void touch(const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
}

static bool exists(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

#define UUID3 "8d0c3a51-2f7e-4a7b-9c11-0e5b2a6f4d10"
#define UUID4 "b2f6e1d4-7a35-4c88-a1f2-3e9d0c7b5a62"

/* What killed hooks leave goes; a held lock, a state file and its lock,
 * and files that are not the state's stay. */
static void test_sweep(void **state)
{
	struct vs_state st;
	int held = -1;

	fill(&st, UUID1);
	assert_int_equal(vs_state_save(dir, &st, NULL), 0);
	touch(UUID1 ".lock");               /* kept: its state file is there */
	touch(UUID1 ".json.Ab12Cd");        /* half-written: goes */
	touch(UUID2 ".lock");               /* orphan: goes */
	touch(UUID3 ".json.x9Y8z7");        /* half-written, no lock file: goes */
	assert_int_equal(vs_state_lock_guest(dir, UUID4, 0, &held, NULL), 0);
	touch(UUID4 ".json.QqQqQq");        /* its writer still holds the lock: stays */
	touch("notes.lock");
	assert_int_equal(vs_state_sweep(dir, NULL), 3);
	assert_true(exists(UUID1 ".json"));
	assert_true(exists(UUID1 ".lock"));
	assert_false(exists(UUID1 ".json.Ab12Cd"));
	assert_false(exists(UUID2 ".lock"));
	assert_false(exists(UUID3 ".json.x9Y8z7"));
	assert_false(exists(UUID3 ".lock"));
	assert_true(exists(UUID4 ".lock"));
	assert_true(exists(UUID4 ".json.QqQqQq"));
	assert_true(exists("notes.lock"));
	close(held);
	assert_int_equal(vs_state_sweep(dir, NULL), 2);
	assert_false(exists(UUID4 ".lock"));
	assert_int_equal(vs_state_sweep("/nonexistent/dir", NULL), 0);
	vs_state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid_valid),
		cmocka_unit_test(test_roundtrip_and_modes),
		cmocka_unit_test(test_load_rejects),
		cmocka_unit_test(test_list_remove),
		cmocka_unit_test(test_lock_times_out),
		cmocka_unit_test(test_save_refuses_what_load_cannot_read),
		cmocka_unit_test(test_dir_not_a_directory),
		cmocka_unit_test(test_sweep),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
