#include "config.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "fake-kernel.h"
#include "vftables.h"
#include "vfconfig.h"
#include "fake-nl.h"

#define ALIGN4(x) (((x) + 3u) & ~3u)
#define HDR 4u

/* ---- raw attribute walking ---- */

struct raw {
	const unsigned char *data; /* payload */
	uint16_t len, type;        /* payload length, type without flags */
};

/* The attribute at p (within end); false when there is none. */
static bool raw_at(const unsigned char *p, const unsigned char *end, struct raw *a)
{
	uint16_t len, type;

	if (end - p < (long)HDR)
		return false;
	memcpy(&len, p, 2);
	memcpy(&type, p + 2, 2);
	if (len < HDR || len > end - p)
		return false;
	a->data = p + HDR;
	a->len = (uint16_t)(len - HDR);
	a->type = type & NLA_TYPE_MASK;
	return true;
}

#define RAW_FOREACH(a, start, end, p) \
	for (const unsigned char *p = (start); raw_at(p, (end), &(a)); p += ALIGN4((a).len + HDR))

static uint32_t u32_of(const struct raw *a, size_t off)
{
	uint32_t v = 0;

	if (a->len >= off + 4)
		memcpy(&v, a->data + off, 4);
	return v;
}

/* The top-level attributes of a link message start after nlmsghdr + ifinfomsg. */
static bool link_attrs(const unsigned char *msg, size_t len, const unsigned char **start, const unsigned char **end)
{
	size_t off = NLMSG_LENGTH(sizeof(struct ifinfomsg));

	if (len < off)
		return false;
	*start = msg + off;
	*end = msg + len;
	return true;
}

/* ---- RTM_SETLINK, as do_setlink and do_setvfinfo ---- */

/* do_setvfinfo's order: it stops at the first refusal. */
static const uint16_t kernel_order[] = {
	IFLA_VF_MAC, IFLA_VF_VLAN, IFLA_VF_VLAN_LIST, IFLA_VF_TX_RATE, IFLA_VF_RATE,
	IFLA_VF_SPOOFCHK, IFLA_VF_LINK_STATE, IFLA_VF_RSS_QUERY_EN, IFLA_VF_TRUST,
};

static int set_one(struct fake_kernel *k, struct fk_pf *pf, uint16_t type, const struct raw *a)
{
	static const unsigned char zero[6];
	uint32_t vf = u32_of(a, 0);
	struct fk_vf *v;

	if (vf >= pf->n)
		return -EINVAL;
	v = &pf->vfs[vf];
	if (type == IFLA_VF_MAC && pf->refuse_zero_mac && memcmp(a->data + 4, zero, 6) == 0)
		return -EINVAL;
	if (pf->refuse & FK_BIT(type))
		return k->refuse_error;
	switch (type) {
	case IFLA_VF_MAC: memcpy(v->mac, a->data + 4, 6); break;
	case IFLA_VF_VLAN: v->vlan = u32_of(a, 4); v->qos = u32_of(a, 8); v->proto = ETH_P_8021Q; break;
	case IFLA_VF_TX_RATE: v->max_rate = u32_of(a, 4); break;
	case IFLA_VF_RATE: v->min_rate = u32_of(a, 4); v->max_rate = u32_of(a, 8); break;
	case IFLA_VF_SPOOFCHK: v->spoofchk = (int32_t)u32_of(a, 4); break;
	case IFLA_VF_LINK_STATE: v->link_state = (int32_t)u32_of(a, 4); break;
	case IFLA_VF_RSS_QUERY_EN: v->rss = (int32_t)u32_of(a, 4); break;
	case IFLA_VF_TRUST: v->trust = (int32_t)u32_of(a, 4); break;
	}
	return 0;
}

