/* What libvirt hands the hook: argv names the operation (hook-action.h),
 * stdin holds the guest's <domain> (qemu) or the network's <hookData>
 * (network).  Read here into struct vs_hook_input; the XML is untrusted
 * (a guest's name, its metadata), so size, DTDs and the root are checked
 * and every name is made one printable line before it reaches libvirt's
 * error or syslog. */
#pragma once

#include <libxml/tree.h>
#include <stddef.h>

#include "hook-action.h"
#include "inventory.h"
#include "state.h"
#include "util.h"

#define VS_HOOK_INPUT_MAX (4 << 20)   /* a domain XML is a few KiB */

struct vs_hook_input {
	enum vs_hook_driver driver;
	enum vs_hook_action action;
	xmlDocPtr doc;
	char uuid[VS_UUID_LEN + 1];   /* the guest (owner of the port) */
	char *name;                   /* the guest's name, for messages */
	char *network;                /* network hook: the pool, printable (for messages) */
	char *network_raw;            /* the same as libvirt names it (UTF-8): what [pool NAME] and
					 network= rules are matched against; never printed as is */
	char port_vf[VS_PCI_ADDR_MAX];/* network hook: the VF handed out; "" none */
	char port_mac[18];            /* network hook: the guest interface's MAC */
};

/* Parse stdin.  With driver UNKNOWN the root element decides.  -EINVAL with
 * err saying what is wrong (not XML, wrong root, no UUID...). */
int vs_hook_input_parse(enum vs_hook_driver d, enum vs_hook_action a, const char *xml, size_t len,
			struct vs_hook_input *in, struct vs_error *err);
void vs_hook_input_free(struct vs_hook_input *in);

/* Names end up in libvirt's error and in syslog: one line, printable (any
 * other byte becomes '?'). */
void vs_hook_sanitize(char *s);
