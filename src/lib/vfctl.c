/* Per-VF settings: command-line values, validation, one request per PF,
 * and what the kernel left in effect when it refused one. */
#include "config.h"

#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "vfctl.h"

/* ---- validation ---- */

static int validate_target(const struct vs_pf *pf, int index, struct vs_error *err)
{
	if (pf->non_pci ? pf->numvfs < 0 : pf->totalvfs <= 0)
		return vs_error_set(err, -ENODEV, "%s: not an SR-IOV PF (no sriov_totalvfs)", pf->address);
	if (!pf->netdev[0])
		return vs_error_set(err, -ENODEV, "%s: the PF has no netdev: VF settings go through the PF's netdev",
				    pf->address);
	if (index < 0 || index >= pf->numvfs)
		return vs_error_set(err, -ENOENT, "%s: VF %d: no such VF (sriov_numvfs is %d)", pf->netdev, index,
				    pf->numvfs);
	return 0;
}

int vs_vfctl_validate(const struct vs_pf *pf, const struct vs_vf_config *c, struct vs_error *err)
{
	struct vs_error sub = { 0 };
	int r = validate_target(pf, c->index, err);

	if (r == 0 && vs_vf_config_is_empty(c))
		r = vs_error_set(err, -EINVAL, "%s: VF %d: no setting given", pf->netdev, c->index);
	if (r == 0 && vs_vf_config_check(c, &sub) < 0)
		r = vs_error_set(err, sub.code, "%s: VF %d: %s", pf->netdev, c->index, sub.msg);
	return r;
}

/* ---- grouping by PF ---- */

static struct vs_vfctl_plan *plan_for(struct vs_vfctl_plan **plans, size_t *nplans, size_t *alloc, struct vs_pf *pf)
{
	for (size_t i = 0; i < *nplans; i++)
		if ((*plans)[i].pf == pf)
			return &(*plans)[i];
	if (vs_grow((void **)plans, alloc, *nplans + 1, sizeof(**plans)) < 0)
		return NULL;
	memset(&(*plans)[*nplans], 0, sizeof(**plans));
	(*plans)[*nplans].pf = pf;
	return &(*plans)[(*nplans)++];
}

static int plan_add(struct vs_vfctl_plan *p, const struct vs_vf *vf, const struct vs_vf_config *tmpl, bool reset)
{
	size_t alloc_c = p->n, alloc_v = p->n;

	for (size_t i = 0; i < p->n; i++)
		if (p->vfs[i] == vf)
			return 0;
	if (vs_grow((void **)&p->cfgs, &alloc_c, p->n + 1, sizeof(*p->cfgs)) < 0 ||
	    vs_grow((void **)&p->vfs, &alloc_v, p->n + 1, sizeof(*p->vfs)) < 0)
		return -ENOMEM;
	if (reset)
		vs_vf_config_reset(&p->cfgs[p->n], (int)vf->index);
	else {
		p->cfgs[p->n] = *tmpl;
		p->cfgs[p->n].index = (int)vf->index;
	}
	p->vfs[p->n++] = vf;
	return 0;
}

static int plan_validate(const struct vs_vfctl_plan *p, bool reset, struct vs_error *err)
{
	int r = 0;

	for (size_t i = 0; i < p->n && r == 0; i++)
		r = reset ? validate_target(p->pf, p->cfgs[i].index, err) : vs_vfctl_validate(p->pf, &p->cfgs[i], err);
	return r;
}

int vs_vfctl_plan_build(const struct vs_vf_ref *refs, size_t n, const struct vs_vf_config *tmpl, bool reset,
			struct vs_vfctl_plan **plans, size_t *nplans, struct vs_error *err)
{
	struct vs_vfctl_plan *out = NULL;
	size_t nout = 0, alloc = 0;
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		struct vs_vfctl_plan *p = plan_for(&out, &nout, &alloc, refs[i].pf);

		r = p ? plan_add(p, refs[i].vf, tmpl, reset) : -ENOMEM;
	}
	if (r < 0)
		vs_error_set(err, r, "out of memory planning the VF request");
	for (size_t i = 0; i < nout && r == 0; i++)
		r = plan_validate(&out[i], reset, err);
	if (r < 0) {
		vs_vfctl_plans_free(out, nout);
		return r;
	}
	*plans = out;
	*nplans = nout;
	return 0;
}

void vs_vfctl_plans_free(struct vs_vfctl_plan *plans, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(plans[i].cfgs);
		free(plans[i].vfs);
	}
	free(plans);
}

/* ---- applying ---- */

void vs_vfctl_outcome_free(struct vs_vfctl_outcome *o)
{
	free(o->in_effect);
	free(o->unchanged);
	o->in_effect = o->unchanged = NULL;
	o->n = 0;
}

