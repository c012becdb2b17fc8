#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "pciaddr.h"

/* Not isxdigit(): the accepted digits must not depend on the locale. */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* min..max hex digits ending at `sep` ('\0': the end of the string).  Not
 * sscanf("%x"): it skips spaces and takes signs and "0x". */
static int field(const char **p, int min, int max, char sep, uint32_t *out)
{
	const char *s = *p;
	uint32_t v = 0;
	int n = 0, d;

	while ((d = hex_digit(s[n])) >= 0) {
		if (++n > max)
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	if (n < min || s[n] != sep)
		return -EINVAL;
	*p = s + n + (sep != '\0');
	*out = v;
	return 0;
}

static int parse(const char *s, bool padded, bool short_form, struct vs_pci_addr *out)
{
	uint32_t d = 0, b, sl, f;

	if (!s)
		return -EINVAL;
	if ((!short_form && field(&s, padded ? 4 : 1, 8, ':', &d) < 0) || field(&s, padded ? 2 : 1, 2, ':', &b) < 0 ||
	    field(&s, padded ? 2 : 1, 2, '.', &sl) < 0 || field(&s, 1, 1, '\0', &f) < 0)
		return -EINVAL;
	if (sl > 0x1f || f > 7)
		return -ERANGE;
	*out = (struct vs_pci_addr){ .domain = d, .bus = (uint8_t)b, .slot = (uint8_t)sl, .function = (uint8_t)f };
	return 0;
}

int vs_pci_addr_parse(const char *s, struct vs_pci_addr *out)
{
	return parse(s, true, false, out);
}

int vs_pci_addr_parse_unpadded(const char *s, struct vs_pci_addr *out)
{
	return parse(s, false, false, out);
}

int vs_pci_addr_parse_short(const char *s, struct vs_pci_addr *out)
{
	return parse(s, true, true, out);
}

char *vs_pci_addr_format(const struct vs_pci_addr *a, char out[VS_PCI_ADDR_LEN])
{
	snprintf(out, VS_PCI_ADDR_LEN, "%04x:%02x:%02x.%x", a->domain, a->bus, a->slot, a->function);
	return out;
}

int vs_pci_addr_normalize(const char *in, char out[VS_PCI_ADDR_LEN])
{
	struct vs_pci_addr a;
	int r = vs_pci_addr_parse_unpadded(in, &a);

	if (r < 0)
		return r;
	vs_pci_addr_format(&a, out);
	return 0;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

int vs_pci_addr_cmp(const struct vs_pci_addr *a, const struct vs_pci_addr *b)
{
	if (a->domain != b->domain)
		return cmp_u32(a->domain, b->domain);
	return cmp_u32(vs_pci_addr_rid(a), vs_pci_addr_rid(b));
}
