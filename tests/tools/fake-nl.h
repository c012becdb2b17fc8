/* A raw netlink byte writer that knows nothing of the code under test
 * (struct nlmsghdr / ifinfomsg / nlattr laid out by hand), used by the fake
 * kernel (fake-kernel.c) for its answers and by netlink.c's own tests; and,
 * for those byte-level tests of netlink.c alone, a transport that records
 * requests and plays back canned replies.  Every other test talks to the
 * fake kernel. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

struct wbuf {
	unsigned char *b;
	size_t len, cap;
};

void w_init(struct wbuf *w);
void w_free(struct wbuf *w);
/* Append len bytes, then zero padding to a 4-byte boundary. */
void w_put(struct wbuf *w, const void *data, size_t len);
/* nlmsghdr + ifinfomsg (AF_UNSPEC, index 0); w_msg_end fixes nlmsg_len. */
void w_link_msg(struct wbuf *w, uint16_t type, uint16_t flags, uint32_t seq);
void w_msg_end(struct wbuf *w);
void w_attr(struct wbuf *w, uint16_t type, const void *data, size_t len);
void w_attr_u32(struct wbuf *w, uint16_t type, uint32_t v);
void w_attr_str(struct wbuf *w, uint16_t type, const char *s);
size_t w_nest_start(struct wbuf *w, uint16_t type);
/* As libnl's nla_nest_start: the type carries NLA_F_NESTED. */
size_t w_nest_start_flagged(struct wbuf *w, uint16_t type);
/* Stores the length as the kernel does: in 16 bits (a long list wraps). */
void w_nest_end(struct wbuf *w, size_t start);
/* A whole NLMSG_ERROR: error (0 = ACK), optional extack text. */
void w_ack(struct wbuf *w, int error, const char *extack, uint32_t seq);

#define FAKE_MAX 16

struct fake_nl {
	struct vs_nl nl;
	unsigned char *req[FAKE_MAX];
	size_t req_len[FAKE_MAX];
	size_t nreq;
	unsigned char *reply[FAKE_MAX];
	size_t reply_len[FAKE_MAX];
	size_t nreply, next;
};

void fake_init(struct fake_nl *f);
void fake_free(struct fake_nl *f);
/* Queue one datagram; its messages get the seq of the request being answered. */
void fake_queue(struct fake_nl *f, const struct wbuf *w);
void fake_queue_ack(struct fake_nl *f, int error, const char *extack);
