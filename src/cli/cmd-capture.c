/* virt-sriov capture DIR
 *
 * A snapshot of this host's SR-IOV state that `--sysfs-root DIR` reads
 * back as the host it was: the sysfs files the tool reads, copied with the
 * same layout (symlinks copied as they are: the kernel's are relative, so
 * they point inside DIR), and the PFs' VF tables from rtnetlink in
 * DIR/virt-sriov/vfs.json (vftables.h).  For bug reports and the demo. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json-out.h"
#include "load.h"
#include "options.h"
#include "vftables.h"

struct capture {
	const char *src;              /* the sysfs root read ("" live) */
	const char *dst;
	size_t files, links;
	int error;                    /* first -errno of a write */
};

/* What a device's directory gives the tool (inventory, check, libpci,
 * sriov): the rest (power, msi_irqs, resource files, rom) stays out. */
static const char *const device_files[] = {
	"vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision", "numa_node", "config",
	"driver_override", "enable", "modalias", "irq", "resource", "sriov_totalvfs", "sriov_numvfs", "sriov_offset",
	"sriov_stride", "sriov_vf_device", "sriov_drivers_autoprobe", "sriov_vf_total_msix", NULL,
};
static const char *const device_links[] = { "driver", "iommu_group", "physfn", "subsystem", NULL };
static const char *const netdev_files[] = {
	"address", "ifindex", "operstate", "mtu", "phys_port_name", "phys_switch_id", "type", NULL,
};
/* Single files and the directories copied whole (their entries are
 * small: links to devices, driver controls, group types). */
static const char *const host_files[] = {
	"/proc/cmdline", "/sys/bus/pci/drivers_autoprobe", "/sys/bus/pci/drivers_probe",
	"/sys/firmware/acpi/tables/DMAR", "/sys/firmware/acpi/tables/IVRS", "/sys/firmware/acpi/tables/IORT", NULL,
};
static const char *const host_dirs[] = { "/sys/bus/pci/drivers", "/sys/kernel/iommu_groups", NULL };

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

static void note_error(struct capture *c, int r)
{
	if (r < 0 && c->error == 0)
		c->error = r;
}

static void mkdir_parents(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(buf, 0755);
		*p = '/';
	}
}

/* A file's content as the tool would read it; a file that cannot be read
 * (a write-only control: bind, new_id) is there, empty, as in the
 * generated trees. */
static void copy_file(struct capture *c, const char *rel)
{
	char from[PATH_MAX], to[PATH_MAX], buf[65536];
	_cleanup_close_ int in = -1, out = -1;
	ssize_t n = 0;

	snprintf(from, sizeof(from), "%s%s", c->src, rel);
	snprintf(to, sizeof(to), "%s%s", c->dst, rel);
	mkdir_parents(to);
	in = open(from, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (in >= 0)
		n = read(in, buf, sizeof(buf));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || (n > 0 && write(out, buf, (size_t)n) != n))
		note_error(c, -errno);
	c->files++;
}

static void copy_link(struct capture *c, const char *rel)
{
	char from[PATH_MAX], to[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(from, sizeof(from), "%s%s", c->src, rel);
	snprintf(to, sizeof(to), "%s%s", c->dst, rel);
	n = readlink(from, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	mkdir_parents(to);
	if (symlink(target, to) < 0 && errno != EEXIST)
		note_error(c, -errno);
	c->links++;
}

typedef bool (*keep_fn)(const char *name, unsigned char type, int depth);

/* rel (a directory) copied with the entries keep() wants, depth levels down. */
static void copy_dir(struct capture *c, const char *rel, keep_fn keep, int depth)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s", c->src, rel);
	d = opendir(path);
	snprintf(sub, sizeof(sub), "%s%s/", c->dst, rel);
	mkdir_parents(sub);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !keep(de->d_name, de->d_type, depth))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
		if (de->d_type == DT_LNK)
			copy_link(c, sub);
		else if (de->d_type == DT_DIR)
			copy_dir(c, sub, keep, depth + 1);
		else if (de->d_type == DT_REG)
			copy_file(c, sub);
	}
	if (d)
		closedir(d);
}

static bool keep_all(const char *name, unsigned char type, int depth)
{
	(void)name;
	(void)type;
	return depth < 3;
}

/* A PCI device's directory: its attributes, its links, its netdevs; not
 * the devices below it (a bridge's), which are copied as devices. */
static bool keep_device(const char *name, unsigned char type, int depth)
{
	if (depth == 0 && type == DT_DIR)
		return strcmp(name, "net") == 0;
	if (depth == 0 && type == DT_LNK)
		return in_list(device_links, name) || strncmp(name, "virtfn", 6) == 0;
	if (depth == 0)
		return in_list(device_files, name);
	if (depth == 1)
		return type == DT_DIR;        /* net/NAME */
	return (type == DT_REG && in_list(netdev_files, name)) || (type == DT_LNK && strcmp(name, "device") == 0);
}

/* Each device's real directory (the target of its /sys/bus/pci/devices
 * link), under the same path. */
static void copy_devices(struct capture *c)
{
	char dir[PATH_MAX], link[PATH_MAX], real[PATH_MAX], root[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/devices", c->src);
	if (!realpath(c->src[0] ? c->src : "/", root))
		return;
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(link, sizeof(link), "%s/%s", dir, de->d_name) >= sizeof(link))
			continue;
		if (!realpath(link, real) || strncmp(real, root, strlen(root)) != 0)
			continue;
		copy_dir(c, real + (strcmp(root, "/") ? strlen(root) : 0), keep_device, 0);
		snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s", de->d_name);
		copy_link(c, link);
	}
	if (d)
		closedir(d);
}

