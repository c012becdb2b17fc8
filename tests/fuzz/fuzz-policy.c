/* libFuzzer target: the guest's policy element.  Whatever parses must
 * serialize and parse back to the same rules. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = malloc(size + 1), *xml = NULL, *again = NULL;
	struct vs_policy p = { 0 }, q = { 0 };

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (vs_policy_parse_string(text, &p, NULL) == 0) {
		if (vs_policy_format(&p, &xml) < 0 || vs_policy_parse_string(xml, &q, NULL) < 0 || q.n != p.n)
			abort();
		if (vs_policy_format(&q, &again) < 0 || strcmp(xml, again) != 0)
			abort();
	}
	vs_policy_free(&p);
	vs_policy_free(&q);
	return 0;
}
