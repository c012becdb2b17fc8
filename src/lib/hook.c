/* The whole hook: see hook.h. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "hook.h"

/* The one line libvirt shows: who, then what. */
static int failed(struct vs_error *err, const struct vs_plan *plan, enum vs_hook_driver d, char **argv,
		  const struct vs_error *sub)
{
	char who[128];

	if (plan->name || plan->uuid[0])
		snprintf(who, sizeof(who), "guest '%s'", vs_plan_guest(plan));
	else
		snprintf(who, sizeof(who), "%s '%.100s'", d == VS_HOOK_NETWORK ? "network" : "guest", argv[1]);
	vs_hook_sanitize(who);
	if (strncmp(sub->msg, who, strlen(who)) == 0)
		return vs_error_set(err, sub->code, "%s", sub->msg);
	return vs_error_set(err, sub->code, "%s: %s", who, sub->msg[0] ? sub->msg : strerror(-sub->code));
}

/* Release needs the guest's UUID and nothing else: what to put back is in
 * its state file.  So the XML is not parsed (a huge <metadata> of another
 * application would cost the deadline, one over the input cap would cost
 * everything): libvirt writes <name> and <uuid> first in <domain>, before
 * <metadata> and the devices, and escapes '<' in the name, so the first
 * <uuid> is the guest's.  libvirt writes no comment, CDATA or DOCTYPE
 * before it: any "<!" there is refused rather than skipped. */
static int release_uuid(const char *xml, size_t len, char out[VS_UUID_LEN + 1], struct vs_error *err)
{
	const char *root = memmem(xml, len, "<domain", 7), *end = xml + len, *p, *close;
	char uuid[VS_UUID_LEN + 1];

	p = root ? memmem(root, (size_t)(end - root), "<uuid>", 6) : NULL;
	if (!p)
		return vs_error_set(err, -EINVAL, "hook input: no <domain> with a <uuid> on stdin");
	if (memmem(xml, (size_t)(p - xml), "<!", 2))
		return vs_error_set(err, -EINVAL, "hook input: a comment, CDATA or DOCTYPE before <uuid>, which libvirt never sends");
	for (p += 6; p < end && strchr(" \t\r\n", *p); p++)
		;
	close = end - p > VS_UUID_LEN ? p + VS_UUID_LEN : NULL;
	while (close && close < end && strchr(" \t\r\n", *close))
		close++;
	if (!close || end - close < 7 || memcmp(close, "</uuid>", 7) != 0)
		return vs_error_set(err, -EINVAL, "hook input: /domain/uuid is not a UUID");
	memcpy(uuid, p, VS_UUID_LEN);
	uuid[VS_UUID_LEN] = '\0';
	if (!vs_uuid_valid(uuid))
		return vs_error_set(err, -EINVAL, "hook input: /domain/uuid is not a UUID");
	for (int i = 0; i < VS_UUID_LEN; i++)
		out[i] = (char)tolower((unsigned char)uuid[i]);
	out[VS_UUID_LEN] = '\0';
	return 0;
}

/* Release of a qemu guest: from its state file alone. */
static int run_release(const struct vs_hook_env *env, const char *xml, size_t len, struct vs_plan *plan,
		       struct vs_error *err)
{
	char uuid[VS_UUID_LEN + 1];
	int r = release_uuid(xml, len, uuid, err);

	if (r == 0)
		r = vs_hook_plan_restore(env, uuid, plan, err);
	if (r == 0)
		r = vs_hook_execute(env, plan, err);
	return r;
}

/* Every other action: the whole input, parsed and checked. */
static int run_parsed(const struct vs_hook_env *env, enum vs_hook_driver d, enum vs_hook_action a, const char *xml,
		      size_t len, struct vs_plan *plan, struct vs_error *sub)
{
	struct vs_hook_input in;
	int r = vs_hook_input_parse(d, a, xml, len, &in, sub);

	if (r == 0 && vs_hook_plan(env, &in, plan) < 0)
		r = vs_error_set(sub, plan->refusal.code, "%s", plan->refusal.msg);
	else if (r == 0)
		r = vs_hook_execute(env, plan, sub);
	vs_hook_input_free(&in);
	return r;
}

int vs_hook_run(const struct vs_hook_env *env, int argc, char **argv, const char *xml, size_t len,
		struct vs_plan *plan, struct vs_error *err)
{
	enum vs_hook_driver d = VS_HOOK_DRIVER_UNKNOWN;
	enum vs_hook_action a = vs_hook_action_from_argv(argc, argv, &d);
	bool teardown = a == VS_HOOK_RELEASE || a == VS_HOOK_PORT_DELETED;
	struct vs_error sub = { 0 };
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->action = a;
	if (a == VS_HOOK_NONE)
		return 0;
	r = a == VS_HOOK_RELEASE ? run_release(env, xml, len, plan, &sub) : run_parsed(env, d, a, xml, len, plan, &sub);
	if (r == 0)
		return 0;
	failed(err, plan, d, argv, &sub);
	if (!teardown)
		return 1;
	vs_strv_add(&plan->warnings, "%s", err->msg);
	return 0;
}
