#include "config.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fake-nl.h"

#define ALIGN4(x) (((x) + 3u) & ~3u)

void w_init(struct wbuf *w)
{
	memset(w, 0, sizeof(*w));
}

void w_free(struct wbuf *w)
{
	free(w->b);
	w_init(w);
}

static void w_reserve(struct wbuf *w, size_t more)
{
	if (w->len + more <= w->cap)
		return;
	w->cap = (w->len + more) * 2 + 64;
	w->b = realloc(w->b, w->cap);
	if (!w->b)
		abort();
}

void w_put(struct wbuf *w, const void *data, size_t len)
{
	size_t padded = ALIGN4(len);

	w_reserve(w, padded);
	memcpy(w->b + w->len, data, len);
	memset(w->b + w->len + len, 0, padded - len);
	w->len += padded;
}

void w_link_msg(struct wbuf *w, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct ifinfomsg ifi;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	w_put(w, &h, sizeof(h));
	w_put(w, &ifi, sizeof(ifi));
}

void w_msg_end(struct wbuf *w)
{
	uint32_t len = (uint32_t)w->len;

	memcpy(w->b, &len, sizeof(len)); /* nlmsg_len is the first field */
}

void w_attr(struct wbuf *w, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(sizeof(a) + len), .nla_type = type };

	w_put(w, &a, sizeof(a));
	if (len)
		w_put(w, data, len);
}

void w_attr_u32(struct wbuf *w, uint16_t type, uint32_t v)
{
	w_attr(w, type, &v, sizeof(v));
}

void w_attr_str(struct wbuf *w, uint16_t type, const char *s)
{
	w_attr(w, type, s, strlen(s) + 1);
}

size_t w_nest_start(struct wbuf *w, uint16_t type)
{
	size_t start = w->len;

	w_attr(w, type, NULL, 0);
	return start;
}

size_t w_nest_start_flagged(struct wbuf *w, uint16_t type)
{
	return w_nest_start(w, (uint16_t)(type | NLA_F_NESTED));
}

void w_nest_end(struct wbuf *w, size_t start)
{
	uint16_t len = (uint16_t)(w->len - start);

	memcpy(w->b + start, &len, sizeof(len));
}

void w_ack(struct wbuf *w, int error, const char *extack, uint32_t seq)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR, .nlmsg_seq = seq,
			      .nlmsg_flags = NLM_F_CAPPED | (extack ? NLM_F_ACK_TLVS : 0) };
	struct nlmsgerr e;
	size_t start = w->len;
	uint32_t len;

	memset(&e, 0, sizeof(e));
	e.error = error;
	e.msg.nlmsg_len = 64; /* the echoed request header; capped, so no payload */
	e.msg.nlmsg_seq = seq;
	w_put(w, &h, sizeof(h));
	w_put(w, &e, sizeof(e));
	if (extack)
		w_attr_str(w, NLMSGERR_ATTR_MSG, extack);
	len = (uint32_t)(w->len - start);
	memcpy(w->b + start, &len, sizeof(len));
}

static int fake_send(struct vs_nl *nl, const void *buf, size_t len)
{
	struct fake_nl *f = (struct fake_nl *)nl;

	if (f->nreq >= FAKE_MAX)
		return -ENOSPC;
	f->req[f->nreq] = malloc(len);
	memcpy(f->req[f->nreq], buf, len);
	f->req_len[f->nreq++] = len;
	return 0;
}

static int fake_recv(struct vs_nl *nl, void **buf, size_t *len)
{
	struct fake_nl *f = (struct fake_nl *)nl;
	unsigned char *d;
	size_t off = 0;

	if (f->next >= f->nreply)
		return -ETIMEDOUT;
	d = malloc(f->reply_len[f->next]);
	memcpy(d, f->reply[f->next], f->reply_len[f->next]);
	*len = f->reply_len[f->next++];
	/* Stamp every message with the sequence number of the request. */
	while (off + sizeof(struct nlmsghdr) <= *len) {
		struct nlmsghdr *h = (struct nlmsghdr *)(d + off);

		h->nlmsg_seq = nl->seq;
		if (h->nlmsg_len < sizeof(*h))
			break;
		off += ALIGN4(h->nlmsg_len);
	}
	*buf = d;
	return 0;
}

static const struct vs_nl_ops fake_ops = { fake_send, fake_recv, NULL };

void fake_init(struct fake_nl *f)
{
	memset(f, 0, sizeof(*f));
	f->nl.ops = &fake_ops;
	f->nl.seq = 100;
}

void fake_free(struct fake_nl *f)
{
	for (size_t i = 0; i < f->nreq; i++)
		free(f->req[i]);
	for (size_t i = 0; i < f->nreply; i++)
		free(f->reply[i]);
	fake_init(f);
}

void fake_queue(struct fake_nl *f, const struct wbuf *w)
{
	if (f->nreply >= FAKE_MAX)
		abort();
	f->reply[f->nreply] = malloc(w->len);
	memcpy(f->reply[f->nreply], w->b, w->len);
	f->reply_len[f->nreply++] = w->len;
}

void fake_queue_ack(struct fake_nl *f, int error, const char *extack)
{
	struct wbuf w;

	w_init(&w);
	w_ack(&w, error, extack, 0);
	fake_queue(f, &w);
	w_free(&w);
}
