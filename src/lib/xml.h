/* libvirt's XML through the libxml2 tree: parsing without network or
 * entities, XPath lookups, comparing and dumping, and the cleanup
 * attributes for libxml2's objects.  The hook reads its input with these
 * alone; the templates are in xmlgen.h. */
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdbool.h>

#include "pciaddr.h"
#include "util.h"

static inline void vs_xml_docp(xmlDocPtr *d) { if (*d) xmlFreeDoc(*d); }
static inline void vs_xml_ctxp(xmlXPathContextPtr *c) { if (*c) xmlXPathFreeContext(*c); }
static inline void vs_xml_objp(xmlXPathObjectPtr *o) { if (*o) xmlXPathFreeObject(*o); }
static inline void vs_xml_charp(xmlChar **s) { if (*s) xmlFree(*s); }

#define _cleanup_xmldoc_ _cleanup_(vs_xml_docp)
#define _cleanup_xpctx_ _cleanup_(vs_xml_ctxp)
#define _cleanup_xpobj_ _cleanup_(vs_xml_objp)
#define _cleanup_xmlchar_ _cleanup_(vs_xml_charp)

/* Parse an XML document held in memory; `what` names it in errors
 * (a file name, "domain guest1 XML").  No network access, no entities. */
int vs_xml_parse(const char *buf, const char *what, xmlDocPtr *out, struct vs_error *err);
int vs_xml_parse_file(const char *path, xmlDocPtr *out, struct vs_error *err);

/* Evaluate expr relative to node (the root when NULL).  Returns a node-set
 * object (possibly empty) or NULL on a bad expression / no memory. */
xmlXPathObjectPtr vs_xml_eval(xmlDocPtr doc, xmlNodePtr node, const char *expr);
static inline int vs_xml_count(const xmlXPathObjectPtr o)
{
	return (o && o->nodesetval) ? o->nodesetval->nodeNr : 0;
}
/* First node matching expr, or NULL. */
xmlNodePtr vs_xml_first(xmlDocPtr doc, xmlNodePtr node, const char *expr);

/* A <address domain bus slot function> element in canonical form
 * (vs_pci_addr_format).  Values are read as libvirt reads them (base 0:
 * "0x01", "1"); a missing one is 0.  -ENOENT when the element carries no
 * address, -EINVAL when malformed. */
int vs_xml_pci_address(xmlNodePtr addr, char out[VS_PCI_ADDR_LEN]);

/* Same element tree: names, attribute sets, element children in order,
 * text of leaves; comments and blank text ignored.  Top-level children named
 * in `ignore` (NULL-terminated, e.g. "uuid") are skipped. */
bool vs_xml_same(xmlNodePtr a, xmlNodePtr b, const char *const *ignore);

/* Serialize a whole document (no XML declaration, indented).  Caller frees. */
char *vs_xml_dump(xmlDocPtr doc);
