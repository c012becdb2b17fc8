/* Without libFuzzer (gcc): run a fuzz target over corpus files and
 * directories given as arguments, so that `make check` replays the corpus
 * under the sanitizers of the build. */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "rb");
	_cleanup_free_ uint8_t *buf = malloc(1 << 20);
	size_t n;

	if (!f || !buf) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	n = fread(buf, 1, 1 << 20, f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

static int replay(const char *path, int *count)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char sub[PATH_MAX];
	int bad = 0;

	if (stat(path, &sb) < 0) {
		fprintf(stderr, "%s: no such file\n", path);
		return 1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		bad |= replay(sub, count);
	}
	if (d)
		closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0, count = 0;

	for (int i = 1; i < argc; i++)
		bad |= replay(argv[i], &count);
	printf("%s: %d inputs replayed\n", argv[0], count);
	return bad || count == 0;
}
