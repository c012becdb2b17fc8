/* What libvirt hands the hook, parsed: see hook-input.h. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "hook-input.h"
#include "xml.h"

static char *first_text(xmlDocPtr doc, const char *expr)
{
	xmlNodePtr n = vs_xml_first(doc, NULL, expr);
	xmlChar *c = n ? xmlNodeGetContent(n) : NULL;
	char *s = c ? strdup((const char *)c) : NULL;

	xmlFree(c);
	return s;
}

/* Names end up in libvirt's error and in syslog: one line, printable. */
void vs_hook_sanitize(char *s)
{
	for (; s && *s; s++)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

static int read_uuid(xmlDocPtr doc, const char *expr, char out[VS_UUID_LEN + 1], struct vs_error *err)
{
	_cleanup_free_ char *text = first_text(doc, expr);
	char *t = text;

	while (t && isspace((unsigned char)*t))
		t++;
	if (t)
		t[strcspn(t, " \t\r\n")] = '\0';
	if (!t || !vs_uuid_valid(t)) {
		vs_hook_sanitize(t);
		return vs_error_set(err, -EINVAL, "hook input: %s %s%s%s", expr,
				    t ? "is not a UUID: '" : "is missing", t ? t : "", t ? "'" : "");
	}
	for (int i = 0; t[i]; i++)
		out[i] = (char)tolower((unsigned char)t[i]);
	out[VS_UUID_LEN] = '\0';
	return 0;
}

static int parse_port(struct vs_hook_input *in, struct vs_error *err)
{
	xmlNodePtr plug;
	_cleanup_free_ char *mac = NULL;
	unsigned char m[6];
	int r;

	/* a copy made printable for messages, the name itself for matching:
	 * "caf\xc3\xa9" made "caf??" would lose its [pool] section */
	in->network_raw = first_text(in->doc, "/hookData/network/name");
	in->network = in->network_raw ? strdup(in->network_raw) : NULL;
	if (in->network_raw && !in->network)
		return -ENOMEM;
	vs_hook_sanitize(in->network);
	if (in->action != VS_HOOK_PORT_CREATED && in->action != VS_HOOK_PORT_DELETED)
		return 0;
	r = read_uuid(in->doc, "/hookData/networkport/owner/uuid", in->uuid, err);
	if (r < 0)
		return r;
	in->name = first_text(in->doc, "/hookData/networkport/owner/name");
	vs_hook_sanitize(in->name);
	mac = first_text(in->doc, "/hookData/networkport/mac/@address");
	if (mac && vs_parse_mac(mac, m) == 0)
		vs_format_mac(m, in->port_mac);
	plug = vs_xml_first(in->doc, NULL, "/hookData/networkport/plug[@type='hostdev-pci']/address");
	if (plug && vs_xml_pci_address(plug, in->port_vf) < 0)
		return vs_error_set(err, -EINVAL, "hook input: the port's <plug><address> is not a PCI address");
	return 0;
}

static int check_root(struct vs_hook_input *in, struct vs_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(in->doc);
	const char *name = (const char *)root->name;
	enum vs_hook_driver got = VS_HOOK_DRIVER_UNKNOWN;

	if (!root->ns && strcmp(name, "domain") == 0)
		got = VS_HOOK_QEMU;
	else if (!root->ns && strcmp(name, "hookData") == 0)
		got = VS_HOOK_NETWORK;
	if (in->driver == VS_HOOK_DRIVER_UNKNOWN)
		in->driver = got;
	if (got == VS_HOOK_DRIVER_UNKNOWN || got != in->driver)
		return vs_error_set(err, -EINVAL, "hook input: expected <%s> on stdin, got <%.64s>",
				    in->driver == VS_HOOK_NETWORK ? "hookData" : "domain", name);
	return 0;
}

static int input_parse(enum vs_hook_driver d, enum vs_hook_action a, const char *xml, size_t len,
		       struct vs_hook_input *in, struct vs_error *err)
{
	int r;

	memset(in, 0, sizeof(*in));
	in->driver = d;
	in->action = a;
	if (len > VS_HOOK_INPUT_MAX)
		return vs_error_set(err, -EFBIG, "hook input: more than %d bytes on stdin: not a guest's XML",
				    VS_HOOK_INPUT_MAX);
	if (len == 0 || memchr(xml, '\0', len))
		return vs_error_set(err, -EINVAL, "hook input: %s", len ? "a NUL byte on stdin: not XML" : "nothing on stdin");
	r = vs_xml_parse(xml, "hook input", &in->doc, err);
	if (r < 0)
		return r;
	/* libvirt never sends a DTD; entities can only be an attack. */
	if (in->doc->intSubset || in->doc->extSubset)
		return vs_error_set(err, -EINVAL, "hook input: has a <!DOCTYPE>, which libvirt never sends");
	r = check_root(in, err);
	if (r < 0)
		return r;
	if (in->driver == VS_HOOK_NETWORK)
		return parse_port(in, err);
	r = read_uuid(in->doc, "/domain/uuid", in->uuid, err);
	if (r < 0)
		return r;
	in->name = first_text(in->doc, "/domain/name");
	vs_hook_sanitize(in->name);
	return 0;
}

int vs_hook_input_parse(enum vs_hook_driver d, enum vs_hook_action a, const char *xml, size_t len,
			struct vs_hook_input *in, struct vs_error *err)
{
	int r = input_parse(d, a, xml, len, in, err);

	/* libxml2's messages quote the input: keep libvirt's error one line */
	if (r < 0 && err)
		vs_hook_sanitize(err->msg);
	return r;
}

void vs_hook_input_free(struct vs_hook_input *in)
{
	if (in->doc)
		xmlFreeDoc(in->doc);
	free(in->name);
	free(in->network);
	free(in->network_raw);
	memset(in, 0, sizeof(*in));
}
