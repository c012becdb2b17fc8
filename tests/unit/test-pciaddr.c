/* The one PCI address parser: accepted forms, ranges, the canonical
 * spelling, order and the routing ID, with the values read back. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pciaddr.h"

static void assert_addr(const struct vs_pci_addr *a, uint32_t dom, unsigned bus, unsigned slot, unsigned fn)
{
	assert_int_equal(a->domain, dom);
	assert_int_equal(a->bus, bus);
	assert_int_equal(a->slot, slot);
	assert_int_equal(a->function, fn);
}

static void test_full_form(void **state)
{
	struct vs_pci_addr a;

	assert_int_equal(vs_pci_addr_parse("0000:01:10.0", &a), 0);
	assert_addr(&a, 0, 0x01, 0x10, 0);
	assert_int_equal(vs_pci_addr_parse("0001:af:1f.7", &a), 0);
	assert_addr(&a, 1, 0xaf, 0x1f, 7);
	/* upper and mixed case read the same */
	assert_int_equal(vs_pci_addr_parse("00AB:1A:0F.3", &a), 0);
	assert_addr(&a, 0xab, 0x1a, 0x0f, 3);
	assert_int_equal(vs_pci_addr_parse("ffff:Ff:1F.7", &a), 0);
	assert_addr(&a, 0xffff, 0xff, 0x1f, 7);
}

/* Linux VMD puts devices in domains from 0x10000; sysfs names them with
 * 5 digits.  8 digits is the most a 32-bit domain needs. */
static void test_wide_domain(void **state)
{
	struct vs_pci_addr a;

	assert_int_equal(vs_pci_addr_parse("10000:01:00.0", &a), 0);
	assert_addr(&a, 0x10000, 1, 0, 0);
	assert_int_equal(vs_pci_addr_parse("ffffffff:ff:1f.7", &a), 0);
	assert_addr(&a, 0xffffffffu, 0xff, 0x1f, 7);
	assert_int_equal(vs_pci_addr_parse("100000000:01:00.0", &a), -EINVAL);
}

static void test_out_of_range(void **state)
{
	struct vs_pci_addr a = { .domain = 0x1234, .bus = 0x56, .slot = 7, .function = 1 };

	assert_int_equal(vs_pci_addr_parse("0000:01:20.0", &a), -ERANGE);   /* slot 0x20 */
	assert_int_equal(vs_pci_addr_parse("0000:01:ff.0", &a), -ERANGE);
	assert_int_equal(vs_pci_addr_parse("0000:01:10.8", &a), -ERANGE);   /* function 8 */
	assert_int_equal(vs_pci_addr_parse("0000:01:10.f", &a), -ERANGE);
	assert_int_equal(vs_pci_addr_parse_unpadded("0:1:20.0", &a), -ERANGE);
	assert_int_equal(vs_pci_addr_parse_unpadded("0:1:10.8", &a), -ERANGE);
	/* a bus above 0xff needs a third digit, which is refused as syntax */
	assert_int_equal(vs_pci_addr_parse("0000:100:10.0", &a), -EINVAL);
	/* nothing written on failure */
	assert_addr(&a, 0x1234, 0x56, 7, 1);
}

static void test_bad_syntax(void **state)
{
	static const char *const bad[] = {
		"", ":", "0000", "0000:01", "0000:01:10", "0000:01:10.", ":01:10.0", "0000::10.0",
		"0000:01:10.0x", "0000:01:10.0 ", " 0000:01:10.0", "0000: 01:10.0", "0000:01:10.0\n",
		"0000:01:10.00", "0000:01:10:0", "0000.01.10.0", "0000:01:10.0.1",
		"0x00:01:10.0", "+000:01:10.0", "-000:01:10.0", "0000:+1:10.0", "0000:01:-1.0",
		"000g:01:10.0", "0000:01:10.0#1", "em1", "8086:1521",
		"0000000000000000000000000000000000000000:01:10.0", "0000:0000000001:10.0",
	};
	struct vs_pci_addr a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (vs_pci_addr_parse(bad[i], &a) != -EINVAL)
			fail_msg("strict parser took '%s'", bad[i]);
		if (vs_pci_addr_parse_unpadded(bad[i], &a) != -EINVAL)
			fail_msg("unpadded parser took '%s'", bad[i]);
	}
	assert_int_equal(vs_pci_addr_parse(NULL, &a), -EINVAL);
	assert_int_equal(vs_pci_addr_parse_unpadded(NULL, &a), -EINVAL);
}

/* Fewer digits than sysfs writes: refused by the strict parser, read by
 * the one for hand-written text. */
static void test_unpadded(void **state)
{
	static const char *const short_fields[] = { "0:3:10.1", "000:03:10.1", "0000:3:10.1", "0000:03:1.1" };
	struct vs_pci_addr a;

	for (size_t i = 0; i < sizeof(short_fields) / sizeof(short_fields[0]); i++)
		assert_int_equal(vs_pci_addr_parse(short_fields[i], &a), -EINVAL);
	assert_int_equal(vs_pci_addr_parse_unpadded("0:3:10.1", &a), 0);
	assert_addr(&a, 0, 3, 0x10, 1);
	assert_int_equal(vs_pci_addr_parse_unpadded("1:A:1f.7", &a), 0);
	assert_addr(&a, 1, 0x0a, 0x1f, 7);
	/* the full form is one of its forms */
	assert_int_equal(vs_pci_addr_parse_unpadded("0000:01:10.0", &a), 0);
	assert_addr(&a, 0, 1, 0x10, 0);
}

