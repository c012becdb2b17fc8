/* NUMA nodes: the host's nodes and their CPUs (sysfs
 * /sys/devices/system/node/nodeN/cpulist), the node a guest's definition
 * ties it to (its <numatune> and its vCPU pinning), and how near a PF is
 * to that node, for `attach --numa`, `check` and the per-node pools.
 *
 * A PF's node is the kernel's numa_node (the inventory's, -1 unknown).  On
 * a host with one node (or without NUMA in sysfs) every device is on it,
 * whatever the kernel says: -1 counts as that node.  On a host with
 * several nodes -1 stays unknown: never "on the guest's node", but tried
 * before the PFs known to sit on another one. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysfs.h"
#include "util.h"

/* Node and CPU numbers (the kernel's NR_CPUS is at most 8192). */
#define VS_NUMA_BITS_MAX 8192

struct vs_bits {
	uint64_t w[VS_NUMA_BITS_MAX / 64];
};

static inline bool vs_bits_has(const struct vs_bits *b, unsigned i)
{
	return i < VS_NUMA_BITS_MAX && (b->w[i / 64] >> (i % 64)) & 1;
}
static inline void vs_bits_add(struct vs_bits *b, unsigned i)
{
	if (i < VS_NUMA_BITS_MAX)
		b->w[i / 64] |= UINT64_C(1) << (i % 64);
}
bool vs_bits_empty(const struct vs_bits *b);
/* a &= b; true when something is left. */
bool vs_bits_and(struct vs_bits *a, const struct vs_bits *b);
/* "0-1,3" ("" when empty). */
void vs_bits_format(const struct vs_bits *b, char *buf, size_t len);
/* libvirt's and the kernel's list syntax: "0-3,^2,8"; -EINVAL with err
 * quoting what (e.g. "nodeset of <numatune><memory>") and the text. */
int vs_bits_parse(const char *text, const char *what, struct vs_bits *out, struct vs_error *err);

struct vs_numa_node {
	int id;
	struct vs_bits cpus;
};

struct vs_numa_host {
	struct vs_numa_node *nodes;   /* by id, ascending */
	size_t n;                     /* 0: no NUMA in sysfs (one node, in effect) */
};

/* The host's nodes.  A missing /sys/devices/system/node is no error (n 0). */
int vs_numa_host_load(const struct vs_sysfs *fs, struct vs_numa_host *h, struct vs_error *err);
void vs_numa_host_free(struct vs_numa_host *h);

/* Where a guest's definition puts it. */
struct vs_numa_guest {
	struct vs_bits nodes;         /* what a VF should be near; empty: nothing to go by */
	struct vs_bits mem;           /* <numatune><memory nodeset>, <memnode nodeset> */
	struct vs_bits cpu;           /* nodes of the pinned vCPUs (<vcpupin cpuset>, else <vcpu cpuset>) */
	bool has_mem, has_cpu;
	char why[256];                /* "memory on node 1 (numatune)", "..."; also why nothing */
};

/* Read a domain XML (live or inactive).  Memory comes first: the VF's DMA
 * lands in the guest's memory; the vCPUs' nodes count when the memory is
 * not placed, and narrow it when both are (their common nodes, if any). */
int vs_numa_guest_nodes(const char *domain_xml, const struct vs_numa_host *h, struct vs_numa_guest *out,
			struct vs_error *err);

/* How near a PF on pf_node is to nodes: 0 on one of them, 1 unknown,
 * 2 on another node.  host: the host's nodes (see the top of this file). */
enum { VS_NUMA_NEAR = 0, VS_NUMA_UNKNOWN = 1, VS_NUMA_FAR = 2 };
int vs_numa_rank(const struct vs_numa_host *h, int pf_node, const struct vs_bits *nodes);
/* The PF's node as the choice sees it: -1 becomes the only node of a
 * one-node host. */
int vs_numa_pf_node(const struct vs_numa_host *h, int pf_node);