static int set_vlan_list(struct fake_kernel *k, struct fk_pf *pf, const struct raw *list)
{
	struct raw a;

	RAW_FOREACH(a, list->data, list->data + list->len, p) {
		uint16_t proto;
		uint32_t vf = u32_of(&a, 0);

		if (a.type != IFLA_VF_VLAN_INFO || a.len < 14 || vf >= pf->n)
			return -EINVAL;
		if (pf->refuse & FK_BIT(IFLA_VF_VLAN_LIST))
			return k->refuse_error;
		memcpy(&proto, a.data + 12, 2);
		pf->vfs[vf].vlan = u32_of(&a, 4);
		pf->vfs[vf].qos = u32_of(&a, 8);
		pf->vfs[vf].proto = ntohs(proto);
	}
	return 0;
}

static int set_vf_info(struct fake_kernel *k, struct fk_pf *pf, const struct raw *info)
{
	struct raw tb[IFLA_VF_MAX + 1], a;
	bool have[IFLA_VF_MAX + 1] = { false };
	int r = 0;

	RAW_FOREACH(a, info->data, info->data + info->len, p) {
		if (a.type <= IFLA_VF_MAX) {
			tb[a.type] = a;
			have[a.type] = true;
		}
	}
	for (size_t i = 0; i < sizeof(kernel_order) / sizeof(kernel_order[0]) && r == 0; i++) {
		uint16_t t = kernel_order[i];

		if (have[t])
			r = t == IFLA_VF_VLAN_LIST ? set_vlan_list(k, pf, &tb[t]) : set_one(k, pf, t, &tb[t]);
	}
	return r;
}

/* The PF a link message names (IFLA_IFNAME); NULL: no such device. */
static struct fk_pf *named_pf(struct fake_kernel *k, const unsigned char *msg, size_t len)
{
	const unsigned char *start, *end;
	struct raw a;

	if (!link_attrs(msg, len, &start, &end))
		return NULL;
	RAW_FOREACH(a, start, end, p) {
		if (a.type != IFLA_IFNAME || a.len == 0 || a.data[a.len - 1] != '\0')
			continue;
		for (size_t i = 0; i < k->npf; i++)
			if (strcmp(k->pf[i].name, (const char *)a.data) == 0)
				return &k->pf[i];
	}
	return NULL;
}

static int do_setlink(struct fake_kernel *k, const unsigned char *msg, size_t len)
{
	struct fk_pf *pf = named_pf(k, msg, len);
	const unsigned char *start, *end;
	struct raw a, e;
	int r = 0;

	if (!link_attrs(msg, len, &start, &end))
		return -EINVAL;
	if (!pf)
		return -ENODEV;
	RAW_FOREACH(a, start, end, p) {
		if (a.type != IFLA_VFINFO_LIST)
			continue;
		RAW_FOREACH(e, a.data, a.data + a.len, q) {
			if (e.type != IFLA_VF_INFO)
				return -EINVAL;
			r = set_vf_info(k, pf, &e);
			if (r < 0)
				return r;
		}
	}
	return r;
}

/* ---- RTM_GETLINK ---- */

static void put_pair(struct wbuf *w, uint16_t type, uint32_t vf, int32_t v)
{
	uint32_t d[2] = { vf, (uint32_t)v };

	w_attr(w, type, d, sizeof(d));
}

