/* attach --numa: the node the VF should be near (a number, or the guest's
 * <numatune> and vCPU pinning), and the free-VF choice over the PFs in
 * order of nearness (numa.h), under attach's lock like the choice on one
 * PF.  required refuses what is not on the node; preferred falls back and
 * says so in res->numa_note. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "attach-int.h"
#include "libvirt.h"
#include "numa.h"
#include "vfset.h"
#include "xml.h"

static const char *pf_label(const struct vs_pf *pf)
{
	return pf->netdev[0] ? pf->netdev : pf->address;
}

/* --numa N: that node, which the host must have. */
static int numa_number(const struct vs_numa_host *h, const char *spec, struct vs_bits *want, struct vs_error *err)
{
	char *end;
	long v = strtol(spec, &end, 10);
	bool known = h->n == 0 && v == 0;

	for (size_t i = 0; i < h->n; i++)
		known = known || h->nodes[i].id == v;
	if (*end || end == spec || v < 0 || v >= VS_NUMA_BITS_MAX)
		return vs_error_set(err, -EINVAL, "--numa '%s': give auto or a node number", spec);
	if (!known) {
		struct vs_bits all;
		char list[128];

		memset(&all, 0, sizeof(all));
		for (size_t i = 0; i < h->n; i++)
			vs_bits_add(&all, (unsigned)h->nodes[i].id);
		vs_bits_format(&all, list, sizeof(list));
		return vs_error_set(err, -ERANGE, "--numa %ld: this host has no NUMA node %ld (its nodes: %s)", v, v,
				    h->n ? list : "0, no NUMA in sysfs");
	}
	vs_bits_add(want, (unsigned)v);
	return 0;
}

int vs_attach_numa_want(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			unsigned flags, const struct vs_numa_host *h, struct vs_bits *want, struct vs_attach_result *res,
			struct vs_error *err)
{
	_cleanup_free_ char *xml = NULL;
	struct vs_numa_guest ng;
	int r;

	(void)env;
	memset(want, 0, sizeof(*want));
	if (strcmp(req->numa, "auto") != 0)
		return numa_number(h, req->numa, want, err);
	xml = virDomainGetXMLDesc(g->dom, flags & VIR_DOMAIN_AFFECT_LIVE ? 0 : VIR_DOMAIN_XML_INACTIVE);
	if (!xml)
		return vs_error_set(err, -EIO, "guest %s: %s", g->name, vs_libvirt_message());
	r = vs_numa_guest_nodes(xml, h, &ng, err);
	if (r < 0)
		return r;
	*want = ng.nodes;
	if (vs_bits_empty(want))
		snprintf(res->numa_note, sizeof(res->numa_note), "--numa auto: guest %s: %s; the VF is chosen as without --numa",
			 g->name, ng.why);
	else
		snprintf(res->numa_why, sizeof(res->numa_why), "%s", ng.why);
	return 0;
}

/* The PFs to choose from: --pf's, or every network PF with VFs. */
static bool candidate(const struct vs_attach_req *req, const struct vs_pf *pf, const struct vs_pf *named)
{
	if (req->pf)
		return pf == named;
	return pf->n_vfs > 0 && !pf->non_pci && !pf->vf_settings_na;
}

struct numa_scan {
	struct vs_bits free_nodes;            /* nodes with a free VF elsewhere */
	unsigned free_unknown;                /* free VFs on PFs of unknown node */
	char near_why[512];                   /* why the near PFs had none */
};

static void note_busy(struct numa_scan *s, const char *msg)
{
	size_t used = strlen(s->near_why);

	snprintf(s->near_why + used, sizeof(s->near_why) - used, "%s%s", used ? "; " : "", msg);
}

