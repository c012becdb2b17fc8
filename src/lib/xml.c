#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "xml.h"

/* No network, no external entities: templates and libvirt's XML are local. */
#define VS_XML_PARSE_FLAGS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static void xml_error_text(char *buf, size_t len)
{
	const xmlError *e = xmlGetLastError();
	size_t n;

	snprintf(buf, len, "%s", e && e->message ? e->message : "not well-formed");
	n = strlen(buf);
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
}

/* What xmlRead* gave: a document with a root element, or the error named. */
static int parsed(xmlDocPtr doc, const char *what, xmlDocPtr *out, struct vs_error *err)
{
	char msg[256];

	*out = doc;
	if (doc && xmlDocGetRootElement(doc))
		return 0;
	xml_error_text(msg, sizeof(msg));
	vs_xml_docp(out);
	*out = NULL;
	return vs_error_set(err, -EINVAL, "%s: cannot parse XML: %s", what, msg);
}

int vs_xml_parse(const char *buf, const char *what, xmlDocPtr *out, struct vs_error *err)
{
	xmlResetLastError();
	return parsed(xmlReadMemory(buf, (int)strlen(buf), what, NULL, VS_XML_PARSE_FLAGS), what, out, err);
}

int vs_xml_parse_file(const char *path, xmlDocPtr *out, struct vs_error *err)
{
	xmlResetLastError();
	return parsed(xmlReadFile(path, NULL, VS_XML_PARSE_FLAGS), path, out, err);
}

xmlXPathObjectPtr vs_xml_eval(xmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	_cleanup_xpctx_ xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;

	if (!ctx)
		return NULL;
	ctx->node = node ? node : xmlDocGetRootElement(doc);
	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (o && o->type != XPATH_NODESET) {
		xmlXPathFreeObject(o);
		return NULL;
	}
	return o;
}

xmlNodePtr vs_xml_first(xmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	_cleanup_xpobj_ xmlXPathObjectPtr o = vs_xml_eval(doc, node, expr);

	return vs_xml_count(o) > 0 ? o->nodesetval->nodeTab[0] : NULL;
}

static int addr_field(xmlNodePtr n, const char *name, unsigned max, unsigned *out, bool *seen)
{
	_cleanup_xmlchar_ xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	unsigned long u;

	*out = 0;
	if (!v)
		return 0;
	*seen = true;
	if (vs_parse_ulong((const char *)v, 0, &u) < 0 || u > max)
		return -EINVAL;
	*out = (unsigned)u;
	return 0;
}

int vs_xml_pci_address(xmlNodePtr addr, char out[VS_PCI_ADDR_LEN])
{
	unsigned d, b, s, f;
	bool seen = false;
	struct vs_pci_addr a;

	if (!addr)
		return -ENOENT;
	if (addr_field(addr, "domain", 0xffffffffu, &d, &seen) < 0 ||
	    addr_field(addr, "bus", 0xff, &b, &seen) < 0 ||
	    addr_field(addr, "slot", 0x1f, &s, &seen) < 0 ||
	    addr_field(addr, "function", 0x7, &f, &seen) < 0)
		return -EINVAL;
	if (!seen)
		return -ENOENT;
	a = (struct vs_pci_addr){ .domain = d, .bus = (uint8_t)b, .slot = (uint8_t)s, .function = (uint8_t)f };
	vs_pci_addr_format(&a, out);
	return 0;
}

char *vs_xml_dump(xmlDocPtr doc)
{
	xmlBufferPtr buf = xmlBufferCreate();
	char *s = NULL;

	if (!buf)
		return NULL;
	if (xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 1) >= 0) {
		const char *c = (const char *)xmlBufferContent(buf);
		size_t n = strlen(c);

		s = malloc(n + 2);
		if (s) {
			memcpy(s, c, n);
			strcpy(s + n, "\n");
		}
	}
	xmlBufferFree(buf);
	return s;
}

static bool in_list(const xmlChar *name, const char *const *list)
{
	for (; list && *list; list++)
		if (xmlStrEqual(name, (const xmlChar *)*list))
			return true;
	return false;
}

static xmlNodePtr next_element(xmlNodePtr n, const char *const *ignore)
{
	while (n && (n->type != XML_ELEMENT_NODE || in_list(n->name, ignore)))
		n = n->next;
	return n;
}

static bool same_attrs(xmlNodePtr a, xmlNodePtr b)
{
	int na = 0, nb = 0;

	for (xmlAttrPtr p = b->properties; p; p = p->next)
		nb++;
	for (xmlAttrPtr p = a->properties; p; p = p->next, na++) {
		_cleanup_xmlchar_ xmlChar *va = xmlNodeGetContent((xmlNodePtr)p);
		_cleanup_xmlchar_ xmlChar *vb = xmlGetProp(b, p->name);

		if (!vb || !xmlStrEqual(va, vb))
			return false;
	}
	return na == nb;
}

static bool same_text(xmlNodePtr a, xmlNodePtr b)
{
	_cleanup_xmlchar_ xmlChar *ta = xmlNodeGetContent(a);
	_cleanup_xmlchar_ xmlChar *tb = xmlNodeGetContent(b);

	return xmlStrEqual(ta, tb);
}

bool vs_xml_same(xmlNodePtr a, xmlNodePtr b, const char *const *ignore)
{
	xmlNodePtr ca, cb;

	if (!xmlStrEqual(a->name, b->name) || !same_attrs(a, b))
		return false;
	ca = next_element(a->children, ignore);
	cb = next_element(b->children, ignore);
	if (!ca && !cb)
		return same_text(a, b);
	while (ca && cb) {
		if (!vs_xml_same(ca, cb, NULL))
			return false;
		ca = next_element(ca->next, ignore);
		cb = next_element(cb->next, ignore);
	}
	return !ca && !cb;
}