/* rtnl_fill_vfinfo's attributes, in its order. */
static void put_vf(struct wbuf *w, uint32_t i, const struct fk_vf *v)
{
	struct ifla_vf_mac mac;
	struct ifla_vf_vlan_info vi;
	uint32_t vlan[3] = { i, v->vlan, v->qos }, rate[3] = { i, v->min_rate, v->max_rate };
	uint32_t tx[2] = { i, v->max_rate };
	size_t info = w_nest_start(w, IFLA_VF_INFO), list;

	memset(&mac, 0, sizeof(mac));
	mac.vf = i;
	memcpy(mac.mac, v->mac, 6);
	w_attr(w, IFLA_VF_MAC, &mac, sizeof(mac));
	w_attr(w, IFLA_VF_VLAN, vlan, sizeof(vlan));
	w_attr(w, IFLA_VF_RATE, rate, sizeof(rate));
	w_attr(w, IFLA_VF_TX_RATE, tx, sizeof(tx));
	put_pair(w, IFLA_VF_SPOOFCHK, i, v->spoofchk);
	put_pair(w, IFLA_VF_LINK_STATE, i, v->link_state);
	put_pair(w, IFLA_VF_RSS_QUERY_EN, i, v->rss);
	put_pair(w, IFLA_VF_TRUST, i, v->trust);
	memset(&vi, 0, sizeof(vi));
	vi.vf = i;
	vi.vlan = v->vlan;
	vi.qos = v->qos;
	vi.vlan_proto = htons((uint16_t)v->proto);
	list = w_nest_start(w, IFLA_VF_VLAN_LIST);
	w_attr(w, IFLA_VF_VLAN_INFO, &vi, sizeof(vi));
	w_nest_end(w, list);
	w_nest_end(w, info);
}

static int do_getlink(struct fake_kernel *k, const unsigned char *msg, size_t len, struct wbuf *w, uint32_t seq)
{
	struct fk_pf *pf = named_pf(k, msg, len);
	size_t list, n;

	if (!pf)
		return -ENODEV;
	n = pf->list_max && pf->list_max < pf->n ? pf->list_max : pf->n;
	w_link_msg(w, RTM_NEWLINK, 0, seq);
	w_attr_str(w, IFLA_IFNAME, pf->name);
	if (!pf->no_list) {
		w_attr_u32(w, IFLA_NUM_VF, (uint32_t)pf->n);
		list = w_nest_start(w, IFLA_VFINFO_LIST);
		for (size_t i = 0; i < n; i++)
			put_vf(w, (uint32_t)i, &pf->vfs[i]);
		w_nest_end(w, list);
	}
	w_msg_end(w);
	return 0;
}

/* ---- the file ---- */

static void vf_defaults(struct fk_vf *v)
{
	memset(v, 0, sizeof(*v));
	v->proto = ETH_P_8021Q;
	v->spoofchk = 1;
	v->link_state = IFLA_VF_LINK_STATE_AUTO;
}

/* A VF of the file: what a key does not say, the driver does not report. */
static void vf_from_config(struct fk_vf *v, const struct vs_vf_config *c)
{
	vf_defaults(v);
	if (c->has_mac)
		memcpy(v->mac, c->mac, 6);
	v->vlan = c->vlan > 0 ? (uint32_t)c->vlan : 0;
	v->qos = c->qos > 0 ? (uint32_t)c->qos : 0;
	v->proto = c->vlan_proto > 0 ? (uint32_t)c->vlan_proto : ETH_P_8021Q;
	v->min_rate = c->min_tx_rate > 0 ? (uint32_t)c->min_tx_rate : 0;
	v->max_rate = c->max_tx_rate > 0 ? (uint32_t)c->max_tx_rate : 0;
	v->spoofchk = c->spoofchk;
	v->link_state = c->link_state;
	v->rss = c->query_rss;
	v->trust = c->trust;
}

static void vf_to_config(const struct fk_vf *v, int index, struct vs_vf_config *c)
{
	vs_vf_config_init(c, index);
	c->has_mac = true;
	memcpy(c->mac, v->mac, 6);
	c->vlan = (int)v->vlan;
	c->qos = (int)v->qos;
	c->vlan_proto = (int)v->proto;
	c->min_tx_rate = v->min_rate;
	c->max_tx_rate = v->max_rate;
	c->spoofchk = v->spoofchk;
	c->link_state = v->link_state;
	c->query_rss = v->rss;
	c->trust = v->trust;
}

