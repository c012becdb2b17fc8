/* gen-host-tree: write a realistic Linux sysfs host tree for tests,
 * the demo and the benchmark.
 *
 * Usage: gen-host-tree [--profile NAME]... [--pf SPEC]... [--no-iommu]
 *                      [--no-vfio-pci] OUTDIR
 *        gen-host-tree --help     (lists profiles and SPEC keys)
 *
 * Writes OUTDIR/sys/{devices,bus/pci,class/net,kernel/iommu_groups,firmware}
 * and OUTDIR/proc/cmdline.  Every PCI device gets the attribute files the
 * kernel has (vendor, device, class, resource, numa_node, ...) and a binary
 * `config` whose capabilities (PCI Express, AER, ARI, SR-IOV, ACS) agree with
 * the sysfs attributes, so that real libpci/lspci decode the same numbers:
 *   lspci -A linux-sysfs -O sysfs.path=OUTDIR/sys/bus/pci -vvv
 * VF addresses follow the PF's routing ID + First VF Offset + n * VF Stride,
 * as the hardware computes them.  A VF's config space reads 0xffff for its
 * vendor and device IDs, as on real hardware; sysfs `vendor`/`device` carry
 * the IDs the kernel derives from the PF.
 *
 * --pf SPEC is a comma-separated key=value list (see --help); total=0 makes a
 * plain PCI Express device without the SR-IOV capability.  Profiles are lists
 * of such SPECs; several --profile/--pf combine into one tree and colliding
 * addresses, bus ranges or netdev names are refused.
 * Exit: 0 written, 1 write failure or inconsistent tree, 2 usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "pciaddr.h"
#include "vftables.h"

#define CFG_SIZE 4096
#define NAME_MAX_ 32
#define IFNAME_MAX 16

enum broken { BR_NONE, BR_PHYSFN, BR_CONFIG, BR_NUMVFS };

/* One PCI function given by --pf or a profile line. */
struct spec {
	unsigned dom, bus, slot, fn;
	bool has_addr;
	unsigned vendor, device, vfvendor, vfdevice, subvendor, subdevice;
	unsigned cls, rev;
	int total, num, initial, offset, stride, vfio, numa;
	int acs, sharegroup, autoprobe, broken;
	char driver[NAME_MAX_], vfdriver[NAME_MAX_];
	char netdev[IFNAME_MAX], vfnetdev[IFNAME_MAX];
};

enum kind { K_HOSTBRIDGE, K_ROOTPORT, K_EP, K_VF };

struct dev {
	enum kind kind;
	unsigned dom, bus, devfn;
	const struct spec *sp;  /* own spec; the PF's for a VF; NULL for bridges */
	int vfn;                /* VF number */
	int pf;                 /* index of the PF (VFs) */
	int rp;                 /* index of the root port above, -1 on bus 0 */
	int group;              /* IOMMU group */
	int first_vf;           /* PFs: index of VF 0 */
	unsigned sec, sub;      /* root ports */
	int acs, numa;
	char addr[24];
	char rel[160];          /* path under OUTDIR/sys */
	char driver[NAME_MAX_], netdev[IFNAME_MAX];
};

/* A netdevsim device (--netdevsim): an SR-IOV PF that is no PCI device. */
struct nsim {
	unsigned id;
	int numvfs, max;
	char netdev[IFNAME_MAX];
};

struct gen {
	const char *out;
	struct spec *specs;
	size_t n_specs;
	struct nsim *nsims;
	size_t n_nsims;
	struct dev *devs;
	size_t n_devs, alloc;
	bool iommu, vfio_pci;
	bool vf_settings;       /* --vf-settings: OUTDIR/virt-sriov/vfs.json */
	int next_ifindex;
};

/* ---------- small helpers ---------- */