/* lspci's "BB:SS.F" leaves the domain out; neither parser guesses it. */
static void test_short_form_refused(void **state)
{
	struct vs_pci_addr a;

	assert_int_equal(vs_pci_addr_parse("01:10.0", &a), -EINVAL);
	assert_int_equal(vs_pci_addr_parse_unpadded("01:10.0", &a), -EINVAL);
	assert_int_equal(vs_pci_addr_parse_unpadded("1:10.0", &a), -EINVAL);
}

/* The short form has its own parser (the name resolver asks sysfs for the
 * domain): exactly BB:SS.F, nothing else. */
static void test_short_form(void **state)
{
	static const char *const bad[] = { "0000:01:10.0", "1:10.0", "01:1.0", "01:10", "01:10.0 ", "01.10.0",
					   "em1", "", "001:10.0" };
	struct vs_pci_addr a = { .domain = 7 };

	assert_int_equal(vs_pci_addr_parse_short("1A:1f.7", &a), 0);
	assert_int_equal(a.domain, 0);
	assert_int_equal(a.bus, 0x1a);
	assert_int_equal(a.slot, 0x1f);
	assert_int_equal(a.function, 7);
	assert_int_equal(vs_pci_addr_parse_short("01:20.0", &a), -ERANGE);
	assert_int_equal(vs_pci_addr_parse_short(NULL, &a), -EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vs_pci_addr_parse_short(bad[i], &a) != -EINVAL)
			fail_msg("'%s' taken as a short address", bad[i]);
}

static void test_format(void **state)
{
	struct vs_pci_addr a = { .domain = 0, .bus = 0x1a, .slot = 0x10, .function = 7 };
	struct vs_pci_addr wide = { .domain = 0xffffffffu, .bus = 0xff, .slot = 0x1f, .function = 7 };
	char out[VS_PCI_ADDR_LEN];

	assert_string_equal(vs_pci_addr_format(&a, out), "0000:1a:10.7");
	assert_string_equal(vs_pci_addr_format(&wide, out), "ffffffff:ff:1f.7");
	a.domain = 0x10000;
	assert_string_equal(vs_pci_addr_format(&a, out), "10000:1a:10.7");
}

static void test_normalize(void **state)
{
	char out[VS_PCI_ADDR_LEN];

	assert_int_equal(vs_pci_addr_normalize("0000:1A:10.7", out), 0);
	assert_string_equal(out, "0000:1a:10.7");
	assert_int_equal(vs_pci_addr_normalize("0:3:10.1", out), 0);
	assert_string_equal(out, "0000:03:10.1");
	assert_int_equal(vs_pci_addr_normalize("10000:01:0.0", out), 0);
	assert_string_equal(out, "10000:01:00.0");
	assert_int_equal(vs_pci_addr_normalize("0000:01:20.0", out), -ERANGE);
	assert_int_equal(vs_pci_addr_normalize("0000:01:10.0x", out), -EINVAL);
	assert_int_equal(vs_pci_addr_normalize("", out), -EINVAL);
}

static void test_cmp(void **state)
{
	struct vs_pci_addr a, b;

	assert_int_equal(vs_pci_addr_parse("0000:01:10.0", &a), 0);
	assert_int_equal(vs_pci_addr_parse_unpadded("0:1:10.0", &b), 0);
	assert_int_equal(vs_pci_addr_cmp(&a, &b), 0);
	assert_int_equal(vs_pci_addr_parse("0000:01:10.1", &b), 0);
	assert_true(vs_pci_addr_cmp(&a, &b) < 0);
	assert_true(vs_pci_addr_cmp(&b, &a) > 0);
	/* the bus outranks slot and function; the domain outranks the bus */
	assert_int_equal(vs_pci_addr_parse("0000:00:1f.7", &b), 0);
	assert_true(vs_pci_addr_cmp(&a, &b) > 0);
	assert_int_equal(vs_pci_addr_parse("0001:00:00.0", &b), 0);
	assert_true(vs_pci_addr_cmp(&a, &b) < 0);
	assert_int_equal(vs_pci_addr_parse("ffffffff:00:00.0", &a), 0);
	assert_true(vs_pci_addr_cmp(&a, &b) > 0);
}

/* The routing ID and the VF arithmetic it serves: an I350 PF at 01:00.0
 * with First VF Offset 0x80 and VF Stride 4 puts VF 3 at 01:11.4. */
static void test_routing_id(void **state)
{
	struct vs_pci_addr pf, vf;

	assert_int_equal(vs_pci_addr_parse("0000:01:00.0", &pf), 0);
	assert_int_equal(vs_pci_addr_parse("0000:01:11.4", &vf), 0);
	assert_int_equal(vs_pci_addr_rid(&pf), 0x100);
	assert_int_equal(vs_pci_addr_rid(&vf), 0x18c);
	assert_int_equal((vs_pci_addr_rid(&vf) - vs_pci_addr_rid(&pf) - 0x80) / 4, 3);
	assert_int_equal(vs_pci_addr_parse("0000:ff:1f.7", &vf), 0);
	assert_int_equal(vs_pci_addr_rid(&vf), 0xffff);
	/* VFs past the PF's bus continue on the next one */
	assert_int_equal(vs_pci_addr_parse("0000:02:00.1", &vf), 0);
	assert_int_equal(vs_pci_addr_rid(&vf), 0x201);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_form),
		cmocka_unit_test(test_wide_domain),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_unpadded),
		cmocka_unit_test(test_short_form_refused),
		cmocka_unit_test(test_short_form),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_routing_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