/* "_refuse": { "em1": "trust" }: the attributes that carry that setting. */
static uint32_t refuse_bits(const char *setting)
{
	static const uint32_t bits[VS_ATTR_MAX] = {
		[VS_ATTR_MAC] = FK_BIT(IFLA_VF_MAC),
		[VS_ATTR_VLAN] = FK_BIT(IFLA_VF_VLAN) | FK_BIT(IFLA_VF_VLAN_LIST),
		[VS_ATTR_RATE] = FK_BIT(IFLA_VF_RATE) | FK_BIT(IFLA_VF_TX_RATE),
		[VS_ATTR_SPOOFCHK] = FK_BIT(IFLA_VF_SPOOFCHK),
		[VS_ATTR_LINK_STATE] = FK_BIT(IFLA_VF_LINK_STATE),
		[VS_ATTR_QUERY_RSS] = FK_BIT(IFLA_VF_RSS_QUERY_EN),
		[VS_ATTR_TRUST] = FK_BIT(IFLA_VF_TRUST),
	};

	for (size_t i = 0; i < vs_vf_n_fields; i++)
		if (strcmp(vs_vf_fields[i].json, setting) == 0 || strcmp(vs_vf_fields[i].name, setting) == 0)
			return bits[vs_vf_fields[i].attr];
	return 0;
}

static int load_pf(struct fake_kernel *k, const char *name, json_object *arr, json_object *refuse)
{
	struct vs_pf_vf_list l;
	struct vs_error err = { 0 };
	struct fk_pf *pf;
	json_object *why;

	/* the one reader of VF tables files (a captured host's too) */
	if (vs_vftables_parse(arr, k->path, name, &l, &err) < 0)
		return -EINVAL;
	pf = l.n <= FK_MAX_VFS ? fk_add_pf(k, name, l.n) : NULL;
	for (size_t i = 0; pf && i < l.n; i++) {
		/* the kernel's table: VF i at position i */
		if (l.vfs[i].index != (int)i) {
			vs_pf_vf_list_free(&l);
			return -EINVAL;
		}
		vf_from_config(&pf->vfs[i], &l.vfs[i]);
	}
	vs_pf_vf_list_free(&l);
	if (!pf)
		return -E2BIG;
	if (refuse && json_object_object_get_ex(refuse, name, &why))
		pf->refuse = refuse_bits(json_object_get_string(why));
	return 0;
}

static int load_file(struct fake_kernel *k)
{
	json_object *root = json_object_from_file(k->path), *refuse = NULL, *busy;
	int r = root ? 0 : -EIO;

	k->npf = 0;
	if (root)
		json_object_object_get_ex(root, "_refuse", &refuse);
	if (root && json_object_object_get_ex(root, "_busy", &busy))
		k->busy = json_object_get_int(busy);
	if (root && json_object_object_get_ex(root, "_delay_ms", &busy))
		k->delay_ms = json_object_get_int(busy);
	if (root) {
		json_object_object_foreach(root, name, arr) {
			if (r == 0 && name[0] != '_')
				r = json_object_is_type(arr, json_type_array) ? load_pf(k, name, arr, refuse) : -EINVAL;
		}
	}
	json_object_put(root);
	return r;
}

static json_object *vf_json(const struct fk_vf *v, int index)
{
	struct vs_vf_config c;

	vf_to_config(v, index, &c);
	return vs_vf_config_to_json(&c);
}

/* Into the file's VF object: the keys it has, and those whose value is no
 * longer what a missing key means, so that a table read and written back
 * unchanged is the same JSON. */
static void update_vf(json_object *old, const struct fk_vf *v, int index)
{
	struct vs_vf_config none = { .index = index };
	struct fk_vf absent;
	json_object *now = vf_json(v, index), *dflt, *d;

	vs_vf_config_init(&none, index);
	vf_from_config(&absent, &none);
	dflt = vf_json(&absent, index);
	json_object_object_foreach(now, key, val) {
		if (json_object_object_get_ex(old, key, NULL) || !json_object_object_get_ex(dflt, key, &d) ||
		    !json_object_equal(val, d))
			json_object_object_add(old, key, json_object_get(val));
	}
	json_object_put(now);
	json_object_put(dflt);
}