static void die(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void die(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("gen-host-tree: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die(1, "out of memory");
	return p;
}

static void fmt_addr(char *buf, size_t len, unsigned dom, unsigned bus, unsigned devfn)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", dom, bus, devfn >> 3, devfn & 7);
}

/* ---------- SPEC parsing (table-driven) ---------- */

enum ktype { KT_INT, KT_HEX, KT_IDPAIR, KT_STR, KT_ADDR, KT_CLASS, KT_BROKEN, KT_IFNAME };

struct key {
	const char *name;
	enum ktype type;
	size_t off, off2;  /* second field of id pairs */
	long min, max;     /* ints: range; strings: max length */
	const char *help;
};

#define F(x) offsetof(struct spec, x)
static const struct key keys[] = {
	{ "addr", KT_ADDR, F(dom), 0, 0, 0, "PCI address DDDD:BB:SS.F (required)" },
	{ "id", KT_IDPAIR, F(vendor), F(device), 0, 0xffff, "vendor:device, hex (8086:1521)" },
	{ "vfid", KT_IDPAIR, F(vfvendor), F(vfdevice), 0, 0xffff, "VF vendor:device (8086:1520)" },
	{ "subsys", KT_IDPAIR, F(subvendor), F(subdevice), 0, 0xffff, "subsystem vendor:device" },
	{ "class", KT_CLASS, F(cls), 0, 0, 0xffffff, "class, 4 or 6 hex digits (0200, 010802)" },
	{ "rev", KT_HEX, F(rev), 0, 0, 0xff, "revision, hex" },
	{ "total", KT_INT, F(total), 0, 0, 65535, "TotalVFs; 0 = no SR-IOV capability" },
	{ "num", KT_INT, F(num), 0, 0, 65535, "NumVFs (VFs present)" },
	{ "initial", KT_INT, F(initial), 0, 0, 65535, "InitialVFs (default total)" },
	{ "offset", KT_INT, F(offset), 0, 1, 65535, "First VF Offset" },
	{ "stride", KT_INT, F(stride), 0, 1, 65535, "VF Stride" },
	{ "driver", KT_STR, F(driver), 0, 0, NAME_MAX_ - 1, "PF driver; none = unbound" },
	{ "netdev", KT_IFNAME, F(netdev), 0, 0, IFNAME_MAX - 1, "PF netdev name" },
	{ "vfdriver", KT_STR, F(vfdriver), 0, 0, NAME_MAX_ - 1, "VF driver (igbvf, vfio-pci, none)" },
	{ "vfnetdev", KT_IFNAME, F(vfnetdev), 0, 0, IFNAME_MAX - 3, "VF netdev prefix: PREFIXvN" },
	{ "vfio", KT_INT, F(vfio), 0, 0, 65535, "first N VFs bound to vfio-pci" },
	{ "numa", KT_INT, F(numa), 0, -1, 63, "NUMA node (-1 none)" },
	{ "acs", KT_INT, F(acs), 0, 0, 1, "root port above has ACS (default 1)" },
	{ "sharegroup", KT_INT, F(sharegroup), 0, 0, 1, "VFs share the PF's IOMMU group" },
	{ "autoprobe", KT_INT, F(autoprobe), 0, 0, 1, "sriov_drivers_autoprobe" },
	{ "broken", KT_BROKEN, F(broken), 0, 0, 0, "physfn | config | numvfs" },
};
#undef F

static void spec_defaults(struct spec *s)
{
	*s = (struct spec){ .vendor = 0x8086, .device = 0x1521, .vfvendor = 0x8086,
			    .vfdevice = 0x1520, .cls = 0x020000, .rev = 1, .total = 7,
			    .initial = -1, .offset = 128, .stride = 4, .acs = 1,
			    .autoprobe = 1, .subvendor = 0, .subdevice = 0 };
	strcpy(s->driver, "igb");
	strcpy(s->vfdriver, "igbvf");
}

static bool parse_num(const char *v, int base, long *out)
{
	char *end;
	if (!*v)
		return false;
	errno = 0;
	*out = strtol(v, &end, base);
	return !errno && !*end;
}

static bool parse_hexn(const char *v, size_t digits, unsigned *out)
{
	long n;
	if (strlen(v) != digits || strspn(v, "0123456789abcdefABCDEF") != digits)
		return false;
	if (!parse_num(v, 16, &n))
		return false;
	*out = (unsigned)n;
	return true;
}

/* The library's parser, so that a tree can only hold addresses virt-sriov
 * itself reads; the generator's own domain limit is kept on top. */
static bool parse_addr(const char *v, struct spec *s)
{
	struct vs_pci_addr a;

	if (vs_pci_addr_parse(v, &a) < 0 || a.domain > 0xfffff)
		return false;
	s->dom = a.domain, s->bus = a.bus, s->slot = a.slot, s->fn = a.function, s->has_addr = true;
	return true;
}

static bool parse_ifname(const char *v, size_t max)
{
	return *v && strlen(v) <= max && strspn(v, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(v);
}

static bool parse_value(const struct key *k, const char *v, struct spec *s)
{
	char *base = (char *)s;
	unsigned a, b;
	long n;

	switch (k->type) {
	case KT_INT:
		if (!parse_num(v, 10, &n) || n < k->min || n > k->max)
			return false;
		*(int *)(base + k->off) = (int)n;
		return true;
	case KT_HEX:
		if (strlen(v) > 2 || !parse_hexn(v, strlen(v), &a))
			return false;
		*(unsigned *)(base + k->off) = a;
		return true;
	case KT_IDPAIR:
		if (strlen(v) != 9 || v[4] != ':')
			return false;
		{
			char l[5] = { v[0], v[1], v[2], v[3], 0 };
			if (!parse_hexn(l, 4, &a) || !parse_hexn(v + 5, 4, &b))
				return false;
		}
		*(unsigned *)(base + k->off) = a;
		*(unsigned *)(base + k->off2) = b;
		return true;
	case KT_CLASS:
		if (parse_hexn(v, 4, &a))
			a <<= 8;
		else if (!parse_hexn(v, 6, &a))
			return false;
		*(unsigned *)(base + k->off) = a;
		return true;
	case KT_ADDR:
		return parse_addr(v, s);
	case KT_BROKEN:
		n = !strcmp(v, "physfn") ? BR_PHYSFN : !strcmp(v, "config") ? BR_CONFIG
		  : !strcmp(v, "numvfs") ? BR_NUMVFS : -1;
		s->broken = (int)n;
		return n >= 0;
	case KT_IFNAME:
		if (!parse_ifname(v, (size_t)k->max))
			return false;
		strcpy(base + k->off, v);
		return true;
	case KT_STR:
		if (!*v || strlen(v) > (size_t)k->max || strchr(v, '/'))
			return false;
		strcpy(base + k->off, v);
		return true;
	}
	return false;
}

static const struct key *find_key(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == len && !strncmp(keys[i].name, name, len))
			return &keys[i];
	return NULL;
}

static void check_spec(const char *text, const struct spec *s)
{
	if (!s->has_addr)
		die(2, "--pf '%s': addr=DDDD:BB:SS.F is required", text);
	if (s->num > s->total)
		die(2, "--pf '%s': num=%d is above total=%d", text, s->num, s->total);
	if (s->vfio > s->num)
		die(2, "--pf '%s': vfio=%d is above num=%d", text, s->vfio, s->num);
	if (s->initial > s->total)
		die(2, "--pf '%s': initial=%d is above total=%d", text, s->initial, s->total);
}

/* Parse one SPEC; exits 2 naming the key and value that are wrong. */
static void parse_spec(const char *text, struct spec *s)
{
	const char *p = text;

	spec_defaults(s);
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);
		char val[128];

		if (!eq)
			die(2, "--pf '%s': '%.*s' is not key=value", text, (int)len, p);
		const struct key *k = find_key(p, (size_t)(eq - p));
		if (!k)
			die(2, "--pf '%s': unknown key '%.*s'", text, (int)(eq - p), p);
		if ((size_t)(p + len - eq - 1) >= sizeof(val))
			die(2, "--pf '%s': value of %s is too long", text, k->name);
		snprintf(val, sizeof(val), "%.*s", (int)(p + len - eq - 1), eq + 1);
		if (!parse_value(k, val, s))
			die(2, "--pf '%s': bad value '%s' for %s (%s)", text, val, k->name, k->help);
		p += len + (p[len] == ',');
	}
	if (s->initial < 0)
		s->initial = s->total;
	check_spec(text, s);
}

/* ---------- profiles: data only ---------- */

#define I350 "id=8086:1521,subsys=1028:1f60,vfid=8086:1520,total=7,offset=128,stride=4,driver=igb,vfdriver=igbvf,rev=01"
#define X520 "id=8086:10fb,subsys=8086:0003,vfid=8086:10ed,total=63,offset=128,stride=2,driver=ixgbe,vfdriver=ixgbevf,rev=01"
#define HI1822 "id=19e5:1822,subsys=19e5:d139,vfid=19e5:375e,total=120,offset=1,stride=1,driver=hinic,vfdriver=hinic,rev=45"
#define PLAIN "total=0,num=0"

struct profile {
	const char *name, *help;
	const char *specs[8];
};

