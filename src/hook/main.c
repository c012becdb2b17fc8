/* virt-sriov-hook, the full hook: libvirt runs the front (front.c) as
 * qemu.d/virt-sriov and network.d/virt-sriov with NAME OP SUBOP EXTRA and
 * the XML on stdin, in an environment of only LC_ALL, PATH and HOME; the
 * front execs this program with the same argv and stdin for the operations
 * it acts on.  Run directly, it ignores the others itself.  Everything it
 * decides is in the library (hook.h: src/lib/hook-input.c, hook-plan.c,
 * hook-exec.c, and hook.c that runs the three); this file reads stdin,
 * logs and sets the exit status. */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <syslog.h>

#include "conf.h"
#include "hook.h"
#ifdef VS_HOOK_TEST_OPS
#include "fake-kernel.h"
#endif

/* Belt and braces on top of the netlink and lock timeouts: a hook that
 * hangs holds up the guest start, so die rather than wait. */
#define HOOK_DEADLINE_S 3
/* Release / port-deleted wait for peers and put back within
 * VS_HOOK_RELEASE_MS, and say what they did not put back; their alarm
 * comes after that, for a hook hung in the kernel. */
#define HOOK_RELEASE_DEADLINE_S (VS_HOOK_RELEASE_MS / 1000 + 10)

/* The release alarm: nothing but async-signal-safe calls here.  What was
 * not put back is still in the state file: say so, exit 0 (libvirt
 * ignores a failed release anyway). */
static void release_alarm(int sig)
{
	static const char msg[] = "virt-sriov-hook: release: killed at its deadline; what was not put back "
				  "stays in the state file for `virt-sriov reconcile`\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(0);
}

static void set_deadline(enum vs_hook_action a)
{
	if (a != VS_HOOK_RELEASE && a != VS_HOOK_PORT_DELETED) {
		alarm(HOOK_DEADLINE_S);
		return;
	}
	signal(SIGALRM, release_alarm);
	alarm(HOOK_RELEASE_DEADLINE_S);
}

/* Everything on stdin (libvirt writes all of it; leaving some unread can
 * fail its write), keeping at most VS_HOOK_INPUT_MAX + 1 bytes. */
static char *read_stdin(size_t *len)
{
	size_t cap = 65536, n = 0, limit = VS_HOOK_INPUT_MAX + 1;
	char *buf = malloc(cap + 1), *p, sink[65536];
	ssize_t r;

	while (buf) {
		if (n == cap && cap < limit) {
			cap = cap * 2 > limit ? limit : cap * 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		r = n < cap ? read(STDIN_FILENO, buf + n, cap - n) : read(STDIN_FILENO, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n < cap)
			n += (size_t)r;
	}
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* syslog, and a copy in $VIRT_SRIOV_HOOK_LOG for tests (no syslogd there). */
static void logline(int prio, const char *fmt, ...) _printf_(2, 3);
static void logline(int prio, const char *fmt, ...)
{
	const char *path = getenv("VIRT_SRIOV_HOOK_LOG");
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	syslog(prio, "%s", line);
	if (path && *path) {
		FILE *f = fopen(path, "ae");

		if (f) {
			fprintf(f, "%s\n", line);
			fclose(f);
		}
	}
}

static int log_setting(const struct vs_vf_field *f, const char *value, void *data)
{
	char *buf = data;
	size_t n = strlen(buf);

	snprintf(buf + n, 512 - n, " %s=%s", f->name, value);
	return 0;
}

static void log_plan(const struct vs_plan *plan)
{
	const char *guest = plan->name ? plan->name : plan->uuid;
	bool back = plan->action == VS_HOOK_RELEASE || plan->action == VS_HOOK_PORT_DELETED;

	for (size_t i = 0; i < plan->n; i++) {
		const struct vs_plan_vf *pv = &plan->vfs[i];
		char settings[512] = "";

		vs_vf_config_foreach(&pv->cfg, log_setting, settings);
		/* "put back" only for what was: the rest is in the warnings */
		logline(back && pv->failed ? LOG_WARNING : LOG_INFO, "%s: guest '%s': VF %s (%s#%d):%s%s",
			vs_hook_action_name(plan->action), guest, pv->address, pv->pf, pv->index,
			!back ? "" : pv->failed ? " NOT put back (kept for reconcile):" : " put back", settings);
	}
	for (size_t i = 0; i < plan->n_reps; i++) {
		const struct vs_plan_rep *rep = &plan->reps[i];

		if (back && rep->failed)
			continue; /* in the warnings */
		logline(LOG_INFO, "%s: guest '%s': VF %s: representor %s%s%s%s", vs_hook_action_name(plan->action), guest,
			rep->vf, rep->netdev, back ? "" : " up", !rep->bridge.kind ? "" : back ? " out of " : ", in ",
			rep->bridge.kind ? rep->bridge.name : "");
	}
	for (size_t i = 0; i < plan->warnings.n; i++)
		logline(LOG_WARNING, "%s", plan->warnings.v[i]);
}

int main(int argc, char **argv)
{
	struct vs_sysfs sysfs;
	struct vs_conf conf = { 0 };
	struct vs_hook_nl nl;
	struct vs_hook_env env = { .sysfs = &sysfs, .conf = &conf, .state_dir = vs_state_dir() };
	struct vs_plan plan = { 0 };
	struct vs_error err = { 0 };
	enum vs_hook_driver d;
	enum vs_hook_action a = vs_hook_action_from_argv(argc, argv, &d);
	_cleanup_free_ char *xml = NULL;
	size_t len;
	int status;

	set_deadline(a);
	xml = read_stdin(&len);
	if (a == VS_HOOK_NONE)
		return 0;
	openlog("virt-sriov-hook", LOG_PID, LOG_DAEMON);
	if (!xml || vs_sysfs_init(&sysfs, NULL) < 0) {
		logline(LOG_ERR, "out of memory or bad VIRT_SRIOV_SYSFS_ROOT");
		return a == VS_HOOK_PREPARE || a == VS_HOOK_PORT_CREATED;
	}
	if ((a == VS_HOOK_PREPARE || a == VS_HOOK_PORT_CREATED) && vs_conf_load(vs_conf_path(), &conf, &err) < 0) {
		fprintf(stderr, "virt-sriov-hook: %s\n", err.msg);
		logline(LOG_ERR, "%s", err.msg);
		return 1;
	}
	nl.nl = NULL;
	env.kernel = &nl;
#ifdef VS_HOOK_TEST_OPS
	/* The test build of this same program: the fake kernel, its PFs' VF
	 * tables in a file. */
	if (getenv("VIRT_SRIOV_FAKE_VFS") && fk_open_file(getenv("VIRT_SRIOV_FAKE_VFS"), &nl.nl) < 0)
		return 1;
#endif
	status = vs_hook_run(&env, argc, argv, xml, len, &plan, &err);
	if (status) {
		fprintf(stderr, "virt-sriov-hook: %s\n", err.msg);
		logline(LOG_ERR, "%s: %s", vs_hook_action_name(a), err.msg);
	} else {
		log_plan(&plan);
	}
	vs_plan_free(&plan);
	vs_hook_nl_close(&nl);
	vs_conf_free(&conf);
	return status;
}