static const struct vs_vf_config *find_vf(const struct vs_pf_vf_list *l, int index)
{
	if (index >= 0 && (size_t)index < l->n && l->vfs[index].index == index)
		return &l->vfs[index];
	for (size_t i = 0; i < l->n; i++)
		if (l->vfs[i].index == index)
			return &l->vfs[i];
	return NULL;
}

/* The kernel wants some values together: IFLA_VF_RATE carries both rates,
 * a VLAN its QoS.  The one rule, for every caller: what is not given comes
 * from what the VF has (as iproute2 does), and QoS is 0 with a VLAN. */
int vs_vfctl_complete(const char *ifname, struct vs_vf_config *c, const struct vs_vf_config *cur,
		      struct vs_error *err)
{
	bool rate_alone = (c->min_tx_rate < 0) != (c->max_tx_rate < 0);
	const char *given = c->min_tx_rate < 0 ? "max-tx-rate" : "min-tx-rate";
	const char *other = c->min_tx_rate < 0 ? "min-tx-rate" : "max-tx-rate";

	if (rate_alone && (!cur || (c->min_tx_rate < 0 ? cur->min_tx_rate : cur->max_tx_rate) < 0))
		return vs_error_set(err, -ENODATA, "%s: VF %d: %s alone: the current %s cannot be read from %s; "
				    "give both rates", ifname, c->index, given, other, ifname);
	if (c->min_tx_rate < 0 && rate_alone)
		c->min_tx_rate = cur->min_tx_rate;
	else if (rate_alone)
		c->max_tx_rate = cur->max_tx_rate;
	if ((c->qos >= 0 || c->vlan_proto >= 0) && c->vlan < 0) {
		if (!cur || cur->vlan < 0)
			return vs_error_set(err, -ENODATA, "%s: VF %d: QoS or protocol alone: the current VLAN cannot "
					    "be read from %s", ifname, c->index, ifname);
		c->vlan = cur->vlan;
	}
	if (c->vlan >= 0 && c->qos < 0)
		c->qos = 0;
	return 0;
}

static int fill_rates(const char *ifname, const struct vs_pf_vf_list *cur, struct vs_vf_config *cfgs, size_t n,
		      struct vs_error *err)
{
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++)
		r = vs_vfctl_complete(ifname, &cfgs[i], find_vf(cur, cfgs[i].index), err);
	return r;
}

/* Settings of want that `have` (read from the kernel; NULL unknown) carries. */
static unsigned in_effect_mask(const struct vs_vf_config *want, const struct vs_vf_config *have)
{
	unsigned m = 0;

	for (int s = 0; s < VS_ATTR_MAX && have; s++)
		if (vs_vf_attr_present(want, s) && vs_vf_attr_in_effect(want, have, s))
			m |= 1u << s;
	return m;
}

static unsigned present_mask(const struct vs_vf_config *c)
{
	return in_effect_mask(c, c);
}

/* The request: only settings that do not have the wanted value yet.  A
 * driver may report a value it refuses to set (igb: link-state auto), and
 * the kernel stops a VF's entry at the first refusal, so sending what is
 * already in effect can only make things worse. */
struct send {
	struct vs_vf_config *cfgs;
	size_t n;
};

static int build_send(const struct vs_pf_vf_list *cur, const struct vs_vf_config *cfgs, size_t n,
		      struct vs_vfctl_outcome *o, struct send *s)
{
	s->n = 0;
	s->cfgs = calloc(n ? n : 1, sizeof(*s->cfgs));
	if (!s->cfgs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct vs_vf_config c = cfgs[i];

		o->unchanged[i] = in_effect_mask(&cfgs[i], find_vf(cur, cfgs[i].index));
		for (int b = 0; b < VS_ATTR_MAX; b++)
			if (o->unchanged[i] & (1u << b))
				vs_vf_config_drop(&c, b);
		/* no rtnetlink attribute: a rate group goes through devlink
		 * (vfroute.h), and "none" holds on a PF without one */
		vs_vf_config_drop(&c, VS_ATTR_RATE_GROUP);
		if (!vs_vf_config_is_empty(&c))
			s->cfgs[s->n++] = c;
	}
	return 0;
}

/* After a refusal: what is in effect now, for every VF asked for. */
static void read_back(struct vs_nl *nl, const char *ifname, const struct vs_vf_config *cfgs, size_t n,
		      struct vs_pf_vf_list *now, struct vs_vfctl_outcome *o)
{
	if (vs_nl_get_vfs(nl, ifname, now, NULL) < 0)
		return;
	o->read_back = now->n > 0;
	for (size_t i = 0; i < n && o->read_back; i++) {
		const struct vs_vf_config *k = find_vf(now, cfgs[i].index);

		o->read_back = k != NULL;
		if (k)
			o->in_effect[i] = in_effect_mask(&cfgs[i], k);
	}
	if (!o->read_back)
		memset(o->in_effect, 0, n * sizeof(*o->in_effect));
}