/* Try every candidate PF of one rank; 1 when a free VF was found. */
static int try_rank(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_numa_host *h,
		    const struct vs_bits *want, int rank, struct vs_choose_in *in, struct vs_vf_facts **facts,
		    size_t *pos, struct numa_scan *s, struct vs_error *err)
{
	const struct vs_pf *named = req->pf ? vs_name_pf(env->host, req->pf, NULL) : NULL;

	for (size_t i = 0; i < env->host->n_pfs; i++) {
		struct vs_pf *pf = &env->host->pfs[i];
		struct vs_error sub = { 0 };
		struct vs_choose_out out;
		int r;

		if (!candidate(req, pf, named) || vs_numa_rank(h, pf->numa_node, want) != rank)
			continue;
		in->pf = pf;
		r = vs_attach_facts(env->hook->sysfs, pf, facts, err);
		if (r < 0)
			return r;
		in->facts = *facts;
		if (vs_attach_choose(in, &out, &sub) == 0) {
			*pos = (size_t)out.index;
			return 1;
		}
		vs_attach_facts_free(*facts, pf->n_vfs);
		*facts = NULL;
		in->facts = NULL;
		if (rank == VS_NUMA_NEAR)   /* "PF em1 (7 VFs: ...)" */
			note_busy(s, strncmp(sub.msg, "no free VF on ", 14) == 0 ? sub.msg + 14 : sub.msg);
	}
	in->pf = NULL;
	return 0;
}

/* Where free VFs are, beyond the near PFs: for the refusal. */
static int count_free(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_numa_host *h,
		      const struct vs_bits *want, struct vs_choose_in in, struct numa_scan *s, struct vs_error *err)
{
	const struct vs_pf *named = req->pf ? vs_name_pf(env->host, req->pf, NULL) : NULL;

	for (size_t i = 0; i < env->host->n_pfs; i++) {
		struct vs_pf *pf = &env->host->pfs[i];
		struct vs_vf_facts *facts = NULL;
		struct vs_choose_out out;
		int node = vs_numa_pf_node(h, pf->numa_node);

		if (!candidate(req, pf, named) || vs_numa_rank(h, pf->numa_node, want) == VS_NUMA_NEAR)
			continue;
		in.pf = pf;
		if (vs_attach_facts(env->hook->sysfs, pf, &facts, err) < 0)
			return -EIO;
		in.facts = facts;
		if (vs_attach_choose(&in, &out, NULL) == 0 && node >= 0)
			vs_bits_add(&s->free_nodes, (unsigned)node);
		else if (out.index >= 0)   /* free, on a PF of unknown node */
			s->free_unknown += out.count[VS_VF_FREE];

		vs_attach_facts_free(facts, pf->n_vfs);
	}
	return 0;
}

static int refuse(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_numa_host *h,
		  const struct vs_bits *want, const struct vs_choose_in *in, struct numa_scan *s, struct vs_error *err)
{
	char nodes[128], other[128], unknown[96] = "";
	int r = count_free(env, req, h, want, *in, s, err);

	if (r < 0)
		return r;
	vs_bits_format(want, nodes, sizeof(nodes));
	vs_bits_format(&s->free_nodes, other, sizeof(other));
	if (s->free_unknown)
		snprintf(unknown, sizeof(unknown), "%s%u on PFs of unknown node", other[0] ? "; " : "", s->free_unknown);
	if (!other[0] && !unknown[0])
		return vs_error_set(err, -ENOSPC, "no free VF on NUMA node %s (%s), nor on any other node", nodes,
				    s->near_why[0] ? s->near_why : "no PF with VFs there");
	return vs_error_set(err, -ENOSPC, "no free VF on NUMA node %s (%s); free VFs on %s%s%s "
			    "(--numa-policy preferred takes them)", nodes, s->near_why[0] ? s->near_why : "no PF with VFs there",
			    other[0] ? "node " : "", other, unknown);
}

int vs_attach_numa_pick(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			unsigned flags, struct vs_choose_in *in, struct vs_vf_facts **facts, size_t *pos,
			struct vs_attach_result *res, struct vs_error *err)
{
	struct vs_numa_host h;
	struct vs_bits want;
	struct numa_scan s;
	bool aimed = false;
	int r = vs_numa_host_load(env->hook->sysfs, &h, err), found = 0;

