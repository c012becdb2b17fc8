/* VF index sets: "0-3,7,12", as in em1#0-3,7 and [vfs em1#0-3,7].  Kept
 * apart from vfset.c, which resolves sets against the inventory, so that
 * the configuration file parser (and the hook that reads it) does not pull
 * in the inventory and libpci. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "indexset.h"

/* Above any PCI function count: a typo like "0-4000000000" must not
 * allocate gigabytes. */
#define VS_MAX_VF_INDEX 65535

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* One decimal number at *s (no sign, no spaces), advancing *s. */
static int parse_index(const char **s, unsigned *out)
{
	unsigned long v = 0;
	const char *p = *s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > VS_MAX_VF_INDEX)
			return -ERANGE;
	}
	*s = p;
	*out = (unsigned)v;
	return 0;
}

static int parse_item(const char *spec, const char **s, unsigned *lo, unsigned *hi, struct vs_error *err)
{
	const char *start = *s;
	size_t len = strcspn(start, ",");
	int r;

	r = parse_index(s, lo);
	*hi = *lo;
	if (r == 0 && **s == '-') {
		(*s)++;
		r = parse_index(s, hi);
	}
	if (r == -ERANGE)
		return vs_error_set(err, -EINVAL, "'%s': VF index in '%.*s' is above %d", spec, (int)len, start, VS_MAX_VF_INDEX);
	if (r < 0 || (**s != ',' && **s != '\0'))
		return vs_error_set(err, -EINVAL, "'%s': '%.*s' is not a VF index or range (N or N-M)", spec, (int)len, start);
	if (*hi < *lo)
		return vs_error_set(err, -EINVAL, "'%s': range '%.*s' goes backwards", spec, (int)len, start);
	return 0;
}

static int add_range(unsigned **v, size_t *n, size_t *alloc, unsigned lo, unsigned hi)
{
	for (unsigned i = lo; i <= hi; i++) {
		if (vs_grow((void **)v, alloc, *n + 1, sizeof(**v)) < 0)
			return -ENOMEM;
		(*v)[(*n)++] = i;
	}
	return 0;
}

int vs_index_set_parse(const char *label, const char *spec, unsigned **out, size_t *n, struct vs_error *err)
{
	_cleanup_free_ unsigned *v = NULL;
	size_t count = 0, alloc = 0, uniq = 0;
	const char *s = spec;
	unsigned lo, hi;
	int r;

	if (!spec || !*spec)
		return vs_error_set(err, -EINVAL, "'%s': empty VF index list", label ? label : "");
	for (;;) {
		r = parse_item(label, &s, &lo, &hi, err);
		if (r == 0)
			r = add_range(&v, &count, &alloc, lo, hi);
		if (r < 0)
			return r;
		if (*s == '\0')
			break;
		s++; /* ',' */
	}
	qsort(v, count, sizeof(*v), cmp_unsigned);
	for (size_t i = 0; i < count; i++)
		if (uniq == 0 || v[uniq - 1] != v[i])
			v[uniq++] = v[i];
	*out = TAKE_PTR(v);
	*n = uniq;
	return 0;
}

int vs_parse_index_set(const char *spec, unsigned **out, size_t *n, struct vs_error *err)
{
	return vs_index_set_parse(spec, spec, out, n, err);
}
