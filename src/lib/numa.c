#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "numa.h"
#include "xml.h"

/* ---- bit sets ---- */

bool vs_bits_empty(const struct vs_bits *b)
{
	for (size_t i = 0; i < ELEMENTSOF(b->w); i++)
		if (b->w[i])
			return false;
	return true;
}

bool vs_bits_and(struct vs_bits *a, const struct vs_bits *b)
{
	for (size_t i = 0; i < ELEMENTSOF(a->w); i++)
		a->w[i] &= b->w[i];
	return !vs_bits_empty(a);
}

void vs_bits_format(const struct vs_bits *b, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < VS_NUMA_BITS_MAX && used < len; i++) {
		unsigned j = i;

		if (!vs_bits_has(b, i))
			continue;
		while (j + 1 < VS_NUMA_BITS_MAX && vs_bits_has(b, j + 1))
			j++;
		used += (size_t)snprintf(buf + used, len - used, j > i ? "%s%u-%u" : "%s%u", used ? "," : "", i, j);
		i = j;
	}
}

static int parse_num(const char **p, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	v = strtoul(*p, &end, 10);
	if (v >= VS_NUMA_BITS_MAX)
		return -ERANGE;
	*p = end;
	*out = (unsigned)v;
	return 0;
}

/* One item: N, N-M or ^N. */
static int parse_item(const char **p, struct vs_bits *add, struct vs_bits *sub)
{
	bool neg = **p == '^';
	unsigned a, b;

	*p += neg;
	if (parse_num(p, &a) < 0)
		return -EINVAL;
	b = a;
	if (**p == '-' && (++*p, parse_num(p, &b) < 0 || b < a))
		return -EINVAL;
	for (unsigned i = a; i <= b; i++)
		vs_bits_add(neg ? sub : add, i);
	return 0;
}

int vs_bits_parse(const char *text, const char *what, struct vs_bits *out, struct vs_error *err)
{
	struct vs_bits sub;
	const char *p = text;

	memset(out, 0, sizeof(*out));
	memset(&sub, 0, sizeof(sub));
	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (parse_item(&p, out, &sub) < 0)
			return vs_error_set(err, -EINVAL, "%s: '%s' is not a list such as 0-3,^2,8", what, text);
		while (isspace((unsigned char)*p))
			p++;
		if (*p && *p++ != ',')
			return vs_error_set(err, -EINVAL, "%s: '%s' is not a list such as 0-3,^2,8", what, text);
	}
	for (size_t i = 0; i < ELEMENTSOF(out->w); i++)
		out->w[i] &= ~sub.w[i];
	return 0;
}

/* ---- the host ---- */

void vs_numa_host_free(struct vs_numa_host *h)
{
	free(h->nodes);
	h->nodes = NULL;
	h->n = 0;
}

static int node_id(const char *name)
{
	char *end;
	long v;

	if (strncmp(name, "node", 4) != 0 || !isdigit((unsigned char)name[4]))
		return -1;
	v = strtol(name + 4, &end, 10);
	return *end || v >= VS_NUMA_BITS_MAX ? -1 : (int)v;
}

static int load_node(const struct vs_sysfs *fs, int id, struct vs_numa_node *n, struct vs_error *err)
{
	char buf[4096], what[64];
	int r = vs_sysfs_read(fs, buf, sizeof(buf), "/sys/devices/system/node/node%d/cpulist", id);

	n->id = id;
	memset(&n->cpus, 0, sizeof(n->cpus));
	if (r == -ENOENT)      /* a node without CPUs (memory only) */
		return 0;
	if (r < 0)
		return vs_error_set(err, r, "/sys/devices/system/node/node%d/cpulist: %s", id, strerror(-r));
	snprintf(what, sizeof(what), "node%d/cpulist", id);
	return vs_bits_parse(buf, what, &n->cpus, err);
}

int vs_numa_host_load(const struct vs_sysfs *fs, struct vs_numa_host *h, struct vs_error *err)
{
	char **names = NULL;
	size_t alloc = 0;
	int n, r = 0;

	memset(h, 0, sizeof(*h));
	n = vs_sysfs_list(fs, &names, "/sys/devices/system/node");
	if (n == -ENOENT)
		return 0;
	if (n < 0)
		return vs_error_set(err, n, "/sys/devices/system/node: %s", strerror(-n));
	/* vs_sysfs_list's natural order: node2 before node10 */
	for (int i = 0; r == 0 && i < n; i++) {
		int id = node_id(names[i]);

		if (id < 0)
			continue;
		r = vs_grow((void **)&h->nodes, &alloc, h->n + 1, sizeof(*h->nodes));
		if (r == 0)
			r = load_node(fs, id, &h->nodes[h->n++], err);
	}
	vs_strv_free(names);
	if (r < 0)
		vs_numa_host_free(h);
	return r;
}

