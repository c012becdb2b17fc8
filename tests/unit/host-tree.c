#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host-tree.h"

#ifndef GEN_HOST_TREE
#error "GEN_HOST_TREE must name the generator"
#endif

char *ht_generate(const char *const *args)
{
	char tmpl[64];
	const char *argv[32];
	size_t n = 0;
	pid_t pid;
	int status;

	/* tmpfs when there is one: thousands of small files are 50x slower on ext4 */
	snprintf(tmpl, sizeof(tmpl), "%s/vs-test-host-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmpl))
		return NULL;
	argv[n++] = GEN_HOST_TREE;
	for (; args && *args && n < 30; args++)
		argv[n++] = *args;
	argv[n++] = tmpl;
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "gen-host-tree failed for %s\n", tmpl);
		return NULL;
	}
	return strdup(tmpl);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void ht_remove(char *root)
{
	if (root)
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

int ht_put(const char *root, const char *rel, const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(content, f);
	return fclose(f) == 0 ? 0 : -errno;
}

int ht_get(const char *root, const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return (int)n;
}

int ht_link(const char *root, const char *rel, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	unlink(path);
	return symlink(target, path) == 0 ? 0 : -errno;
}

int ht_unlink(const char *root, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	return remove(path) == 0 ? 0 : -errno;
}

static struct {
	char **lines;
	size_t n, alloc;
} snap;

static int snap_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char extra[4200] = "";
	char *line;

	if (flag == FTW_SL) {
		ssize_t k = readlink(path, extra, sizeof(extra) - 1);

		extra[k < 0 ? 0 : k] = '\0';
	} else if (flag == FTW_F && st->st_size < 4096) {
		FILE *f = fopen(path, "r");
		size_t k = f ? fread(extra, 1, sizeof(extra) - 1, f) : 0;

		extra[k] = '\0';
		if (f)
			fclose(f);
	}
	if (snap.n == snap.alloc) {
		snap.alloc = snap.alloc ? snap.alloc * 2 : 256;
		snap.lines = realloc(snap.lines, snap.alloc * sizeof(*snap.lines));
	}
	if (asprintf(&line, "%s %d %o %s\n", path, flag, st->st_mode, extra) < 0)
		return -1;
	snap.lines[snap.n++] = line;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *ht_snapshot(const char *root)
{
	size_t total = 1;
	char *out;

	snap.n = 0;
	if (nftw(root, snap_one, 16, FTW_PHYS) < 0)
		return NULL;
	qsort(snap.lines, snap.n, sizeof(*snap.lines), cmp_str);
	for (size_t i = 0; i < snap.n; i++)
		total += strlen(snap.lines[i]);
	out = malloc(total);
	total = 0;
	for (size_t i = 0; i < snap.n; i++) {
		size_t k = strlen(snap.lines[i]);

		memcpy(out + total, snap.lines[i], k);
		total += k;
		free(snap.lines[i]);
	}
	out[total] = '\0';
	free(snap.lines);
	snap.lines = NULL;
	snap.alloc = 0;
	return out;
}