	memset(&s, 0, sizeof(s));
	if (r == 0 && req->pf && !vs_name_pf(env->host, req->pf, err))
		r = err && err->code ? err->code : -ENODEV;
	if (r == 0)
		r = vs_attach_numa_want(env, req, g, flags, &h, &want, res, err);
	aimed = r == 0 && !vs_bits_empty(&want);
	if (r == 0 && !aimed)     /* nothing to go by: every node is as good */
		for (unsigned n = 0; n < VS_NUMA_BITS_MAX; n++)
			vs_bits_add(&want, n);
	for (int rank = VS_NUMA_NEAR; r == 0 && !found && rank <= VS_NUMA_FAR; rank++) {
		if (req->numa_required && rank > VS_NUMA_NEAR)
			break;
		r = found = try_rank(env, req, &h, &want, rank, in, facts, pos, &s, err);
	}
	if (r == 0 && !found)
		r = req->numa_required ? refuse(env, req, &h, &want, in, &s, err)
				       : vs_error_set(err, -ENOSPC, "no free VF on any PF%s%s", s.near_why[0] ? ": " : "",
						      s.near_why);
	if (r > 0) {
		res->numa_node = vs_numa_pf_node(&h, in->pf->numa_node);
		if (aimed && vs_numa_rank(&h, in->pf->numa_node, &want) != VS_NUMA_NEAR) {
			char nodes[128];

			vs_bits_format(&want, nodes, sizeof(nodes));
			snprintf(res->numa_note, sizeof(res->numa_note),
				 "no free VF on NUMA node %s (%s): took one of PF %s, on %s", nodes,
				 s.near_why[0] ? s.near_why : "no PF with VFs there",
				 pf_label(in->pf), res->numa_node >= 0 ? "another node" : "an unknown node");
		}
		r = 0;
	}
	vs_numa_host_free(&h);
	return r;
}

/* ---- --network NET --numa: the pool NET-nodeN ---- */

/* Free VFs of a pool: of its <pf dev>, or its <address> list. */
static int pool_free(const struct vs_attach_env *env, virNetworkPtr net)
{
	_cleanup_free_ char *xml = virNetworkGetXMLDesc(net, 0);
	_cleanup_xmldoc_ xmlDocPtr doc = NULL;
	_cleanup_xpobj_ xmlXPathObjectPtr o = NULL;
	xmlNodePtr pfn;
	int n = 0;

	if (!xml || vs_xml_parse(xml, "network XML", &doc, NULL) < 0)
		return 0;
	if ((pfn = vs_xml_first(doc, NULL, "/network/forward/pf"))) {
		_cleanup_xmlchar_ xmlChar *dev = xmlGetProp(pfn, BAD_CAST "dev");
		const struct vs_pf *pf = dev ? vs_host_find_pf(env->host, (const char *)dev) : NULL;

		for (size_t i = 0; pf && i < pf->n_vfs; i++)
			n += !pf->vfs[i].in_use_by;
		return n;
	}
	o = vs_xml_eval(doc, NULL, "/network/forward/address[@type='pci']");
	for (int i = 0; i < vs_xml_count(o); i++) {
		char addr[VS_PCI_ADDR_MAX];
		struct vs_pf *pf;
		struct vs_vf *vf;

		if (vs_xml_pci_address(o->nodesetval->nodeTab[i], addr) == 0 &&
		    vs_host_find_vf(env->host, addr, &pf, &vf) == 0)
			n += !vf->in_use_by;
	}
	return n;
}

/* Free VFs of pool NET-nodeID; -1 when there is no such pool. */
static int node_pool(const struct vs_attach_env *env, const char *family, int id, char *name, size_t len)
{
	virNetworkPtr net;
	int n;

	snprintf(name, len, "%s-node%d", family, id);
	net = virNetworkLookupByName(env->conn, name);
	if (!net)
		return -1;
	n = pool_free(env, net);
	virNetworkFree(net);
	return n;
}

struct pool_pick {
	char near[256], other[256];           /* the chosen pool of each kind */
	int near_free, other_free;            /* -1: none found */
	char others[512];                     /* "NET-node0 (3 free)" */
};

