/* Stands in for the full hook in tests of the hook's front
 * (tests/integration/startup-libs.sh): appends its argv, one argument a
 * line, then "stdin: N bytes", to the file $VIRT_SRIOV_RECORD.  An ELF of
 * its own because a script loses argv[0] (the kernel passes the script's
 * path), and argv[0] is what tells the full hook qemu from network. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = getenv("VIRT_SRIOV_RECORD");
	FILE *f = path ? fopen(path, "ae") : NULL;
	char buf[4096];
	size_t total = 0;
	ssize_t n;

	if (!f)
		return 2;
	for (int i = 0; i < argc; i++)
		fprintf(f, "%s\n", argv[i]);
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
		total += (size_t)n;
	fprintf(f, "stdin: %zu bytes\n", total);
	return fclose(f) == 0 ? 0 : 2;
}
