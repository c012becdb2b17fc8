/* The state directory: ours alone, atomic writes, bounded reads, locks
 * that time out. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <cmocka.h>

#include "statedir.h"
#include "sysfs.h"

static char base[] = "/tmp/vs-test-statedir-XXXXXX";
static char dir[128];

static int setup_group(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown_group(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh, not yet existing DIR for each test. */
static int setup(void **state)
{
	static int seq;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/state%d", base, seq++);
	return 0;
}

static void put(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of DIR but . and .., space-separated, sorted. */
static void entries(char *out, size_t len)
{
	char *v[32];
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 && n < ELEMENTSOF(v))
			v[n++] = strdup(de->d_name);
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", v[i]);
		free(v[i]);
	}
}

static void assert_content(const char *name, const char *want)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	assert_int_equal(vs_statedir_read(dir, name, 4096, &text, &len, NULL), 0);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
}

static void test_ensure_creates_private_dir(void **state)
{
	struct stat sb;

	(void)state;
	assert_int_equal(vs_statedir_ensure(dir, NULL), 0);
	assert_int_equal(lstat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0700);
	/* an existing one that is not writable by others is fine as it is */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(vs_statedir_ensure(dir, NULL), 0);
}

static void test_write_replaces_no_temp_left(void **state)
{
	char names[256], path[PATH_MAX];
	struct stat sb;
	ino_t first;
	mode_t old;

	(void)state;
	assert_int_equal(vs_statedir_write(dir, "a.json", "old", 3, NULL), 0);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	/* libvirtd's umask, whatever it is, does not decide the mode */
	old = umask(0277);
	assert_int_equal(vs_statedir_write(dir, "b.json", "b", 1, NULL), 0);
	umask(old);
	entries(names, sizeof(names));
	assert_string_equal(names, "a.json b.json");
	assert_content("a.json", "old");
	snprintf(path, sizeof(path), "%s/b.json", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	snprintf(path, sizeof(path), "%s/a.json", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	first = sb.st_ino;

	/* a new file renamed over the old, never the old rewritten in place */
	assert_int_equal(vs_statedir_write(dir, "a.json", "new content", 11, NULL), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_ino != first);
	assert_content("a.json", "new content");
	entries(names, sizeof(names));
	assert_string_equal(names, "a.json b.json");
}

static void test_failed_write_leaves_no_temp(void **state)
{
	char path[PATH_MAX], names[256];
	struct vs_error err = { 0 };

	(void)state;
	/* rename() cannot replace a non-empty directory */
	snprintf(path, sizeof(path), "%s/x.json", dir);
	assert_int_equal(vs_statedir_ensure(dir, NULL), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	put("x.json/keep", "");
	assert_true(vs_statedir_write(dir, "x.json", "data", 4, &err) < 0);
	assert_non_null(strstr(err.msg, path));
	entries(names, sizeof(names));
	assert_string_equal(names, "x.json");
}

/* A crash after the temporary file is written and before the rename: the
 * file keeps its old content and the leftover is not taken for it. */
static void test_crash_before_rename_keeps_old(void **state)
{
	char **v = NULL;

	(void)state;
	assert_int_equal(vs_statedir_write(dir, "g.json", "{\"old\":1}", 9, NULL), 0);
	put("g.json.Ab3xYz", "{\"new\":1}");
	assert_content("g.json", "{\"old\":1}");
	assert_int_equal(vs_statedir_list(dir, ".json", &v, NULL), 1);
	assert_string_equal(v[0], "g");
	vs_strv_free(v);
	/* the next write does not trip over it */
	assert_int_equal(vs_statedir_write(dir, "g.json", "{\"new\":2}", 9, NULL), 0);
	assert_content("g.json", "{\"new\":2}");
}

static void test_symlinked_dir_refused(void **state)
{
	char real[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	struct vs_error err = { 0 };
	char **v = NULL;
	int fd = -1;

	(void)state;
	snprintf(real, sizeof(real), "%s.real", dir);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, dir), 0);
	assert_int_equal(vs_statedir_ensure(dir, &err), -ELOOP);
	assert_non_null(strstr(err.msg, dir));
	assert_non_null(strstr(err.msg, "symlink"));
	assert_int_equal(vs_statedir_write(dir, "a.json", "x", 1, NULL), -ELOOP);
	assert_int_equal(vs_statedir_read(dir, "a.json", 10, &text, NULL, NULL), -ELOOP);
	assert_int_equal(vs_statedir_lock(dir, NULL, 0, &fd, NULL), -ELOOP);
	assert_int_equal(fd, -1);
	assert_int_equal(vs_statedir_lock(dir, "a.lock", 0, &fd, NULL), -ELOOP);
	assert_int_equal(vs_statedir_list(dir, ".json", &v, NULL), -ELOOP);
	assert_int_equal(vs_statedir_remove(dir, "a.json", NULL), -ELOOP);
	/* nothing went through the link */
	snprintf(real + strlen(real), sizeof(real) - strlen(real), "/a.json");
	assert_int_equal(access(real, F_OK), -1);
}

static void test_not_a_directory(void **state)
{
	struct vs_error err = { 0 };

	(void)state;
	fclose(fopen(dir, "w"));
	assert_int_equal(vs_statedir_write(dir, "a.json", "x", 1, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "not a directory"));
}

static void test_symlinked_file_refused(void **state)
{
	char victim[PATH_MAX], link[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	struct vs_error err = { 0 };
	int fd = -1;

	(void)state;
	assert_int_equal(vs_statedir_ensure(dir, NULL), 0);
	snprintf(victim, sizeof(victim), "%s.victim", dir);
	snprintf(link, sizeof(link), "%s/s.json", dir);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(vs_statedir_lock(dir, "s.json", 0, &fd, NULL), -ELOOP);
	assert_int_equal(access(victim, F_OK), -1);        /* not created through the link */
	{
		FILE *f = fopen(victim, "w");

		assert_non_null(f);
		fputs("secret", f);
		fclose(f);
	}
	assert_int_equal(vs_statedir_read(dir, "s.json", 100, &text, NULL, &err), -ELOOP);
	assert_null(text);
	assert_non_null(strstr(err.msg, link));
	/* a write replaces the link itself and leaves its target alone */
	assert_int_equal(vs_statedir_write(dir, "s.json", "mine", 4, NULL), 0);
	assert_content("s.json", "mine");
	{
		char buf[16] = "";
		FILE *f = fopen(victim, "r");

		assert_non_null(f);
		assert_non_null(fgets(buf, sizeof(buf), f));
		fclose(f);
		assert_string_equal(buf, "secret");
	}
}

static void test_not_a_regular_file(void **state)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	struct vs_error err = { 0 };

	(void)state;
	assert_int_equal(vs_statedir_ensure(dir, NULL), 0);
	snprintf(path, sizeof(path), "%s/f.json", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* returns at once: a FIFO must not hang the hook */
	assert_int_equal(vs_statedir_read(dir, "f.json", 100, &text, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

static void test_writable_by_others_refused(void **state)
{
	_cleanup_free_ char *text = NULL;
	struct vs_error err = { 0 };
	char **v = NULL;
	int fd = -1;

	(void)state;
	assert_int_equal(vs_statedir_write(dir, "a.json", "x", 1, NULL), 0);
	assert_int_equal(chmod(dir, 0770), 0);
	assert_int_equal(vs_statedir_ensure(dir, &err), -EPERM);
	assert_non_null(strstr(err.msg, dir));
	assert_non_null(strstr(err.msg, "0770"));
	assert_int_equal(vs_statedir_read(dir, "a.json", 10, &text, NULL, NULL), -EPERM);
	assert_int_equal(vs_statedir_write(dir, "a.json", "y", 1, NULL), -EPERM);
	assert_int_equal(vs_statedir_lock(dir, NULL, 0, &fd, NULL), -EPERM);
	assert_int_equal(vs_statedir_list(dir, ".json", &v, NULL), -EPERM);
	assert_int_equal(chmod(dir, 0702), 0);
	assert_int_equal(vs_statedir_ensure(dir, NULL), -EPERM);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_content("a.json", "x");
}

/* Only root can make a file or directory another user's. */
static void test_owned_by_another_user_refused(void **state)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	struct vs_error err = { 0 };

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(vs_statedir_write(dir, "a.json", "x", 1, NULL), 0);
	snprintf(path, sizeof(path), "%s/a.json", dir);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(vs_statedir_read(dir, "a.json", 10, &text, NULL, &err), -EPERM);
	assert_non_null(strstr(err.msg, "uid 65534"));
	assert_int_equal(chown(path, 0, 0), 0);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	vs_error_clear(&err);
	assert_int_equal(vs_statedir_ensure(dir, &err), -EPERM);
	assert_non_null(strstr(err.msg, "uid 65534"));
}

static void test_read_bounded(void **state)
{
	_cleanup_free_ char *text = NULL;
	struct vs_error err = { 0 };
	char **v = NULL;

	(void)state;
	/* missing directory, then missing file: -ENOENT and no message */
	assert_int_equal(vs_statedir_read(dir, "a.json", 10, &text, NULL, &err), -ENOENT);
	assert_int_equal(vs_statedir_list(dir, ".json", &v, &err), 0);
	assert_null(v[0]);
	vs_strv_free(v);
	assert_int_equal(vs_statedir_remove(dir, "a.json", &err), 0);
	assert_int_equal(vs_statedir_ensure(dir, NULL), 0);
	assert_int_equal(vs_statedir_read(dir, "a.json", 10, &text, NULL, &err), -ENOENT);
	assert_int_equal(err.code, 0);
	assert_int_equal(access(dir, F_OK), 0);

	assert_int_equal(vs_statedir_write(dir, "a.json", "0123456789", 10, NULL), 0);
	assert_int_equal(vs_statedir_read(dir, "a.json", 9, &text, NULL, &err), -EFBIG);
	assert_null(text);
	assert_non_null(strstr(err.msg, "a.json"));
	assert_content("a.json", "0123456789");
	assert_int_equal(vs_statedir_write(dir, "empty", "", 0, NULL), 0);
	assert_content("empty", "");
}

static void test_bad_names(void **state)
{
	static const char *const bad[] = { "", ".", "..", "../a.json", "sub/a.json" };
	_cleanup_free_ char *text = NULL;
	int fd = -1;

	(void)state;
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		assert_int_equal(vs_statedir_write(dir, bad[i], "x", 1, NULL), -EINVAL);
		assert_int_equal(vs_statedir_read(dir, bad[i], 10, &text, NULL, NULL), -EINVAL);
		assert_int_equal(vs_statedir_remove(dir, bad[i], NULL), -EINVAL);
		assert_int_equal(vs_statedir_lock(dir, bad[i], 0, &fd, NULL), -EINVAL);
	}
}

static void test_list_remove(void **state)
{
	char **v = NULL, names[256];

	(void)state;
	assert_int_equal(vs_statedir_write(dir, "b.json", "", 0, NULL), 0);
	assert_int_equal(vs_statedir_write(dir, "a.json", "", 0, NULL), 0);
	assert_int_equal(vs_statedir_write(dir, "c.txt", "", 0, NULL), 0);
	assert_int_equal(vs_statedir_write(dir, ".json", "", 0, NULL), 0);
	assert_int_equal(vs_statedir_list(dir, ".json", &v, NULL), 2);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b");
	assert_null(v[2]);
	vs_strv_free(v);
	assert_int_equal(vs_statedir_remove(dir, "a.json", NULL), 0);
	assert_int_equal(vs_statedir_remove(dir, "a.json", NULL), 0);
	entries(names, sizeof(names));
	assert_string_equal(names, ".json b.json c.txt");
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void test_lock_times_out(void **state)
{
	char path[PATH_MAX];
	struct vs_error err = { 0 };
	int a = -1, b = -1, c = -1, other;
	long long t0;

	(void)state;
	assert_int_equal(vs_statedir_lock(dir, "x.lock", 0, &a, NULL), 0);
	/* another open file description of the same file conflicts */
	t0 = ms_now();
	assert_int_equal(vs_statedir_lock(dir, "x.lock", 60, &b, &err), -ETIMEDOUT);
	assert_true(ms_now() - t0 >= 60);
	assert_int_equal(b, -1);
	snprintf(path, sizeof(path), "%s/x.lock", dir);
	assert_non_null(strstr(err.msg, path));
	/* the directory lock and another name are other locks */
	assert_int_equal(vs_statedir_lock(dir, NULL, 0, &b, NULL), 0);
	assert_int_equal(vs_statedir_lock(dir, "y.lock", 0, &c, NULL), 0);
	close(c);
	close(a);
	assert_int_equal(vs_statedir_lock(dir, "x.lock", 0, &a, NULL), 0);
	close(a);

	/* the directory lock, held through an fd of our own (as flock(1) does) */
	close(b);
	other = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX), 0);
	vs_error_clear(&err);
	assert_int_equal(vs_statedir_lock(dir, NULL, 20, &b, &err), -ETIMEDOUT);
	assert_non_null(strstr(err.msg, "cannot lock"));
	close(other);
	assert_int_equal(vs_statedir_lock(dir, NULL, 0, &b, NULL), 0);
	close(b);
}

static void test_lock_of_killed_holder_freed(void **state)
{
	int pipefd[2], fd = -1, status;
	pid_t child;
	char c;

	(void)state;
	assert_int_equal(pipe(pipefd), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (vs_statedir_lock(dir, "k.lock", 0, &fd, NULL) == 0 && write(pipefd[1], "L", 1) == 1)
			pause();
		_exit(1);
	}
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	assert_int_equal(vs_statedir_lock(dir, "k.lock", 30, &fd, NULL), -ETIMEDOUT);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	assert_int_equal(vs_statedir_lock(dir, "k.lock", 0, &fd, NULL), 0);
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A lock file removed by its holder: whoever waited on it locks the name
 * anew rather than hold a lock on a file nobody else can see, and no
 * lock file is left behind. */
static void test_lock_removed_by_holder(void **state)
{
	char path[PATH_MAX];
	int a = -1, b = -1, p[2], st;
	char c;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/g.lock", dir);
	assert_int_equal(vs_statedir_lock(dir, "g.lock", 100, &a, NULL), 0);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* waits on the file a holds, then must end up on a fresh one
		 * (a's copy here would hold the lock: flock is per open file) */
		close(a);
		if (write(p[1], "x", 1) != 1 || vs_statedir_lock(dir, "g.lock", 3000, &b, NULL) < 0)
			_exit(1);
		_exit(access(path, F_OK) == 0 ? 0 : 2);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	usleep(100 * 1000);
	assert_int_equal(vs_statedir_unlock_remove(dir, "g.lock", a), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* the child's lock file, no longer held: removed by the next holder */
	assert_int_equal(vs_statedir_lock(dir, "g.lock", 100, &b, NULL), 0);
	assert_int_equal(vs_statedir_unlock_remove(dir, "g.lock", b), 0);
	assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ensure_creates_private_dir, setup),
		cmocka_unit_test_setup(test_lock_removed_by_holder, setup),
		cmocka_unit_test_setup(test_write_replaces_no_temp_left, setup),
		cmocka_unit_test_setup(test_failed_write_leaves_no_temp, setup),
		cmocka_unit_test_setup(test_crash_before_rename_keeps_old, setup),
		cmocka_unit_test_setup(test_symlinked_dir_refused, setup),
		cmocka_unit_test_setup(test_not_a_directory, setup),
		cmocka_unit_test_setup(test_symlinked_file_refused, setup),
		cmocka_unit_test_setup(test_not_a_regular_file, setup),
		cmocka_unit_test_setup(test_writable_by_others_refused, setup),
		cmocka_unit_test_setup(test_owned_by_another_user_refused, setup),
		cmocka_unit_test_setup(test_read_bounded, setup),
		cmocka_unit_test_setup(test_bad_names, setup),
		cmocka_unit_test_setup(test_list_remove, setup),
		cmocka_unit_test_setup(test_lock_times_out, setup),
		cmocka_unit_test_setup(test_lock_of_killed_holder_freed, setup),
	};

	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