static const struct profile profiles[] = {
	{ "r730", "Dell R730: I350 em1..em4 (em1/em2 7 VFs), 82599ES pair, SATA", {
		"addr=0000:01:00.0," I350 ",num=7,netdev=em1,vfnetdev=em1,numa=0",
		"addr=0000:01:00.1," I350 ",num=7,netdev=em2,vfnetdev=em2,numa=0",
		"addr=0000:01:00.2," I350 ",num=0,netdev=em3,numa=0",
		"addr=0000:01:00.3," I350 ",num=0,netdev=em4,numa=0",
		"addr=0000:19:00.0," X520 ",num=4,vfio=4,netdev=p2p1,numa=1",
		"addr=0000:19:00.1," X520 ",num=0,netdev=p2p2,numa=1",
		"addr=0000:00:1f.2,id=8086:8d02,subsys=1028:0600,class=010601,driver=ahci,rev=05,numa=0," PLAIN,
	} },
	{ "hi1822", "Huawei Hi1822 PFs 03:00.0..06:00.0, some VFs on vfio-pci", {
		"addr=0000:03:00.0," HI1822 ",num=4,vfio=2,netdev=enp3s0,vfnetdev=enp3s0,numa=0",
		"addr=0000:04:00.0," HI1822 ",num=2,netdev=enp4s0,vfnetdev=enp4s0,numa=0",
		"addr=0000:05:00.0," HI1822 ",num=0,netdev=enp5s0,numa=1",
		"addr=0000:06:00.0," HI1822 ",num=0,netdev=enp6s0,numa=1",
	} },
	{ "many-vfs", "Intel X710 PF with 24 VFs (virtfn10 ordering)", {
		"addr=0000:3b:00.0,id=8086:1572,subsys=8086:0000,vfid=8086:154c,total=32,num=24,"
		"offset=16,stride=1,driver=i40e,vfdriver=iavf,netdev=ens2f0,vfnetdev=ens2f0,numa=0,rev=02",
	} },
	{ "domain", "ConnectX-5 PF in domain 0001 and an E810 PF in VMD domain 10000", {
		"addr=0001:01:00.0,id=15b3:1017,subsys=15b3:0020,vfid=15b3:1018,total=8,num=2,offset=2,"
		"stride=1,driver=mlx5_core,vfdriver=mlx5_core,netdev=enP1p1s0f0,vfnetdev=enP1p1s0f0,numa=0,rev=00",
		"addr=10000:01:00.0,id=8086:1592,subsys=8086:0002,vfid=8086:1889,total=16,num=2,offset=8,"
		"stride=1,driver=ice,vfdriver=iavf,netdev=enP65536p1s0,vfnetdev=vmdvf,numa=0,rev=02",
	} },
	{ "nvme", "QEMU NVMe PF (class 0108, no netdev) with 4 VFs", {
		"addr=0000:5e:00.0,id=1b36:0010,subsys=1af4:1100,vfid=1b36:0010,class=010802,total=8,"
		"num=4,vfio=2,offset=1,stride=1,driver=nvme,vfdriver=nvme,numa=0,rev=02",
	} },
	{ "no-sriov", "Intel 82574L NIC without the SR-IOV capability", {
		"addr=0000:60:00.0,id=8086:10d3,subsys=8086:a01f,driver=e1000e,netdev=eno1,numa=0," PLAIN,
	} },
	{ "shared-group", "I350 PF whose 2 VFs share the PF's IOMMU group", {
		"addr=0000:61:00.0," I350 ",num=2,sharegroup=1,netdev=sg0,vfnetdev=sg0,numa=0",
	} },
	{ "no-acs", "I350 PF behind a root port without ACS", {
		"addr=0000:62:00.0," I350 ",num=2,acs=0,netdev=na0,vfnetdev=na0,numa=0",
	} },
	{ "broken-physfn", "PF whose VF 1 has a physfn link to a missing device", {
		"addr=0000:70:00.0," I350 ",num=2,broken=physfn,netdev=bp0,vfnetdev=bp0,numa=0",
	} },
	{ "broken-config", "PF whose config is a dangling symlink (unreadable, even by root)", {
		"addr=0000:71:00.0," I350 ",num=2,broken=config,netdev=bc0,vfnetdev=bc0,numa=0",
	} },
	{ "broken-numvfs", "PF with 'seven' in sriov_numvfs", {
		"addr=0000:72:00.0," I350 ",num=2,broken=numvfs,netdev=bn0,vfnetdev=bn0,numa=0",
	} },
};

/* ---------- building the device list ---------- */

static struct dev *new_dev(struct gen *g, enum kind kind, unsigned dom, unsigned bus, unsigned devfn)
{
	if (g->n_devs == g->alloc) {
		g->alloc = g->alloc ? g->alloc * 2 : 256;
		g->devs = xrealloc(g->devs, g->alloc * sizeof(*g->devs));
	}
	struct dev *d = &g->devs[g->n_devs++];
	memset(d, 0, sizeof(*d));
	*d = (struct dev){ .kind = kind, .dom = dom, .bus = bus, .devfn = devfn,
			   .pf = -1, .rp = -1, .first_vf = -1, .acs = 1 };
	fmt_addr(d->addr, sizeof(d->addr), dom, bus, devfn);
	return d;
}

static void add_spec(struct gen *g, const char *text)
{
	g->specs = xrealloc(g->specs, (g->n_specs + 1) * sizeof(*g->specs));
	parse_spec(text, &g->specs[g->n_specs++]);
}

static void add_profile(struct gen *g, const char *name)
{
	unsigned p, v;
	char extra;

	if (sscanf(name, "big:%ux%u%c", &p, &v, &extra) == 2) {
		/* VF n sits at PF RID + 1 + n: each PF needs v/256 + 1 buses from 80 up */
		if (p < 1 || v < 1 || v > 4096 || 0x80 + p * (v / 256 + 1) > 0x100)
			die(2, "--profile '%s': P x (V/256 + 1) buses must fit in buses 80..ff", name);
		for (unsigned i = 0; i < p; i++) {
			char buf[512];
			unsigned bus = 0x80 + i * (v / 256 + 1);
			snprintf(buf, sizeof(buf), "addr=0000:%02x:00.0,id=8086:1592,subsys=8086:0002,"
				 "vfid=8086:1889,total=%u,num=%u,offset=1,stride=1,driver=ice,"
				 "vfdriver=iavf,netdev=ens%uf0,vfnetdev=ens%uf0,numa=%u,rev=02",
				 bus, v < 256 ? 256 : v, v, i + 1, i + 1, i % 2);
			add_spec(g, buf);
		}
		return;
	}
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		if (strcmp(profiles[i].name, name))
			continue;
		for (size_t j = 0; j < 8 && profiles[i].specs[j]; j++)
			add_spec(g, profiles[i].specs[j]);
		return;
	}
	die(2, "unknown profile '%s' (see --help)", name);
}

static void set_names(struct dev *d, const char *driver, const char *netdev)
{
	if (driver && strcmp(driver, "none"))
		snprintf(d->driver, sizeof(d->driver), "%s", driver);
	if (netdev)
		snprintf(d->netdev, sizeof(d->netdev), "%s", netdev);
}

static void add_vfs(struct gen *g, size_t pf_idx)
{
	const struct spec *s = g->devs[pf_idx].sp;
	unsigned rid0 = (g->devs[pf_idx].bus << 8) | g->devs[pf_idx].devfn;

	g->devs[pf_idx].first_vf = (int)g->n_devs;
	for (int n = 0; n < s->num; n++) {
		unsigned rid = rid0 + (unsigned)s->offset + (unsigned)n * (unsigned)s->stride;
		char ifname[40]; /* PREFIX is at most 13 chars, n at most 65535 */

		if (rid > 0xffff)
			die(1, "%s: VF %d would be beyond bus ff (offset %d, stride %d)",
			    g->devs[pf_idx].addr, n, s->offset, s->stride);
		struct dev *vf = new_dev(g, K_VF, g->devs[pf_idx].dom, rid >> 8, rid & 0xff);
		vf->sp = s, vf->vfn = n, vf->pf = (int)pf_idx, vf->numa = s->numa;
		snprintf(ifname, sizeof(ifname), "%sv%d", s->vfnetdev, n);
		if (strlen(ifname) >= IFNAME_MAX)
			die(2, "%s: VF netdev name %s is longer than 15 characters", g->devs[pf_idx].addr, ifname);
		bool vfio = n < s->vfio || !strcmp(s->vfdriver, "vfio-pci");
		set_names(vf, vfio ? "vfio-pci" : s->vfdriver,
			  vfio || !s->vfnetdev[0] || !strcmp(s->vfdriver, "none") ? NULL : ifname);
	}
}