/* Write the tables back, keeping "_refuse" and anything else of the file. */
static int save_file(struct fake_kernel *k)
{
	json_object *root = json_object_from_file(k->path), *arr;
	int r;

	if (!root)
		return -EIO;
	if (json_object_object_get_ex(root, "_busy", NULL))
		json_object_object_add(root, "_busy", json_object_new_int(k->busy));
	for (size_t i = 0; i < k->npf; i++) {
		if (!json_object_object_get_ex(root, k->pf[i].name, &arr))
			continue;
		for (size_t j = 0; j < k->pf[i].n && j < json_object_array_length(arr); j++)
			update_vf(json_object_array_get_idx(arr, j), &k->pf[i].vfs[j], (int)j);
	}
	r = json_object_to_file_ext(k->path, root, JSON_C_TO_STRING_PRETTY) < 0 ? -EIO : 0;
	json_object_put(root);
	return r;
}

static void log_setlink(const struct fake_kernel *k, const unsigned char *msg, size_t len)
{
	uint32_t types[FK_MAX_VFS], vfs[FK_MAX_VFS];
	const struct fk_pf *pf = named_pf((struct fake_kernel *)k, msg, len);
	size_t list_len, n = fk_setlink_entries(k, k->nreq - 1, types, vfs, FK_MAX_VFS, &list_len);
	char log[4096];
	FILE *f;

	snprintf(log, sizeof(log), "%s.log", k->path);
	f = fopen(log, "ae");
	if (f) {
		fprintf(f, "SETLINK %s %zu\n", pf ? pf->name : "?", n);
		fclose(f);
	}
}

/* ---- the transport ---- */

static int record(struct fake_kernel *k, const void *buf, size_t len)
{
	if (k->nreq >= FK_MAX_REQ) { /* a long-running hook program: keep the last */
		free(k->req[0]);
		memmove(k->req, k->req + 1, (FK_MAX_REQ - 1) * sizeof(k->req[0]));
		memmove(k->req_len, k->req_len + 1, (FK_MAX_REQ - 1) * sizeof(k->req_len[0]));
		k->nreq--;
	}
	k->req[k->nreq] = malloc(len);
	if (!k->req[k->nreq])
		return -ENOMEM;
	memcpy(k->req[k->nreq], buf, len);
	k->req_len[k->nreq++] = len;
	return 0;
}

static int setlink(struct fake_kernel *k, const void *buf, size_t len)
{
	struct vs_nl_ack ack;
	int error;

	k->nsetlink++;
	if (k->path)
		log_setlink(k, buf, len);
	if (k->real)
		return vs_nl_request(k->real, buf, len, &ack) < 0 && ack.error == 0 ? -EIO : ack.error;
	if (k->delay_ms > 0)
		usleep((useconds_t)k->delay_ms * 1000);
	if (k->busy > 0) {
		k->busy--;
		error = k->busy_error ? k->busy_error : -EBUSY;
		return k->path && save_file(k) < 0 ? -EIO : error;
	}
	error = do_setlink(k, buf, len);
	/* like the kernel, what came before a refusal stays changed */
	if (k->path && save_file(k) < 0 && error == 0)
		error = -EIO;
	return error;
}

static int fk_send(struct vs_nl *nl, const void *buf, size_t len)
{
	struct fake_kernel *k = (struct fake_kernel *)nl;
	const struct nlmsghdr *h = buf;
	struct wbuf w;
	int error = 0;

	if (len < sizeof(*h) || record(k, buf, len) < 0)
		return -ENOSPC;
	w_init(&w);
	if (k->path && load_file(k) < 0)
		error = -EIO;
	else if (h->nlmsg_type == RTM_GETLINK)
		error = do_getlink(k, buf, len, &w, h->nlmsg_seq);
	else if (h->nlmsg_type == RTM_SETLINK)
		error = setlink(k, buf, len);
	else
		error = -EOPNOTSUPP;
	w_ack(&w, error, error < 0 && h->nlmsg_type == RTM_SETLINK ? k->setlink_extack : NULL, h->nlmsg_seq);
	free(k->reply);
	k->reply = w.b;
	k->reply_len = w.len;
	return 0;
}