/* /sys/class/net: the links to the netdevs copied with their devices. */
static void copy_class_net(struct capture *c)
{
	char dir[PATH_MAX], rel[PATH_MAX], there[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/class/net", c->src);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "/sys/class/net/%s", de->d_name);
		copy_link(c, rel);
		snprintf(there, sizeof(there), "%s%s", c->dst, rel);
		if (stat(there, &st) < 0) {     /* lo, bridges, veths: not PCI */
			unlink(there);
			c->links--;
		}
	}
	if (d)
		closedir(d);
}

static void copy_host(struct capture *c)
{
	char path[PATH_MAX];
	struct stat st;

	copy_devices(c);
	copy_class_net(c);
	for (size_t i = 0; host_dirs[i]; i++)
		copy_dir(c, host_dirs[i], keep_all, 0);
	for (size_t i = 0; host_files[i]; i++) {
		snprintf(path, sizeof(path), "%s%s", c->src, host_files[i]);
		if (stat(path, &st) == 0)
			copy_file(c, host_files[i]);
	}
	/* check looks for the module only */
	snprintf(path, sizeof(path), "%s/sys/module/vfio_pci", c->src);
	if (stat(path, &st) == 0) {
		snprintf(path, sizeof(path), "%s/sys/module/vfio_pci/", c->dst);
		mkdir_parents(path);
	}
}

/* The VF tables as rtnetlink (or the source tree's own file) gave them:
 * only the VFs whose settings are known; no file when none is (the
 * capture then reads as its source did: settings unknown). */
static int write_tables(struct vs_cli *cli, struct capture *c, size_t *n)
{
	json_object *tables = vs_vftables_new();
	struct vs_error err = { 0 };
	struct vs_host *host = NULL;
	char path[PATH_MAX];
	int r = vs_cli_load_host(cli, NULL, VS_LOAD_SETTINGS, &host);

	for (size_t i = 0; r == VS_EXIT_OK && i < host->n_pfs; i++) {
		const struct vs_pf *pf = &host->pfs[i];

		for (size_t j = 0; pf->netdev[0] && j < pf->n_vfs; j++) {
			if (pf->vfs[j].config_known && vs_vftables_add(tables, pf->netdev, &pf->vfs[j].config) < 0)
				r = vs_cli_fail(VS_EXIT_FAILURE, "capture: out of memory");
			*n += pf->vfs[j].config_known;
		}
	}
	vs_print_host_warnings(host);
	snprintf(path, sizeof(path), "%s" VS_VFTABLES_FILE, c->dst);
	mkdir_parents(path);
	if (r == VS_EXIT_OK && *n > 0 && vs_vftables_write(tables, path, &err) < 0)
		r = vs_cli_fail_err(&err, path);
	json_object_put(tables);
	vs_host_free(host);
	return r;
}

static int parse_args(struct vs_cli *cli, int argc, char **argv, const char **dir)
{
	struct vs_getopt g;
	int r;

	if ((r = vs_cli_getopt_common(&g, cli, argc, argv)) != VS_EXIT_OK)
		return r;
	if (g.npos != 1)
		return vs_cli_fail(VS_EXIT_USAGE, "capture: expected one DIR, got %d arguments (see capture --help)",
				   g.npos);
	*dir = g.pos[0];
	return vs_cli_ready(&g);
}

static int check_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true;

	if (!d && errno == ENOENT)
		return mkdir(dir, 0755) < 0 ? vs_cli_fail(VS_EXIT_FAILURE, "capture: %s: %s", dir, strerror(errno))
					    : VS_EXIT_OK;
	if (!d)
		return vs_cli_fail(VS_EXIT_FAILURE, "capture: %s: %s", dir, strerror(errno));
	while ((de = readdir(d)))
		empty &= strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty ? VS_EXIT_OK : vs_cli_fail(VS_EXIT_FAILURE, "capture: %s is not empty", dir);
}

/* {"dir", "files", "links", "vfs"}: what the text line says */
static int print_json(const char *dst, const struct capture *c, size_t vfs)
{
	json_object *doc = vs_json_doc_new();

	if (!doc)
		return vs_cli_fail(VS_EXIT_FAILURE, "capture: out of memory");
	vs_json_set(doc, "dir", vs_json_str(dst));
	vs_json_set(doc, "files", json_object_new_int64((int64_t)c->files));
	vs_json_set(doc, "links", json_object_new_int64((int64_t)c->links));
	vs_json_set(doc, "vfs", json_object_new_int64((int64_t)vfs));
	return vs_json_doc_print(doc) < 0 ? VS_EXIT_FAILURE : VS_EXIT_OK;
}

int vs_cmd_capture(struct vs_cli *cli, int argc, char **argv)
{
	char dst[PATH_MAX];
	struct capture c = { .src = cli->sysfs.root };
	const char *dir = NULL;
	size_t vfs = 0;
	int r = parse_args(cli, argc, argv, &dir);

	if (r != VS_EXIT_OK)
		return vs_cli_stop(r);
	r = check_dir(dir);
	if (r != VS_EXIT_OK)
		return r;
	if (!realpath(dir, dst))
		return vs_cli_fail(VS_EXIT_FAILURE, "capture: %s: %s", dir, strerror(errno));
	c.dst = dst;
	copy_host(&c);
	if (c.error)
		return vs_cli_fail(VS_EXIT_FAILURE, "capture: writing under %s: %s", dst, strerror(-c.error));
	r = write_tables(cli, &c, &vfs);
	if (r != VS_EXIT_OK)
		return r;
	if (cli->json)
		return print_json(dst, &c, vfs);
	printf("%s: %zu files, %zu links, the settings of %zu VFs\n", dst, c.files, c.links, vfs);
	return VS_EXIT_OK;
}