static void add_spec_devs(struct gen *g)
{
	for (size_t i = 0; i < g->n_specs; i++) {
		const struct spec *s = &g->specs[i];
		struct dev *d = new_dev(g, K_EP, s->dom, s->bus, s->slot << 3 | s->fn);
		d->sp = s, d->numa = s->numa, d->acs = s->acs;
		set_names(d, s->driver, s->netdev[0] ? s->netdev : NULL);
		if (s->total > 0)
			add_vfs(g, g->n_devs - 1);
	}
}

static int find_dev(const struct gen *g, unsigned dom, unsigned bus, unsigned devfn)
{
	for (size_t i = 0; i < g->n_devs; i++)
		if (g->devs[i].dom == dom && g->devs[i].bus == bus && g->devs[i].devfn == devfn)
			return (int)i;
	return -1;
}

static int find_rp(const struct gen *g, unsigned dom, unsigned sec)
{
	for (size_t i = 0; i < g->n_devs; i++)
		if (g->devs[i].kind == K_ROOTPORT && g->devs[i].dom == dom && g->devs[i].sec == sec)
			return (int)i;
	return -1;
}

static unsigned free_rp_devfn(const struct gen *g, unsigned dom, const char *who)
{
	for (unsigned slot = 1; slot < 32; slot++)
		if (find_dev(g, dom, 0, slot << 3) < 0)
			return slot << 3;
	die(1, "no free slot on bus %04x:00 for the root port of %s", dom, who);
}

/* One root port per (domain, bus) of non-VF devices, one host bridge per domain. */
static void add_bridges(struct gen *g)
{
	size_t n = g->n_devs;

	for (size_t i = 0; i < n; i++) {
		struct dev *d = &g->devs[i];
		if (d->kind != K_EP || d->bus == 0)
			continue;
		int rp = find_rp(g, d->dom, d->bus);
		if (rp < 0) {
			unsigned devfn = free_rp_devfn(g, d->dom, d->addr);
			struct dev *r = new_dev(g, K_ROOTPORT, d->dom, 0, devfn);
			d = &g->devs[i];
			r->sec = r->sub = d->bus, r->numa = d->numa;
			set_names(r, "pcieport", NULL);
			rp = (int)(g->n_devs - 1);
		}
		g->devs[rp].acs &= d->acs;
		d->rp = rp;
	}
	for (size_t i = 0; i < n; i++) {
		struct dev *d = &g->devs[i];
		if (d->kind == K_VF)
			d->rp = g->devs[d->pf].rp;
		if (d->rp >= 0 && d->bus > g->devs[d->rp].sub)
			g->devs[d->rp].sub = d->bus;
	}
	for (size_t i = 0; i < n; i++)
		if (find_dev(g, g->devs[i].dom, 0, 0) < 0) {
			struct dev *h = new_dev(g, K_HOSTBRIDGE, g->devs[i].dom, 0, 0);
			h->numa = g->devs[i].numa;
		}
}

static void check_collisions(const struct gen *g)
{
	for (size_t i = 0; i < g->n_devs; i++) {
		const struct dev *a = &g->devs[i];
		if (find_dev(g, a->dom, a->bus, a->devfn) != (int)i)
			die(1, "two devices at %s (check --pf/--profile addresses and VF offsets)", a->addr);
		for (size_t j = 0; j < g->n_devs && a->kind != K_HOSTBRIDGE; j++) {
			const struct dev *b = &g->devs[j];
			if (b->kind != K_ROOTPORT || (int)j == a->rp || b->dom != a->dom)
				continue;
			if (a->bus >= b->sec && a->bus <= b->sub)
				die(1, "%s is on bus %02x, inside the range of root port %s",
				    a->addr, a->bus, b->addr);
		}
	}
}

static int cmp_netdev(const void *a, const void *b)
{
	return strcmp((*(const struct dev *const *)a)->netdev, (*(const struct dev *const *)b)->netdev);
}

/* Refuse a netdev name given twice before anything is written. */
static void check_netdevs(const struct gen *g)
{
	const struct dev **v = xrealloc(NULL, (g->n_devs + 1) * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < g->n_devs; i++)
		if (g->devs[i].netdev[0])
			v[n++] = &g->devs[i];
	qsort(v, n, sizeof(*v), cmp_netdev);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i]->netdev, v[i - 1]->netdev))
			die(1, "netdev %s is given twice (%s and %s)", v[i]->netdev, v[i - 1]->addr, v[i]->addr);
	free(v);
}

static void assign_paths_groups(struct gen *g)
{
	int group = 0;

	for (size_t i = 0; i < g->n_devs; i++) {
		struct dev *d = &g->devs[i];
		if (d->rp >= 0)
			snprintf(d->rel, sizeof(d->rel), "devices/pci%04x:00/%s/%s",
				 d->dom, g->devs[d->rp].addr, d->addr);
		else
			snprintf(d->rel, sizeof(d->rel), "devices/pci%04x:00/%s", d->dom, d->addr);
		bool share = d->kind == K_VF && d->sp->sharegroup;
		d->group = share ? g->devs[d->pf].group : group++;
	}
}

/* ---------- config space ---------- */

static void put16(uint8_t *c, unsigned off, unsigned v) { c[off] = v & 0xff; c[off + 1] = (v >> 8) & 0xff; }
static void put32(uint8_t *c, unsigned off, uint32_t v) { put16(c, off, v & 0xffff); put16(c, off + 2, v >> 16); }

static bool is_multifunction(const struct gen *g, const struct dev *d)
{
	if (d->kind == K_VF)
		return false;
	for (size_t i = 0; i < g->n_devs; i++) {
		const struct dev *o = &g->devs[i];
		if (o != d && o->kind != K_VF && o->dom == d->dom && o->bus == d->bus &&
		    o->devfn >> 3 == d->devfn >> 3)
			return true;
	}
	return false;
}

static uint64_t bar_base(size_t idx) { return 0x380000000000ULL + (uint64_t)idx * 0x100000; }
static uint64_t vf_bar_base(size_t idx) { return 0x390000000000ULL + (uint64_t)idx * 0x10000000; }
#define VF_BAR_SIZE 0x4000ULL

/* Broadwell-EP IDs: DMI2 host bridge, root ports 1..3 spread over the slots. */
static unsigned bridge_device_id(const struct dev *d)
{
	return d->kind == K_ROOTPORT ? 0x6f02 + ((d->devfn >> 3) - 1) % 10 : 0x6f00;
}