/* The kernel goes VF by VF through the refused request, and inside one VF
 * through the settings in a fixed order (do_setvfinfo: MAC, VLAN, rate,
 * spoofchk, link-state, query-rss, trust; the order of enum vs_vf_attr),
 * and stops at the first refusal: the first setting sent that is not in
 * effect is the refused one.  Without a read-back, only the very first can
 * be named. */
static void find_refused(const struct vs_vf_config *sent, size_t n, const struct vs_pf_vf_list *now,
			 struct vs_vfctl_outcome *o)
{
	o->refused_vf = o->refused_setting = -1;
	for (size_t i = 0; i < n; i++) {
		unsigned in = o->read_back ? in_effect_mask(&sent[i], find_vf(now, sent[i].index)) : 0;

		for (int s = 0; s < VS_ATTR_MAX; s++) {
			if (!vs_vf_attr_present(&sent[i], s) || (in & (1u << s)))
				continue;
			o->refused_vf = sent[i].index;
			o->refused_setting = s;
			o->refused = sent[i];
			return;
		}
	}
}

static int refusal_error(const char *ifname, const struct vs_vfctl_outcome *o, struct vs_error *err)
{
	const char *ext_open = o->extack[0] ? " (" : "", *ext_close = o->extack[0] ? ")" : "";
	char value[96];

	if (o->refused_vf < 0)
		return vs_error_set(err, o->error, "%s: RTM_SETLINK refused: %s%s%s%s; every setting sent reads back as in effect",
				    ifname, strerror(-o->error), ext_open, o->extack, ext_close);
	vs_vf_attr_format(&o->refused, o->refused_setting, value, sizeof(value));
	return vs_error_set(err, o->error, "%s: VF %d: %s %s: %s%s%s%s%s", ifname, o->refused_vf,
			    vs_vf_attr_name(o->refused_setting), value, strerror(-o->error), ext_open, o->extack,
			    ext_close, o->read_back ? "" : " (the first setting of the request; VF settings cannot be read back)");
}

int vs_vfctl_outcome_start(struct vs_vfctl_outcome *o, size_t n)
{
	vs_vfctl_outcome_free(o);
	o->in_effect = calloc(n ? n : 1, sizeof(*o->in_effect));
	o->unchanged = calloc(n ? n : 1, sizeof(*o->unchanged));
	o->n = n;
	o->error = 0;
	o->extack[0] = '\0';
	o->refused_vf = o->refused_setting = -1;
	o->read_back = false;
	o->requests = 0;
	return o->in_effect && o->unchanged ? 0 : -ENOMEM;
}

/* One RTM_SETLINK per IFLA_VFINFO_LIST that fits 16 bits (one for any
 * request of a few hundred VFs).  On a refusal, *first and *count give the
 * VFs of the refused request; 1 tells the kernel refused, <0 the exchange
 * failed. */
static int send_requests(struct vs_nl *nl, const char *ifname, const struct send *s, struct vs_vfctl_outcome *o,
			 size_t *first, size_t *count, struct vs_error *err)
{
	struct vs_nl_ack ack;

	for (size_t off = 0, k; off < s->n; off += k) {
		size_t fit = vs_nl_setvfs_fit(s->cfgs + off, s->n - off);
		int r;

		k = fit ? fit : 1;
		r = vs_nl_set_vfs_ack(nl, ifname, s->cfgs + off, k, &ack, err);
		o->requests++;
		if (r == 0)
			continue;
		if (ack.error == 0) /* never reached the kernel's verdict */
			return r;
		o->error = ack.error;
		snprintf(o->extack, sizeof(o->extack), "%s", ack.msg);
		*first = off;
		*count = k;
		return 1;
	}
	return 0;
}

static int apply_sent(struct vs_nl *nl, const char *ifname, const struct vs_vf_config *cfgs, size_t n,
		      const struct send *s, struct vs_vfctl_outcome *o, struct vs_error *err)
{
	struct vs_pf_vf_list now = { .num_vf = -1 };
	struct vs_error nlerr = { 0 };
	size_t first = 0, count = 0;
	int r = send_requests(nl, ifname, s, o, &first, &count, &nlerr);

	if (r < 0)
		return vs_error_set(err, r, "%s", nlerr.msg);
	if (r == 0) {
		for (size_t i = 0; i < n; i++)
			o->in_effect[i] = present_mask(&cfgs[i]);
		return 0;
	}
	read_back(nl, ifname, cfgs, n, &now, o);
	find_refused(s->cfgs + first, count, &now, o);
	vs_pf_vf_list_free(&now);
	return refusal_error(ifname, o, err);
}

