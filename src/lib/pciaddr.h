/* PCI addresses: the one parser and the one spelling of the tree.
 *
 * libc only (no libpci, no libxml2): the hook and the CLI's base layer use
 * it without pulling either in.
 *
 * Accepted forms, hex digits in either case, nothing before or after:
 *   vs_pci_addr_parse           "DDDD:BB:SS.F" as sysfs names devices: a
 *                               4- to 8-digit domain (Linux VMD domains
 *                               start at 0x10000), 2-digit bus and slot,
 *                               1-digit function.
 *   vs_pci_addr_parse_unpadded  the same with fields of fewer digits
 *                               ("0:3:10.1"), as people copy them from
 *                               libvirt XML into policy and config files.
 *   vs_pci_addr_parse_short     "BB:SS.F", the domain-less form lspci
 *                               prints (domain 0 in *out).  Only the name
 *                               resolver (devname.c) reads it, and it asks
 *                               sysfs which domain is meant: the parsers
 *                               above never take it for domain 0.
 * Ranges: slot <= 0x1f, function <= 7 (bus <= 0xff and domain <=
 * 0xffffffff follow from the digit counts). */
#pragma once

#include <stdint.h>

struct vs_pci_addr {
	uint32_t domain;
	uint8_t bus;
	uint8_t slot;
	uint8_t function;
};

/* Room for the widest canonical address and its NUL. */
#define VS_PCI_ADDR_LEN sizeof("ffffffff:ff:1f.7")

/* 0, -EINVAL on bad syntax (out of place or missing separator, too many or
 * too few digits, trailing text, NULL), -ERANGE for slot > 0x1f or
 * function > 7.  *out is written only on success. */
int vs_pci_addr_parse(const char *s, struct vs_pci_addr *out);
int vs_pci_addr_parse_unpadded(const char *s, struct vs_pci_addr *out);
int vs_pci_addr_parse_short(const char *s, struct vs_pci_addr *out);

/* Canonical lowercase "0000:01:10.0" (domain at least 4 digits, as the
 * kernel names devices).  Returns out. */
char *vs_pci_addr_format(const struct vs_pci_addr *a, char out[VS_PCI_ADDR_LEN]);

/* A hand-written address (vs_pci_addr_parse_unpadded) in canonical form. */
int vs_pci_addr_normalize(const char *in, char out[VS_PCI_ADDR_LEN]);

/* <0, 0, >0 in domain, bus, slot, function order: sysfs order. */
int vs_pci_addr_cmp(const struct vs_pci_addr *a, const struct vs_pci_addr *b);

/* Bus, slot and function as one number (the PCIe routing ID), the unit
 * SR-IOV's First VF Offset and VF Stride count in. */
static inline unsigned vs_pci_addr_rid(const struct vs_pci_addr *a)
{
	return (unsigned)a->bus << 8 | (unsigned)a->slot << 3 | a->function;
}