static void cfg_header(const struct gen *g, const struct dev *d, size_t idx, uint8_t *c)
{
	bool vf = d->kind == K_VF, bridge = d->kind == K_ROOTPORT;
	unsigned cls = d->sp ? d->sp->cls : bridge ? 0x060400 : 0x060000;

	put16(c, 0x00, vf ? 0xffff : d->sp ? d->sp->vendor : 0x8086);
	put16(c, 0x02, vf ? 0xffff : d->sp ? d->sp->device : bridge_device_id(d));
	put16(c, 0x04, vf ? 0x0004 : 0x0406 | bridge);
	put16(c, 0x06, d->kind == K_HOSTBRIDGE ? 0 : 0x0010);
	c[0x08] = (uint8_t)(d->sp ? d->sp->rev : 1);
	c[0x09] = cls & 0xff, c[0x0a] = (cls >> 8) & 0xff, c[0x0b] = (cls >> 16) & 0xff;
	c[0x0e] = (uint8_t)((bridge ? 1 : 0) | (is_multifunction(g, d) ? 0x80 : 0));
	if (bridge) {
		c[0x18] = 0, c[0x19] = (uint8_t)d->sec, c[0x1a] = (uint8_t)d->sub;
		put16(c, 0x20, 0xfff0), put16(c, 0x24, 0xfff1), c[0x1c] = 0xf0;
	} else if (d->kind == K_EP) {
		put32(c, 0x10, (uint32_t)bar_base(idx) | 0x4);
		put32(c, 0x14, (uint32_t)(bar_base(idx) >> 32));
		put16(c, 0x2c, d->sp->subvendor ? d->sp->subvendor : d->sp->vendor);
		put16(c, 0x2e, d->sp->subvendor ? d->sp->subdevice : 0);
	} else if (vf) {
		put16(c, 0x2c, d->sp->subvendor ? d->sp->subvendor : d->sp->vendor);
		put16(c, 0x2e, d->sp->subvendor ? d->sp->subdevice : 0);
	}
	if (d->kind != K_HOSTBRIDGE)
		c[0x34] = 0x40;
	c[0x3c] = vf ? 0 : (uint8_t)(16 + idx % 32);
	c[0x3d] = vf || d->kind == K_HOSTBRIDGE ? 0 : 1;
}

/* PCI Express capability (v2) at 0x40: endpoint or root port. */
static void cfg_pcie(const struct dev *d, uint8_t *c)
{
	bool rp = d->kind == K_ROOTPORT;

	c[0x40] = 0x10, c[0x41] = 0;
	put16(c, 0x42, 0x0002 | (rp ? 0x0140 : 0x0000));
	put32(c, 0x44, rp ? 0x00008001 : 0x10008fc2);          /* DevCap; FLR on endpoints */
	put16(c, 0x48, 0x2810 | (rp ? 0x000f : 0));
	put32(c, 0x4c, 0x3 | (8 << 4) | (3 << 10) | ((rp ? (d->devfn >> 3) : 0) << 24));
	put16(c, 0x52, 0x3 | (8 << 4) | (rp ? 0x2000 : 0));   /* LnkSta; DLActive on root ports */
	if (rp)
		put32(c, 0x54, 0x00040060 | ((d->devfn >> 3) << 19)); /* SltCap: hot-plug surprise, slot number */
	put32(c, 0x64, rp ? 0x0000003f : 0x0000001f);          /* DevCap2: ARI forwarding on root ports */
	put16(c, 0x68, rp ? 0x0020 : 0x0000);                  /* DevCtl2: ARI forwarding enabled */
	put32(c, 0x6c, 0x0000000e);                            /* LnkCap2: 2.5/5/8 GT/s */
	put16(c, 0x70, 0x0003);
}

static void ext_cap(uint8_t *c, unsigned *prev, unsigned off, unsigned id, unsigned ver)
{
	put32(c, off, id | (ver << 16));
	if (*prev)
		put32(c, *prev, (c[*prev] | (c[*prev + 1] << 8) | (c[*prev + 2] << 16) |
				 ((uint32_t)c[*prev + 3] << 24)) | (off << 20));
	*prev = off;
}

static unsigned ari_next_fn(const struct gen *g, const struct dev *d)
{
	for (unsigned fn = (d->devfn & 0xff) + 1; fn < 256 && d->kind == K_EP; fn++) {
		int o = find_dev(g, d->dom, d->bus, fn);
		if (o >= 0 && g->devs[o].kind == K_EP)
			return fn;
	}
	return 0;
}

static void cfg_sriov(const struct dev *d, size_t idx, uint8_t *c, unsigned off)
{
	const struct spec *s = d->sp;
	unsigned ctl = (s->num ? 0x0009 : 0) | ((d->devfn & 7) == 0 ? 0x0010 : 0);

	put32(c, off + 0x04, (d->devfn & 7) == 0 ? 0x00000002 : 0);
	put16(c, off + 0x08, ctl);
	put16(c, off + 0x0c, (unsigned)s->initial);
	put16(c, off + 0x0e, (unsigned)s->total);
	put16(c, off + 0x10, (unsigned)s->num);
	c[off + 0x12] = (uint8_t)(d->devfn & 0xff);
	put16(c, off + 0x14, (unsigned)s->offset);
	put16(c, off + 0x16, (unsigned)s->stride);
	put16(c, off + 0x1a, s->vfdevice);
	put32(c, off + 0x1c, 0x00000553);
	put32(c, off + 0x20, 0x00000001);
	put32(c, off + 0x24, (uint32_t)vf_bar_base(idx) | 0x4);
	put32(c, off + 0x28, (uint32_t)(vf_bar_base(idx) >> 32));
}

static void build_config(const struct gen *g, const struct dev *d, size_t idx, uint8_t *c)
{
	unsigned prev = 0;

	memset(c, 0, CFG_SIZE);
	cfg_header(g, d, idx, c);
	if (d->kind == K_HOSTBRIDGE)
		return;
	cfg_pcie(d, c);
	ext_cap(c, &prev, 0x100, 0x0001, 2);                   /* AER */
	if (d->kind == K_ROOTPORT) {
		if (d->acs) {
			ext_cap(c, &prev, 0x150, 0x000d, 1);
			put16(c, 0x154, 0x001f);                       /* SV TB RR CR UF */
			put16(c, 0x156, 0x001d);                       /* SV RR CR UF enabled */
		}
		return;
	}
	if (d->kind == K_VF || d->sp->total > 0) {
		ext_cap(c, &prev, 0x150, 0x000e, 1);                   /* ARI */
		put16(c, 0x154, ari_next_fn(g, d) << 8);
	}
	if (d->kind == K_EP && d->sp->total > 0) {
		ext_cap(c, &prev, 0x160, 0x0010, 1);
		cfg_sriov(d, idx, c, 0x160);
	}
}

/* ---------- writing files ---------- */

static char path_buf[PATH_MAX];

