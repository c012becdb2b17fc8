/* ovsdb.c from the command line, for tests/integration/ovsdb-server.sh:
 *   vs-ovsdb SOCK add BRIDGE PORT | del BRIDGE PORT | hw-offload
 * Prints the error on stderr and exits 1 on failure (hw-offload prints
 * "on" or "off"). */
#include "config.h"

#include <string.h>

#include "ovsdb.h"

int main(int argc, char **argv)
{
	struct vs_ovsdb db;
	struct vs_error err = { 0 };
	bool on = false;
	int r;

	if (argc < 3 || (strcmp(argv[2], "hw-offload") != 0 && argc != 5)) {
		fprintf(stderr, "usage: vs-ovsdb SOCK add|del BRIDGE PORT | vs-ovsdb SOCK hw-offload\n");
		return 2;
	}
	r = vs_ovsdb_connect(&db, argv[1], 0, &err);
	if (r == 0 && !strcmp(argv[2], "add"))
		r = vs_ovsdb_add_port(&db, argv[3], argv[4], &err);
	else if (r == 0 && !strcmp(argv[2], "del"))
		r = vs_ovsdb_del_port(&db, argv[3], argv[4], &err);
	else if (r == 0 && !strcmp(argv[2], "hw-offload") && (r = vs_ovsdb_hw_offload(&db, &on, &err)) == 0)
		printf("%s\n", on ? "on" : "off");
	else if (r == 0 && strcmp(argv[2], "hw-offload"))
		r = vs_error_set(&err, -EINVAL, "unknown verb %s", argv[2]);
	vs_ovsdb_close(&db);
	if (r < 0)
		fprintf(stderr, "vs-ovsdb: %s\n", err.msg);
	return r < 0 ? 1 : 0;
}