int vs_numa_pf_node(const struct vs_numa_host *h, int pf_node)
{
	if (pf_node >= 0)
		return pf_node;
	if (h->n == 1)
		return h->nodes[0].id;
	return h->n == 0 ? 0 : -1;
}

int vs_numa_rank(const struct vs_numa_host *h, int pf_node, const struct vs_bits *nodes)
{
	int node = vs_numa_pf_node(h, pf_node);

	if (node < 0)
		return VS_NUMA_UNKNOWN;
	return vs_bits_has(nodes, (unsigned)node) ? VS_NUMA_NEAR : VS_NUMA_FAR;
}

/* ---- the guest ---- */

/* Union of the sets in attribute attr of every node of xpath. */
static int union_of(xmlDocPtr doc, const char *xpath, const char *attr, struct vs_bits *out, bool *any,
		    struct vs_error *err)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, NULL, xpath);
	int r = 0;

	for (int i = 0; r == 0 && i < vs_xml_count(o); i++) {
		_cleanup_xmlchar_ xmlChar *v = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST attr);
		struct vs_bits b;
		char what[128];

		if (!v)
			continue;
		snprintf(what, sizeof(what), "%s of %s", attr, xpath);
		r = vs_bits_parse((const char *)v, what, &b, err);
		for (size_t k = 0; r == 0 && k < ELEMENTSOF(b.w); k++)
			out->w[k] |= b.w[k];
		*any = *any || r == 0;
	}
	return r;
}

/* The nodes whose CPUs meet cpus. */
static void nodes_of_cpus(const struct vs_numa_host *h, const struct vs_bits *cpus, struct vs_bits *out)
{
	for (size_t i = 0; i < h->n; i++) {
		struct vs_bits c = h->nodes[i].cpus;

		if (vs_bits_and(&c, cpus))
			vs_bits_add(out, (unsigned)h->nodes[i].id);
	}
}

static int guest_cpus(xmlDocPtr doc, const struct vs_numa_host *h, struct vs_numa_guest *g, struct vs_error *err)
{
	struct vs_bits cpus;
	bool any = false;
	int r;

	memset(&cpus, 0, sizeof(cpus));
	r = union_of(doc, "/domain/cputune/vcpupin", "cpuset", &cpus, &any, err);
	if (r == 0 && !any)
		r = union_of(doc, "/domain/vcpu", "cpuset", &cpus, &any, err);
	if (r < 0 || !any)
		return r;
	nodes_of_cpus(h, &cpus, &g->cpu);
	g->has_cpu = !vs_bits_empty(&g->cpu);
	return 0;
}

static void explain(struct vs_numa_guest *g)
{
	char mem[64], cpu[64];

	vs_bits_format(&g->mem, mem, sizeof(mem));
	vs_bits_format(&g->cpu, cpu, sizeof(cpu));
	if (!g->has_mem && !g->has_cpu)
		snprintf(g->why, sizeof(g->why), "the guest has neither <numatune> nor pinned vCPUs");
	else if (!g->has_cpu)
		snprintf(g->why, sizeof(g->why), "memory on node %s (<numatune>)", mem);
	else if (!g->has_mem)
		snprintf(g->why, sizeof(g->why), "vCPUs pinned to node %s", cpu);
	else if (vs_bits_empty(&g->nodes))
		snprintf(g->why, sizeof(g->why), "memory on node %s (<numatune>), vCPUs pinned to node %s: the memory's node counts",
			 mem, cpu);
	else
		snprintf(g->why, sizeof(g->why), "memory on node %s (<numatune>), vCPUs pinned to node %s", mem, cpu);
}

int vs_numa_guest_nodes(const char *domain_xml, const struct vs_numa_host *h, struct vs_numa_guest *out,
			struct vs_error *err)
{
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	r = vs_xml_parse(domain_xml, "domain XML", &doc, err);
	if (r == 0)
		r = union_of(doc, "/domain/numatune/memory", "nodeset", &out->mem, &out->has_mem, err);
	if (r == 0)
		r = union_of(doc, "/domain/numatune/memnode", "nodeset", &out->mem, &out->has_mem, err);
	if (r == 0)
		r = guest_cpus(doc, h, out, err);
	if (r < 0)
		return r;
	out->has_mem = out->has_mem && !vs_bits_empty(&out->mem);
	out->nodes = out->has_mem ? out->mem : out->cpu;
	if (out->has_mem && out->has_cpu && !vs_bits_and(&out->nodes, &out->cpu))
		memset(&out->nodes, 0, sizeof(out->nodes));
	explain(out);
	if (out->has_mem && vs_bits_empty(&out->nodes))
		out->nodes = out->mem;
	return 0;
}