static const char *P(const struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *P(const struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(path_buf, sizeof(path_buf), "%s/", g->out);
	va_start(ap, fmt);
	vsnprintf(path_buf + n, sizeof(path_buf) - (size_t)n, fmt, ap);
	va_end(ap);
	return path_buf;
}

static void mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return;
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			die(1, "mkdir %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		die(1, "mkdir %s: %s", tmp, strerror(errno));
}

static void write_data(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) < 0)
		die(1, "write %s: %s", path, strerror(errno));
}

static void write_attr(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void write_attr(const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write_data(path, buf, (size_t)n);
}

static int depth(const char *rel)
{
	int n = 1;
	for (; *rel; rel++)
		n += *rel == '/';
	return n;
}

/* Symlink at OUTDIR/sys/FROM_DIR/NAME pointing to OUTDIR/sys/TARGET, relative like the kernel's. */
static void sys_link(const struct gen *g, const char *from_dir, const char *name, const char *target)
{
	char tgt[PATH_MAX] = "";
	size_t n = 0;

	for (int i = depth(from_dir); i > 0; i--)
		n += (size_t)snprintf(tgt + n, sizeof(tgt) - n, "../");
	snprintf(tgt + n, sizeof(tgt) - n, "%s", target);
	const char *at = P(g, "sys/%s/%s", from_dir, name);
	if (symlink(tgt, at) < 0)
		die(1, "symlink %s: %s", at, strerror(errno));
}

static void write_resource(const struct gen *g, const struct dev *d, size_t idx)
{
	char buf[17 * 64];
	size_t n = 0;
	int lines = d->kind == K_ROOTPORT ? 17 : 13;

	for (int i = 0; i < lines; i++) {
		uint64_t start = 0, size = 0;
		if (i == 0 && d->kind == K_EP)
			start = bar_base(idx), size = 0x100000;
		else if (i == 0 && d->kind == K_VF)
			start = vf_bar_base((size_t)d->pf) + (uint64_t)d->vfn * VF_BAR_SIZE, size = VF_BAR_SIZE;
		else if (i == 7 && d->kind == K_EP && d->sp->total > 0)
			start = vf_bar_base(idx), size = VF_BAR_SIZE * (uint64_t)d->sp->total;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "0x%016llx 0x%016llx 0x%016llx\n",
				      (unsigned long long)start,
				      (unsigned long long)(size ? start + size - 1 : 0),
				      size ? 0x140204ULL : 0ULL);
	}
	write_data(P(g, "sys/%s/resource", d->rel), buf, n);
}

static void ids_of(const struct dev *d, unsigned id[4])
{
	const struct spec *s = d->sp;
	bool vf = d->kind == K_VF;

	id[0] = s ? (vf ? s->vfvendor : s->vendor) : 0x8086;
	id[1] = s ? (vf ? s->vfdevice : s->device) : bridge_device_id(d);
	id[2] = s && s->subvendor ? s->subvendor : id[0];
	id[3] = s && s->subvendor ? s->subdevice : 0;
}

static void write_ids(const struct gen *g, const struct dev *d, size_t idx)
{
	unsigned id[4], cls = d->sp ? d->sp->cls : d->kind == K_ROOTPORT ? 0x060400 : 0x060000;

	ids_of(d, id);
	write_attr(P(g, "sys/%s/vendor", d->rel), "0x%04x\n", id[0]);
	write_attr(P(g, "sys/%s/device", d->rel), "0x%04x\n", id[1]);
	write_attr(P(g, "sys/%s/subsystem_vendor", d->rel), "0x%04x\n", id[2]);
	write_attr(P(g, "sys/%s/subsystem_device", d->rel), "0x%04x\n", id[3]);
	write_attr(P(g, "sys/%s/class", d->rel), "0x%06x\n", cls);
	write_attr(P(g, "sys/%s/revision", d->rel), "0x%02x\n", d->sp ? d->sp->rev : 1);
	write_attr(P(g, "sys/%s/irq", d->rel), "%d\n", d->kind == K_VF ? 0 : (int)(16 + idx % 32));
	write_attr(P(g, "sys/%s/numa_node", d->rel), "%d\n", d->numa);
	write_attr(P(g, "sys/%s/enable", d->rel), "1\n");
	/* the kernel shows an unset override as "(null)" */
	write_attr(P(g, "sys/%s/driver_override", d->rel), "(null)\n");
	write_attr(P(g, "sys/%s/modalias", d->rel), "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
		   id[0], id[1], id[2], id[3], cls >> 16, (cls >> 8) & 0xff, cls & 0xff);
}

static void write_config(const struct gen *g, const struct dev *d, size_t idx)
{
	uint8_t cfg[CFG_SIZE];

	if (d->kind == K_EP && d->sp->broken == BR_CONFIG) {
		/* a dangling link: open() fails even for root, unlike a mode-000 file */
		if (symlink("config-gone", P(g, "sys/%s/config", d->rel)) < 0)
			die(1, "symlink %s: %s", path_buf, strerror(errno));
		return;
	}
	build_config(g, d, idx, cfg);
	write_data(P(g, "sys/%s/config", d->rel), cfg, d->kind == K_HOSTBRIDGE ? 256 : CFG_SIZE);
}

static void driver_dir(const struct gen *g, const char *dir)
{
	static const char *const files[] = { "bind", "unbind", "new_id", "remove_id", "uevent" };

	if (mkdir(P(g, "sys/%s", dir), 0755) == 0)
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			write_data(P(g, "sys/%s/%s", dir, files[i]), "", 0);
}

static void write_driver(const struct gen *g, const struct dev *d)
{
	char dir[128];

	if (!d->driver[0])
		return;
	snprintf(dir, sizeof(dir), "bus/pci/drivers/%s", d->driver);
	driver_dir(g, dir);
	sys_link(g, d->rel, "driver", dir);
	sys_link(g, dir, d->addr, d->rel);
}

static void write_group(const struct gen *g, const struct dev *d)
{
	char dir[64];

	if (!g->iommu)
		return;
	snprintf(dir, sizeof(dir), "kernel/iommu_groups/%d", d->group);
	if (mkdir(P(g, "sys/%s", dir), 0755) == 0) {
		mkdir_p(P(g, "sys/%s/devices", dir));
		write_attr(P(g, "sys/%s/type", dir), "DMA\n");
		write_data(P(g, "sys/%s/reserved_regions", dir), "", 0);
	}
	sys_link(g, d->rel, "iommu_group", dir);
	strcat(dir, "/devices");
	sys_link(g, dir, d->addr, d->rel);
}

static void write_netdev(struct gen *g, const struct dev *d)
{
	char ndir[200];

	if (!d->netdev[0])
		return;
	int ifindex = g->next_ifindex++;
	snprintf(ndir, sizeof(ndir), "%s/net/%s", d->rel, d->netdev);
	mkdir_p(P(g, "sys/%s", ndir));
	write_attr(P(g, "sys/%s/address", ndir), "02:5e:%02x:%02x:%02x:%02x\n", d->bus,
		   d->devfn, (ifindex >> 8) & 0xff, ifindex & 0xff);
	write_attr(P(g, "sys/%s/ifindex", ndir), "%d\n", ifindex);
	write_attr(P(g, "sys/%s/operstate", ndir), "up\n");
	write_attr(P(g, "sys/%s/mtu", ndir), "1500\n");
	write_attr(P(g, "sys/%s/type", ndir), "1\n");
	sys_link(g, ndir, "device", d->rel);
	sys_link(g, "class/net", d->netdev, ndir);
}