static int apply_once(struct vs_nl *nl, const char *ifname, struct vs_vf_config *cfgs, size_t n,
		      struct vs_vfctl_outcome *o, struct vs_error *err)
{
	struct vs_pf_vf_list cur = { .num_vf = -1 };
	struct send s = { 0 };
	int r;

	if (vs_vfctl_outcome_start(o, n) < 0)
		return vs_error_set(err, -ENOMEM, "%s: out of memory", ifname);
	/* Unreadable (no VF list, as on a veth): everything is sent. */
	r = vs_nl_get_vfs(nl, ifname, &cur, NULL);
	if (r == -ENODEV)
		return vs_error_set(err, r, "%s: the kernel has no netdev %s: nothing sent", ifname, ifname);
	if (r < 0)
		memset(&cur, 0, sizeof(cur));
	r = fill_rates(ifname, &cur, cfgs, n, err);
	if (r == 0 && build_send(&cur, cfgs, n, o, &s) < 0)
		r = vs_error_set(err, -ENOMEM, "%s: out of memory", ifname);
	if (r == 0)
		r = apply_sent(nl, ifname, cfgs, n, &s, o, err);
	free(s.cfgs);
	vs_pf_vf_list_free(&cur);
	return r;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A VF that is resetting (its driver re-initialising after FLR, a PF
 * reset) answers EBUSY or EAGAIN for a moment: try again rather than fail
 * a start or leave a setting for reconcile.  Each attempt reads the VFs
 * again, so what an earlier attempt got in is not sent twice. */
int vs_vfctl_apply(struct vs_nl *nl, const char *ifname, struct vs_vf_config *cfgs, size_t n,
		   struct vs_vfctl_outcome *o, struct vs_error *err)
{
	struct timespec t0;
	long wait_ms = VS_VFCTL_RETRY_FIRST_MS;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		r = apply_once(nl, ifname, cfgs, n, o, err);
		if (r == 0 || (o->error != -EBUSY && o->error != -EAGAIN))
			return r;
		if (elapsed_ms(&t0) + wait_ms > VS_VFCTL_RETRY_MS)
			return r;
		nanosleep(&(struct timespec){ wait_ms / 1000, (wait_ms % 1000) * 1000000 }, NULL);
		wait_ms = wait_ms * 2 > VS_VFCTL_RETRY_MAX_MS ? VS_VFCTL_RETRY_MAX_MS : wait_ms * 2;
	}
}

/* ---- reset ---- */

static bool zero_mac_refused(const struct vs_vf_config *cfgs, size_t n, const struct vs_vfctl_outcome *o)
{
	static const unsigned char zero[6];

	return n > 0 && o->error == -EINVAL && !o->placeholder_mac && cfgs[0].has_mac &&
	       memcmp(cfgs[0].mac, zero, 6) == 0 && (o->refused_setting == VS_ATTR_MAC || o->refused_setting < 0);
}

/* 1: retry with changed cfgs; 0: give up. */
static int reset_adjust(struct vs_vf_config *cfgs, size_t n, struct vs_vfctl_outcome *o)
{
	static const unsigned char placeholder[6] = VS_VFCTL_PLACEHOLDER_MAC;

	if (zero_mac_refused(cfgs, n, o)) {
		for (size_t i = 0; i < n; i++)
			memcpy(cfgs[i].mac, placeholder, 6);
		o->placeholder_mac = true;
		return 1;
	}
	if (o->error != -EOPNOTSUPP || !o->read_back || o->refused_setting < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		vs_vf_config_drop(&cfgs[i], o->refused_setting);
	o->skipped |= 1u << o->refused_setting;
	return !vs_vf_config_is_empty(&cfgs[0]);
}

int vs_vfctl_reset(struct vs_nl *nl, const char *ifname, struct vs_vf_config *cfgs, size_t n,
		   struct vs_vfctl_outcome *o, struct vs_error *err)
{
	int r = -EIO;

	for (int attempt = 0; attempt <= VS_ATTR_MAX + 1; attempt++) {
		struct vs_error e = { 0 };

		r = vs_vfctl_apply(nl, ifname, cfgs, n, o, &e);
		if (r == 0 || o->error == 0 || !reset_adjust(cfgs, n, o))
			return r < 0 ? vs_error_set(err, r, "%s", e.msg) : 0;
	}
	return vs_error_set(err, r, "%s: reset: the driver refused every setting", ifname);
}
