/* The whole hook: see hook.h. */
#include "config.h"

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

int vs_hook_run(const struct vs_hook_env *env, int argc, char **argv, const char *xml, size_t len,
		struct vs_plan *plan, struct vs_error *err)
{
	enum vs_hook_driver d = VS_HOOK_DRIVER_UNKNOWN;
	enum vs_hook_action a = vs_hook_action_from_argv(argc, argv, &d);
	bool teardown = a == VS_HOOK_RELEASE || a == VS_HOOK_PORT_DELETED;
	struct vs_error sub = { 0 };
	struct vs_hook_input in;
	int r;

	memset(plan, 0, sizeof(*plan));
	plan->action = a;
	if (a == VS_HOOK_NONE)
		return 0;
	r = vs_hook_input_parse(d, a, xml, len, &in, &sub);
	if (r == 0 && vs_hook_plan(env, &in, plan) < 0)
		r = vs_error_set(&sub, plan->refusal.code, "%s", plan->refusal.msg);
	else if (r == 0)
		r = vs_hook_execute(env, plan, &sub);
	vs_hook_input_free(&in);
	if (r == 0)
		return 0;
	failed(err, plan, d, argv, &sub);
	if (!teardown)
		return 1;
	vs_strv_add(&plan->warnings, "%s", err->msg);
	return 0;
}