static void write_sriov(const struct gen *g, const struct dev *d)
{
	const struct spec *s = d->sp;
	const char *r = d->rel;

	write_attr(P(g, "sys/%s/sriov_totalvfs", r), "%d\n", s->total);
	if (s->broken == BR_NUMVFS)
		write_attr(P(g, "sys/%s/sriov_numvfs", r), "seven\n");
	else
		write_attr(P(g, "sys/%s/sriov_numvfs", r), "%d\n", s->num);
	write_attr(P(g, "sys/%s/sriov_offset", r), "%d\n", s->offset);
	write_attr(P(g, "sys/%s/sriov_stride", r), "%d\n", s->stride);
	write_attr(P(g, "sys/%s/sriov_vf_device", r), "%x\n", s->vfdevice);
	write_attr(P(g, "sys/%s/sriov_drivers_autoprobe", r), "%d\n", s->autoprobe);
	for (int n = 0; n < s->num; n++) {
		char name[24], target[40];
		snprintf(name, sizeof(name), "virtfn%d", n);
		snprintf(target, sizeof(target), "../%s", g->devs[d->first_vf + n].addr);
		if (symlink(target, P(g, "sys/%s/%s", r, name)) < 0)
			die(1, "symlink %s: %s", path_buf, strerror(errno));
	}
}

static void write_physfn(const struct gen *g, const struct dev *d)
{
	const struct dev *pf = &g->devs[d->pf];
	char target[40];

	if (pf->sp->broken == BR_PHYSFN && d->vfn == pf->sp->num - 1)
		snprintf(target, sizeof(target), "../%04x:%02x:1f.7", d->dom, 0xff);
	else
		snprintf(target, sizeof(target), "../%s", pf->addr);
	if (symlink(target, P(g, "sys/%s/physfn", d->rel)) < 0)
		die(1, "symlink %s: %s", path_buf, strerror(errno));
}

static void write_dev(struct gen *g, size_t idx)
{
	const struct dev *d = &g->devs[idx];
	mkdir_p(P(g, "sys/%s", d->rel));
	write_ids(g, d, idx);
	write_resource(g, d, idx);
	write_config(g, d, idx);
	sys_link(g, d->rel, "subsystem", "bus/pci");
	write_driver(g, d);
	write_group(g, d);
	sys_link(g, "bus/pci/devices", d->addr, d->rel);
	if (d->kind == K_EP && d->sp->total > 0)
		write_sriov(g, d);
	if (d->kind == K_VF)
		write_physfn(g, d);
	write_netdev(g, d);
}

