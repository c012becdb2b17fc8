/* virt-sriov.conf edited for --save (conf-edit.c): comments, blank lines
 * and order kept; a key replaced on its own line (its comment kept) or
 * added after its section's last key; a section added at the end; a result
 * conf.c refuses leaves the file as it was; the file is replaced by a new
 * one (rename) with the old one's mode, and no temporary file is left. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf-edit.h"

static const char before[] =
	"# the host\n"
	"[defaults]\n"
	"spoofchk = on   # always\n"
	"\n"
	"# the first port\n"
	"[pf em1]\n"
	"numvfs = 3 ; for now\n"
	"\n"
	"# the tenants' pool\n"
	"[pool tenants]\n"
	"pf = em1\n";

struct fixture {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	FILE *out;

	strcpy(f->dir, "/tmp/test-conf-edit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/virt-sriov.conf", f->dir);
	out = fopen(f->path, "w");
	assert_non_null(out);
	fputs(before, out);
	fclose(out);
	assert_int_equal(chmod(f->path, 0640), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *in = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(in);
	assert_non_null(buf);
	(void)fread(buf, 1, 65535, in);
	fclose(in);
	return buf;
}

static size_t files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."));
	closedir(d);
	return n;
}

static void test_replace_keep_comments(void **state)
{
	struct fixture *f = *state;
	struct vs_conf_edit e;
	struct vs_error err = { 0 };
	struct stat st_before, st_after;
	char *text;

	assert_int_equal(stat(f->path, &st_before), 0);
	assert_int_equal(vs_conf_edit_open(f->path, &e, &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "pf", "em1", "numvfs", "7", &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "pf", "em1", "drivers-autoprobe", "no", &err), 0);
	assert_int_equal(vs_conf_edit_commit(&e, &err), 0);
	vs_conf_edit_free(&e);
	text = slurp(f->path);
	assert_string_equal(text,
			    "# the host\n"
			    "[defaults]\n"
			    "spoofchk = on   # always\n"
			    "\n"
			    "# the first port\n"
			    "[pf em1]\n"
			    "numvfs = 7 ; for now\n"
			    "drivers-autoprobe = no\n"
			    "\n"
			    "# the tenants' pool\n"
			    "[pool tenants]\n"
			    "pf = em1\n");
	free(text);
	/* a new file (rename), the old one's mode, nothing else left */
	assert_int_equal(stat(f->path, &st_after), 0);
	assert_int_not_equal(st_before.st_ino, st_after.st_ino);
	assert_int_equal(st_after.st_mode & 07777, 0640);
	assert_int_equal(files_in(f->dir), 1);
}

static void test_new_section(void **state)
{
	struct fixture *f = *state;
	struct vs_conf_edit e;
	struct vs_error err = { 0 };
	char *text;

	assert_int_equal(vs_conf_edit_open(f->path, &e, &err), 0);
	assert_false(vs_conf_edit_has_section(&e, "vfs", "em1#0-3"));
	assert_true(vs_conf_edit_has_section(&e, "pf", "em1"));
	assert_true(vs_conf_edit_has_section(&e, "defaults", NULL));
	assert_int_equal(vs_conf_edit_set(&e, "vfs", "em1#0-3", "driver", "vfio-pci", &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "vfs", "em1#0-3", "trust", "on", &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "vfs", "em1#0-3", "driver", "host", &err), 0);
	assert_int_equal(vs_conf_edit_commit(&e, &err), 0);
	vs_conf_edit_free(&e);
	text = slurp(f->path);
	assert_non_null(strstr(text, before));
	assert_string_equal(text + strlen(before), "\n[vfs em1#0-3]\ndriver = host\ntrust = on\n");
	free(text);
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	struct vs_conf_edit e;
	struct vs_error err = { 0 };
	char path[128], *text;
	struct stat st;

	snprintf(path, sizeof(path), "%s/sub/new.conf", f->dir);
	assert_int_equal(vs_conf_edit_open(path, &e, &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "pf", "0000:01:00.0", "numvfs", "4", &err), 0);
	assert_int_equal(vs_conf_edit_commit(&e, &err), 0);
	vs_conf_edit_free(&e);
	text = slurp(path);
	assert_string_equal(text, "[pf 0000:01:00.0]\nnumvfs = 4\n");
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

/* conf.c refuses the result: the file is as it was, the message names the
 * line, no temporary file stays */
static void test_refused(void **state)
{
	struct fixture *f = *state;
	struct vs_conf_edit e;
	struct vs_error err = { 0 };
	struct stat st_before, st_after;
	char *text;

	assert_int_equal(stat(f->path, &st_before), 0);
	assert_int_equal(vs_conf_edit_open(f->path, &e, &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "vfs", "em1#0-3", "mac", "02:00:00:00:00:01", &err), 0);
	assert_int_equal(vs_conf_edit_check(&e, &err), -EINVAL);
	assert_int_equal(vs_conf_edit_commit(&e, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "virt-sriov.conf:14:"));
	assert_non_null(strstr(err.msg, "mac"));
	vs_conf_edit_free(&e);
	text = slurp(f->path);
	assert_string_equal(text, before);
	free(text);
	assert_int_equal(stat(f->path, &st_after), 0);
	assert_int_equal(st_before.st_ino, st_after.st_ino);
	assert_int_equal(files_in(f->dir), 1);
	/* a value that would break the line is refused before */
	assert_int_equal(vs_conf_edit_open(f->path, &e, &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "pf", "em1", "numvfs", "7 # x", &err), -EINVAL);
	vs_conf_edit_free(&e);
}

/* an invalid file stays invalid: an edit does not hide the admin's error */
static void test_invalid_before(void **state)
{
	struct fixture *f = *state;
	struct vs_conf_edit e;
	struct vs_error err = { 0 };
	FILE *out = fopen(f->path, "a");

	fputs("bogus = 1\n", out);
	fclose(out);
	assert_int_equal(vs_conf_edit_open(f->path, &e, &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "pf", "em1", "numvfs", "7", &err), 0);
	assert_int_equal(vs_conf_edit_commit(&e, &err), -EINVAL);
	assert_non_null(strstr(err.msg, ":12: unknown key 'bogus'"));
	vs_conf_edit_free(&e);
}

/* a symlink is followed: the file it names is replaced, the link stays */
static void test_symlink(void **state)
{
	struct fixture *f = *state;
	struct vs_conf_edit e;
	struct vs_error err = { 0 };
	char link[128], *text;
	struct stat st;

	snprintf(link, sizeof(link), "%s/link.conf", f->dir);
	assert_int_equal(symlink("virt-sriov.conf", link), 0);
	assert_int_equal(vs_conf_edit_open(link, &e, &err), 0);
	assert_int_equal(vs_conf_edit_set(&e, "defaults", NULL, "trust", "off", &err), 0);
	assert_int_equal(vs_conf_edit_commit(&e, &err), 0);
	vs_conf_edit_free(&e);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	text = slurp(f->path);
	assert_non_null(strstr(text, "spoofchk = on   # always\ntrust = off\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_keep_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_before, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