static int fk_recv(struct vs_nl *nl, void **buf, size_t *len)
{
	struct fake_kernel *k = (struct fake_kernel *)nl;

	if (!k->reply)
		return -ETIMEDOUT;
	*buf = k->reply;
	*len = k->reply_len;
	k->reply = NULL;
	return 0;
}

/* vs_nl_close frees the memory: k starts with its struct vs_nl. */
static void fk_close(struct vs_nl *nl)
{
	fk_free((struct fake_kernel *)nl);
}

static const struct vs_nl_ops fk_ops = { fk_send, fk_recv, NULL };
static const struct vs_nl_ops fk_file_ops = { fk_send, fk_recv, fk_close };

struct fk_pf *fk_add_pf(struct fake_kernel *k, const char *name, size_t nvfs)
{
	struct fk_pf *pf = NULL;

	for (size_t i = 0; i < k->npf && !pf; i++)
		if (strcmp(k->pf[i].name, name) == 0)
			pf = &k->pf[i];
	if (!pf && k->npf < FK_MAX_PFS)
		pf = &k->pf[k->npf++];
	if (!pf || nvfs > FK_MAX_VFS)
		return NULL;
	memset(pf, 0, sizeof(*pf));
	snprintf(pf->name, sizeof(pf->name), "%s", name);
	pf->n = nvfs;
	for (size_t i = 0; i < nvfs; i++)
		vf_defaults(&pf->vfs[i]);
	return pf;
}

void fk_init(struct fake_kernel *k, size_t nvfs)
{
	memset(k, 0, sizeof(*k));
	k->nl.ops = &fk_ops;
	k->nl.seq = 500;
	k->refuse_error = -EOPNOTSUPP;
	fk_add_pf(k, "em1", nvfs);
}

void fk_free(struct fake_kernel *k)
{
	for (size_t i = 0; i < k->nreq; i++)
		free(k->req[i]);
	free(k->reply);
	if (k->real)
		vs_nl_close(k->real);
	memset(k, 0, sizeof(*k));
}

int fk_open_file(const char *path, struct vs_nl **nl)
{
	struct fake_kernel *k = malloc(sizeof(*k));
	struct vs_error err = { 0 };

	if (!k)
		return -ENOMEM;
	fk_init(k, 0);
	k->npf = 0;
	k->nl.ops = &fk_file_ops;
	k->path = path;
	if (getenv("VIRT_SRIOV_FAKE_SET_KERNEL") && vs_nl_open(&k->real, &err) < 0) {
		fk_free(k);
		free(k);
		return -EIO;
	}
	*nl = &k->nl;
	return 0;
}

size_t fk_setlink_entries(const struct fake_kernel *k, size_t i, uint32_t *types, uint32_t *vfs, size_t max,
			  size_t *list_len)
{
	const unsigned char *start, *end;
	struct raw a, e, s;
	size_t n = 0;

	*list_len = 0;
	if (i >= k->nreq || !link_attrs(k->req[i], k->req_len[i], &start, &end))
		return 0;
	RAW_FOREACH(a, start, end, p) {
		if (a.type != IFLA_VFINFO_LIST)
			continue;
		*list_len = a.len + HDR;
		RAW_FOREACH(e, a.data, a.data + a.len, q) {
			if (n >= max)
				return n;
			types[n] = 0;
			vfs[n] = UINT32_MAX;
			RAW_FOREACH(s, e.data, e.data + e.len, r) {
				types[n] |= FK_BIT(s.type);
				if (s.type != IFLA_VF_VLAN_LIST)
					vfs[n] = u32_of(&s, 0);
			}
			n++;
		}
	}
	return n;
}