static void write_skeleton(const struct gen *g)
{
	static const char *const dirs[] = { "sys/bus/pci/devices", "sys/bus/pci/drivers",
		"sys/class/net", "sys/kernel/iommu_groups", "sys/firmware/acpi/tables", "proc" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mkdir_p(P(g, "%s", dirs[i]));
	write_attr(P(g, "sys/bus/pci/drivers_autoprobe"), "1\n");
	write_data(P(g, "sys/bus/pci/drivers_probe"), "", 0);
	write_attr(P(g, "proc/cmdline"), "BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=/dev/sda1 ro quiet%s\n",
		   g->iommu ? " intel_iommu=on iommu=pt" : "");
	if (g->iommu)
		write_data(P(g, "sys/firmware/acpi/tables/DMAR"), "DMAR\x50\0\0\0\x01", 9);
	if (g->vfio_pci)
		driver_dir(g, "bus/pci/drivers/vfio-pci");
}

/* ---------- netdevsim: VFs on a device of the netdevsim bus ---------- */

/* "ID,numvfs=N,netdev=NAME[,max=M]" */
static void add_nsim(struct gen *g, const char *text)
{
	struct nsim n = { .numvfs = 0, .max = -1 };
	char buf[256], *save = NULL, *tok, *end;
	unsigned long id;

	snprintf(buf, sizeof(buf), "%s", text);
	tok = strtok_r(buf, ",", &save);
	id = tok ? strtoul(tok, &end, 10) : 0;
	if (!tok || *end || end == tok || id > 65535)
		die(2, "--netdevsim %s: expected ID,numvfs=N,netdev=NAME[,max=M]", text);
	n.id = (unsigned)id;
	while ((tok = strtok_r(NULL, ",", &save))) {
		char *eq = strchr(tok, '=');
		long v;

		if (!eq)
			die(2, "--netdevsim %s: '%s' is not key=value", text, tok);
		*eq++ = 0;
		if (!strcmp(tok, "netdev") && parse_ifname(eq, IFNAME_MAX - 1))
			snprintf(n.netdev, sizeof(n.netdev), "%s", eq);
		else if ((!strcmp(tok, "numvfs") || !strcmp(tok, "max")) && parse_num(eq, 10, &v) && v >= 0 && v <= 65535)
			*(!strcmp(tok, "max") ? &n.max : &n.numvfs) = (int)v;
		else
			die(2, "--netdevsim %s: bad '%s=%s' (keys: numvfs, netdev, max)", text, tok, eq);
	}
	if (!n.netdev[0])
		die(2, "--netdevsim %s: netdev=NAME is required", text);
	if (n.max < 0)
		n.max = n.numvfs > 4 ? n.numvfs : 4; /* netdevsim's default limit is 4 */
	if (n.numvfs > n.max)
		die(2, "--netdevsim %s: numvfs=%d is above max=%d", text, n.numvfs, n.max);
	g->nsims = xrealloc(g->nsims, (g->n_nsims + 1) * sizeof(*g->nsims));
	g->nsims[g->n_nsims++] = n;
}

static void check_nsims(const struct gen *g)
{
	for (size_t i = 0; i < g->n_nsims; i++) {
		for (size_t j = 0; j < i; j++)
			if (g->nsims[j].id == g->nsims[i].id || !strcmp(g->nsims[j].netdev, g->nsims[i].netdev))
				die(1, "netdevsim%u: id or netdev %s given twice", g->nsims[i].id, g->nsims[i].netdev);
		for (size_t d = 0; d < g->n_devs; d++)
			if (!strcmp(g->devs[d].netdev, g->nsims[i].netdev))
				die(1, "netdev %s is given twice (%s and netdevsim%u)", g->nsims[i].netdev, g->devs[d].addr,
				    g->nsims[i].id);
	}
}

/* As the kernel lays it out: /sys/devices/netdevsimN with sriov_numvfs (no
 * sriov_totalvfs, no virtfn links: the VFs are no devices), the PF netdev
 * under it, the limit in debugfs netdevsim/netdevsimN/max_vfs. */
static void write_nsim(struct gen *g, const struct nsim *n)
{
	char dev[64], ndir[128], name[32];
	int ifindex = g->next_ifindex++;

	snprintf(name, sizeof(name), "netdevsim%u", n->id);
	snprintf(dev, sizeof(dev), "devices/%s", name);
	mkdir_p(P(g, "sys/%s", dev));
	mkdir_p(P(g, "sys/bus/netdevsim/devices"));
	mkdir_p(P(g, "sys/bus/netdevsim/drivers"));
	driver_dir(g, "bus/netdevsim/drivers/netdevsim");
	write_attr(P(g, "sys/%s/sriov_numvfs", dev), "%d\n", n->numvfs);
	write_data(P(g, "sys/%s/new_port", dev), "", 0);
	write_data(P(g, "sys/%s/del_port", dev), "", 0);
	sys_link(g, dev, "subsystem", "bus/netdevsim");
	sys_link(g, dev, "driver", "bus/netdevsim/drivers/netdevsim");
	sys_link(g, "bus/netdevsim/devices", name, dev);
	snprintf(ndir, sizeof(ndir), "%s/net/%s", dev, n->netdev);
	mkdir_p(P(g, "sys/%s", ndir));
	write_attr(P(g, "sys/%s/address", ndir), "02:5e:ee:%02x:%02x:%02x\n", n->id & 0xff, (ifindex >> 8) & 0xff,
		   ifindex & 0xff);
	write_attr(P(g, "sys/%s/ifindex", ndir), "%d\n", ifindex);
	write_attr(P(g, "sys/%s/operstate", ndir), "up\n");
	write_attr(P(g, "sys/%s/type", ndir), "1\n");
	sys_link(g, ndir, "device", dev);
	sys_link(g, "class/net", n->netdev, ndir);
	mkdir_p(P(g, "sys/kernel/debug/netdevsim/%s", name));
	write_attr(P(g, "sys/kernel/debug/netdevsim/%s/max_vfs", name), "%d\n", n->max);
}

/* ---------- main ---------- */

/* The VF tables a kernel would report for the tree's PFs (a captured
 * host's, vftables.h): the driver's defaults, each VF netdev's MAC (an
 * all-zero MAC for a VF without one: on vfio-pci). */
static void add_vf_entry(const struct gen *g, json_object *tables, const struct dev *d)
{
	const struct dev *pf = &g->devs[d->pf];
	char mac[32] = "00:00:00:00:00:00";
	struct vs_error err = { 0 };
	struct vs_vf_config c;
	FILE *in;

	if (d->netdev[0] && (in = fopen(P(g, "sys/%s/net/%s/address", d->rel, d->netdev), "r"))) {
		if (!fgets(mac, sizeof(mac), in))
			snprintf(mac, sizeof(mac), "00:00:00:00:00:00");
		mac[strcspn(mac, "\n")] = '\0';
		fclose(in);
	}
	vs_vf_config_reset(&c, d->vfn);
	if (vs_vf_config_parse(&c, "mac", mac, &err) < 0 || vs_vftables_add(tables, pf->netdev, &c) < 0)
		die(1, "VF table of %s: %s", pf->netdev, err.msg);
}

static void write_vf_tables(const struct gen *g)
{
	json_object *tables = vs_vftables_new();
	struct vs_error err = { 0 };

	for (size_t i = 0; i < g->n_devs; i++)
		if (g->devs[i].kind == K_VF && g->devs[g->devs[i].pf].netdev[0])
			add_vf_entry(g, tables, &g->devs[i]);
	mkdir_p(P(g, "virt-sriov"));
	if (vs_vftables_write(tables, P(g, "virt-sriov/vfs.json"), &err) < 0)
		die(1, "%s", err.msg);
	json_object_put(tables);
}

static void usage(FILE *f)
{
	fputs("Usage: gen-host-tree [--profile NAME]... [--pf SPEC]... [--netdevsim NSIM]... [--no-iommu] [--no-vfio-pci] [--vf-settings] OUTDIR\n"
	      "Write a generated Linux sysfs host tree under OUTDIR (sys/, proc/cmdline).\n\n"
	      "Profiles:\n", f);
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		fprintf(f, "  %-14s %s\n", profiles[i].name, profiles[i].help);
	fprintf(f, "  %-14s %s\n", "big:PxV", "P Intel E810 PFs with V VFs each (e.g. big:8x256)");
	fputs("\nSPEC: comma-separated key=value (defaults: an I350 port with 7 total VFs):\n", f);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fprintf(f, "  %-11s %s\n", keys[i].name, keys[i].help);
	fputs("  (offset/stride default 128/4 as on an I350; VFs get netdevs only with vfnetdev=)\n"
	      "\n--no-iommu: no DMAR table, IOMMU groups or intel_iommu=on\n"
	      "--no-vfio-pci: no vfio-pci driver directory (unless a device uses it)\n"
	      "--vf-settings: the PFs' VF tables as a kernel reports them (the driver's defaults,\n"
	      "    each VF netdev's MAC) in OUTDIR/virt-sriov/vfs.json, as virt-sriov capture writes them\n"
	      "--netdevsim ID,numvfs=N,netdev=NAME[,max=M]: a netdevsim device netdevsimID (not PCI) with\n"
	      "    sriov_numvfs N, its PF netdev NAME, and debugfs netdevsim/netdevsimID/max_vfs M\n"
	      "    (default: N, at least 4); its VFs have no devices and no PCI addresses\n"
	      "Large trees (big:8x256 is about 2,000 devices) write much faster on tmpfs (/dev/shm).\n", f);
}

static void parse_args(struct gen *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' }, { "pf", required_argument, NULL, 'f' },
		{ "no-iommu", no_argument, NULL, 'I' }, { "no-vfio-pci", no_argument, NULL, 'V' },
		{ "netdevsim", required_argument, NULL, 'N' }, { "vf-settings", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': add_profile(g, optarg); break;
		case 'f': add_spec(g, optarg); break;
		case 'I': g->iommu = false; break;
		case 'V': g->vfio_pci = false; break;
		case 'N': add_nsim(g, optarg); break;
		case 'S': g->vf_settings = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc - 1)
		die(2, "need exactly one OUTDIR (see --help)");
	if (g->n_specs == 0 && g->n_nsims == 0)
		die(2, "nothing to write: give --profile or --pf (or --netdevsim)");
	g->out = argv[optind];
}

int main(int argc, char **argv)
{
	struct gen g = { .iommu = true, .vfio_pci = true, .next_ifindex = 2 };

	parse_args(&g, argc, argv);
	add_spec_devs(&g);
	add_bridges(&g);
	check_collisions(&g);
	check_netdevs(&g);
	check_nsims(&g);
	assign_paths_groups(&g);
	mkdir_p(g.out);
	if (access(P(&g, "sys"), F_OK) == 0)
		die(1, "%s already has a sys/ tree; give an empty or new OUTDIR", g.out);
	write_skeleton(&g);
	for (size_t i = 0; i < g.n_devs; i++)
		write_dev(&g, i);
	for (size_t i = 0; i < g.n_nsims; i++)
		write_nsim(&g, &g.nsims[i]);
	if (g.vf_settings)
		write_vf_tables(&g);
	free(g.nsims);
	free(g.devs);
	free(g.specs);
	return 0;
}
