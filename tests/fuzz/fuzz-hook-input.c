/* libFuzzer target: what libvirt writes on the hook's stdin, for both
 * drivers and every action, then the policy in the domain's metadata. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "hook-input.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum vs_hook_action actions[] = {
		VS_HOOK_PREPARE, VS_HOOK_RELEASE, VS_HOOK_PORT_CREATED, VS_HOOK_PORT_DELETED,
	};
	_cleanup_free_ char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		struct vs_hook_input in;
		struct vs_policy p = { 0 };
		struct vs_error err = { 0 };

		if (vs_hook_input_parse(VS_HOOK_DRIVER_UNKNOWN, actions[i], text, size, &in, &err) == 0) {
			if (!vs_uuid_valid(in.uuid) && (in.driver == VS_HOOK_QEMU || in.action >= VS_HOOK_PORT_CREATED))
				abort();
			vs_policy_from_domain(in.doc, &p, NULL);
			vs_policy_free(&p);
		} else if (!err.msg[0] || strchr(err.msg, '\n')) {
			abort();       /* libvirt shows one line to the user */
		}
		vs_hook_input_free(&in);
	}
	return 0;
}