static void scan_pools(const struct vs_attach_env *env, const char *family, const struct vs_numa_host *h,
		       const struct vs_bits *want, struct pool_pick *p)
{
	size_t n = h->n ? h->n : 1;

	p->near_free = p->other_free = -1;
	for (size_t i = 0; i < n; i++) {
		int id = h->n ? h->nodes[i].id : 0;
		bool near = vs_bits_has(want, (unsigned)id);
		char name[256];
		int free_vfs = node_pool(env, family, id, name, sizeof(name));
		size_t used = strlen(p->others);

		if (free_vfs < 0)
			continue;
		if (!near && free_vfs > 0)
			snprintf(p->others + used, sizeof(p->others) - used, "%s%s (%d free)", used ? ", " : "", name,
				 free_vfs);
		if (near && free_vfs > p->near_free)
			p->near_free = free_vfs, vs_strlcpy(p->near, name, sizeof(p->near));
		if (!near && free_vfs > p->other_free)
			p->other_free = free_vfs, vs_strlcpy(p->other, name, sizeof(p->other));
	}
}

static int choose_pool(const struct vs_attach_req *req, const struct pool_pick *p, const char *nodes, char *pool,
		       size_t len, struct vs_attach_result *res, struct vs_error *err)
{
	char why[384];

	if (p->near_free < 0)
		snprintf(why, sizeof(why), "no pool %s-nodeN on NUMA node %s", req->network, nodes);
	else
		snprintf(why, sizeof(why), "no free VF in pool %s (NUMA node %s)", p->near, nodes);
	if (p->near_free > 0)
		return vs_strlcpy(pool, p->near, len) < 0 ? -ENAMETOOLONG : 0;
	if (req->numa_required || (p->near_free < 0 && p->other_free <= 0)) {
		if (p->near_free < 0 && p->other_free < 0)
			return vs_error_set(err, -ENOENT, "no pool %s-nodeN: make one per NUMA node with "
					    "`virt-sriov network apply --per-numa --name %s PF...`", req->network, req->network);
		return vs_error_set(err, -ENOSPC, "%s%s%s", why, p->others[0] ? "; free VFs in " : "", p->others);
	}
	if (p->other_free > 0) {
		snprintf(res->numa_note, sizeof(res->numa_note), "%s: took pool %s on another node", why, p->other);
		return vs_strlcpy(pool, p->other, len) < 0 ? -ENAMETOOLONG : 0;
	}
	snprintf(res->numa_note, sizeof(res->numa_note), "no pool %s-nodeN has a free VF now: took %s", req->network,
		 p->near);
	return vs_strlcpy(pool, p->near, len) < 0 ? -ENAMETOOLONG : 0;
}

int vs_attach_numa_pool(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			unsigned flags, char *pool, size_t len, struct vs_attach_result *res, struct vs_error *err)
{
	struct vs_numa_host h;
	struct vs_bits want;
	struct pool_pick p;
	char nodes[128];
	int r = vs_numa_host_load(env->hook->sysfs, &h, err);

	memset(&p, 0, sizeof(p));
	if (r == 0)
		r = vs_attach_numa_want(env, req, g, flags, &h, &want, res, err);
	if (r == 0 && vs_bits_empty(&want)) {
		r = vs_error_set(err, -EINVAL, "--numa auto with --network %s: %s: name the node (--numa N)", req->network,
				 res->numa_note);
		res->numa_note[0] = '\0';
	}
	if (r == 0 && env->host && vs_libvirt_fill_usage(env->conn, env->host, NULL) < 0)
		r = vs_error_set(err, -EIO, "which VFs guests hold: %s", vs_libvirt_message());
	if (r == 0) {
		vs_bits_format(&want, nodes, sizeof(nodes));
		scan_pools(env, req->network, &h, &want, &p);
		r = choose_pool(req, &p, nodes, pool, len, res, err);
	}
	if (r == 0 && sscanf(pool + strlen(req->network), "-node%d", &res->numa_node) != 1)
		res->numa_node = -1;
	vs_numa_host_free(&h);
	return r;
}
