/* Carrying a plan out: see hook-exec.h. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "hook-exec.h"
#include "ovsdb.h"
#include "state.h"
#include "vfctl.h"

/* ---- the kernel ---- */

static struct vs_nl *kernel(const struct vs_hook_env *env, struct vs_error *err)
{
	struct vs_hook_nl *k = env->kernel;

	if (!k)
		return vs_error_set(err, -ENOTCONN, "no rtnetlink"), NULL;
	if (!k->nl && vs_nl_open(&k->nl, err) < 0)
		return NULL;
	return k->nl;
}

/* VF settings of one PF through the one executor: what is already in
 * effect is not sent, a rate alone is completed, a refusal names the
 * setting. */
static int set_vfs(const struct vs_hook_env *env, const char *pf, struct vs_vf_config *cfgs, size_t n,
		   struct vs_error *err)
{
	struct vs_vfctl_outcome o = { 0 };
	struct vs_nl *nl = kernel(env, err);
	int r = nl ? vs_vfctl_apply(nl, pf, cfgs, n, &o, err) : -ENOTCONN;

	vs_vfctl_outcome_free(&o);
	return r;
}

void vs_hook_nl_close(struct vs_hook_nl *nl)
{
	if (nl->nl)
		vs_nl_close(nl->nl);
	nl->nl = NULL;
}

/* ---- representors: up and into their bridge at the start, out at release ---- */

/* ovsdb's answers count against the hook's own deadline */
#define VS_HOOK_OVSDB_MS 1000

static int rep_join(const struct vs_hook_env *env, struct vs_plan_rep *rep, struct vs_ovsdb *db,
		    struct vs_error *err)
{
	struct vs_error sub = { 0 };
	struct vs_nl *nl = kernel(env, err);
	const char *what = rep->bridge.kind ? vs_rep_key_of(rep->bridge.kind)->what : "";
	int r = nl ? vs_nl_link_up(nl, rep->netdev, &sub) : -ENOTCONN;

	if (r < 0)
		return nl ? vs_error_set(err, r, "VF %s: representor %s: cannot bring it up: %s", rep->vf, rep->netdev,
					 sub.msg) : r;
	if (rep->bridge.kind == VS_BRIDGE_LINUX)
		r = vs_nl_set_master(nl, rep->netdev, rep->bridge.name, &sub);
	else if (rep->bridge.kind == VS_BRIDGE_OVS && db->fd < 0)
		r = vs_ovsdb_connect(db, NULL, VS_HOOK_OVSDB_MS, &sub);
	if (r == 0 && rep->bridge.kind == VS_BRIDGE_OVS)
		r = vs_ovsdb_add_port(db, rep->bridge.name, rep->netdev, &sub);
	if (r < 0)
		return vs_error_set(err, r, "VF %s: representor %s cannot join %s %s: %s", rep->vf, rep->netdev, what,
				    rep->bridge.name, sub.msg);
	return 0;
}

/* Out of the bridge it was put in (and only that one: an admin may have
 * moved it since).  A representor that is gone (VFs removed) is done. */
static int rep_leave(const struct vs_hook_env *env, const struct vs_plan_rep *rep, struct vs_ovsdb *db,
		     struct vs_error *err)
{
	struct vs_nl_link l, br;
	struct vs_nl *nl;
	int r;

	if (rep->bridge.kind == VS_BRIDGE_OVS) {
		r = db->fd >= 0 ? 0 : vs_ovsdb_connect(db, NULL, VS_HOOK_OVSDB_MS, err);
		r = r < 0 ? r : vs_ovsdb_del_port(db, rep->bridge.name, rep->netdev, err);
		return r == -ENOENT ? 0 : r;
	}
	if (rep->bridge.kind != VS_BRIDGE_LINUX || !(nl = kernel(env, err)))
		return rep->bridge.kind != VS_BRIDGE_LINUX ? 0 : -ENOTCONN;
	r = vs_nl_get_link(nl, rep->netdev, &l, err);
	if (r == 0 && l.master && vs_nl_get_link(nl, rep->bridge.name, &br, NULL) == 0 && l.master == br.ifindex)
		r = vs_nl_set_master(nl, rep->netdev, NULL, err);
	return r == -ENODEV ? 0 : r;
}

/* Undo what reps_join did this run (a later step refused the start). */
static void reps_undo(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_state *st, size_t upto)
{
	struct vs_ovsdb db = { .fd = -1 };

	for (size_t i = 0; i < upto; i++) {
		struct vs_error e = { 0 };
		struct vs_state_rep *sr = vs_state_rep(st, plan->reps[i].vf, false);

		if (rep_leave(env, &plan->reps[i], &db, &e) < 0)
			vs_strv_add(&plan->warnings, "guest '%s': %s", vs_plan_guest(plan), e.msg);
		if (sr)
			vs_state_remove_rep(st, sr);
	}
	vs_ovsdb_close(&db);
}

static int reps_join(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_state *st, struct vs_error *err)
{
	struct vs_ovsdb db = { .fd = -1 };
	int r = 0;
	size_t i;

	for (i = 0; r == 0 && i < plan->n_reps; i++) {
		struct vs_plan_rep *rep = &plan->reps[i];
		struct vs_state_rep *sr = NULL;

		r = rep_join(env, rep, &db, err);
		if (r == 0 && !(sr = vs_state_rep(st, rep->vf, true)))
			r = -ENOMEM;
		if (r < 0)
			break;
		vs_strlcpy(sr->netdev, rep->netdev, sizeof(sr->netdev));
		sr->bridge = rep->bridge;
	}
	vs_ovsdb_close(&db);
	if (r < 0)
		reps_undo(env, plan, st, i);
	return r;
}

/* Release: take each representor out of its bridge; forget what was
 * done, keep the rest in the state file for reconcile. */
static void reps_release(const struct vs_hook_env *env, struct vs_plan *plan)
{
	struct vs_ovsdb db = { .fd = -1 };
	struct vs_state st = { 0 };
	struct vs_error e = { 0 };
	int r;

	if (!plan->n_reps || vs_state_load(env->state_dir, plan->uuid, &st, NULL) < 0)
		return;
	for (size_t i = 0; i < plan->n_reps; i++) {
		struct vs_plan_rep *rep = &plan->reps[i];
		struct vs_state_rep *sr = vs_state_rep(&st, rep->vf, false);

		vs_error_clear(&e);
		rep->failed = rep_leave(env, rep, &db, &e) < 0;
		if (rep->failed)
			vs_strv_add(&plan->warnings, "guest '%s': VF %s: representor %s not taken out of %s: %s; kept in "
				    "the state file for `virt-sriov reconcile`", vs_plan_guest(plan), rep->vf, rep->netdev,
				    rep->bridge.name, e.msg);
		else if (sr)
			vs_state_remove_rep(&st, sr);
	}
	vs_ovsdb_close(&db);
	r = vs_state_save(env->state_dir, &st, &e);
	if (r < 0)
		vs_strv_add(&plan->warnings, "guest '%s': %s", vs_plan_guest(plan), e.msg);
	vs_state_free(&st);
}

/* ---- carrying it out ---- */

static bool first_of_pf(const struct vs_plan *plan, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(plan->vfs[j].pf, plan->vfs[i].pf) == 0)
			return false;
	return true;
}

/* One RTM_SETLINK for every VF of plan->vfs[first]'s PF; cfgs runs
 * parallel to plan->vfs. */
static int send_pf(const struct vs_hook_env *env, const struct vs_plan *plan, const struct vs_vf_config *cfgs,
		   size_t first, struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_config *batch = calloc(plan->n, sizeof(*batch));
	size_t k = 0;

	if (!batch)
		return -ENOMEM;
	for (size_t j = first; j < plan->n; j++)
		if (strcmp(plan->vfs[j].pf, plan->vfs[first].pf) == 0 && !vs_vf_config_is_empty(&cfgs[j]))
			batch[k++] = cfgs[j];
	return k ? set_vfs(env, plan->vfs[first].pf, batch, k, err) : 0;
}

static const struct vs_vf_config *find_index(const struct vs_pf_vf_list *l, int index)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->vfs[i].index == index)
			return &l->vfs[i];
	return NULL;
}

static int save_pf(const struct vs_hook_env *env, struct vs_plan *plan, size_t first, struct vs_state *st,
		   struct vs_error *err)
{
	struct vs_pf_vf_list l = { 0 };
	struct vs_nl *nl = kernel(env, err);
	int r = nl ? vs_nl_get_vfs(nl, plan->vfs[first].pf, &l, err) : -ENOTCONN;

	for (size_t j = first; r == 0 && j < plan->n; j++) {
		struct vs_plan_vf *pv = &plan->vfs[j];
		const struct vs_vf_config *cur;
		struct vs_state_vf *sv;

		if (strcmp(pv->pf, plan->vfs[first].pf) != 0)
			continue;
		cur = find_index(&l, pv->index);
		if (!cur) {
			r = vs_error_set(err, -ENODATA, "PF %s did not report VF %d (%s)%s: its settings cannot be saved",
					 pv->pf, pv->index, pv->address, l.truncated ? ": VF list truncated" : "");
			break;
		}
		r = vs_vfctl_complete(pv->pf, &pv->cfg, cur, err);
		sv = r < 0 ? NULL : vs_state_find_vf(st, pv->address);
		if (r < 0)
			break;
		if (!sv && !(sv = vs_state_add_vf(st, pv->address)))
			r = -ENOMEM;
		if (r < 0)
			break;
		vs_strlcpy(sv->pf, pv->pf, sizeof(sv->pf));
		vs_strlcpy(sv->pf_address, pv->pf_address, sizeof(sv->pf_address));
		sv->index = sv->saved.index = sv->applied.index = pv->index;
		if (pv->network && !sv->network && !(sv->network = strdup(pv->network)))
			r = -ENOMEM;
		vs_vf_config_pick(&sv->saved, cur, &pv->cfg);
		vs_vf_config_merge(&sv->applied, &pv->cfg);
	}
	vs_pf_vf_list_free(&l);
	return r;
}

/* After a failed request: put every PF touched so far back, and forget
 * these VFs (a second failure here is only logged). */
static void roll_back(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_state *st, size_t upto)
{
	_cleanup_free_ struct vs_vf_config *saved = calloc(plan->n, sizeof(*saved));
	struct vs_error err = { 0 };

	for (size_t i = 0; saved && i < plan->n; i++) {
		struct vs_state_vf *sv = vs_state_find_vf(st, plan->vfs[i].address);

		vs_vf_config_init(&saved[i], plan->vfs[i].index);
		if (sv)
			saved[i] = sv->saved;
	}
	for (size_t i = 0; saved && i <= upto; i++)
		if (first_of_pf(plan, i) && send_pf(env, plan, saved, i, &err) < 0)
			vs_strv_add(&plan->warnings, "guest '%s': could not put PF %s back: %s", vs_plan_guest(plan),
				 plan->vfs[i].pf, err.msg);
	for (size_t i = 0; i < plan->n; i++) {
		struct vs_state_vf *sv = vs_state_find_vf(st, plan->vfs[i].address);

		if (sv)
			vs_state_remove_vf(st, sv);
	}
}

static int load_or_new(const struct vs_hook_env *env, const struct vs_plan *plan, struct vs_state *st, struct vs_error *err)
{
	int r = vs_state_load(env->state_dir, plan->uuid, st, err);

	if (r != -ENOENT)
		return r;
	memcpy(st->uuid, plan->uuid, sizeof(st->uuid));
	if (plan->name && !(st->name = strdup(plan->name)))
		return -ENOMEM;
	return 0;
}

static struct vs_vf_config *plan_cfgs(const struct vs_plan *plan)
{
	struct vs_vf_config *cfgs = calloc(plan->n + 1, sizeof(*cfgs));

	for (size_t i = 0; cfgs && i < plan->n; i++)
		cfgs[i] = plan->vfs[i].cfg;
	return cfgs;
}

static int apply_locked(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_state *st, struct vs_error *err)
{
	_cleanup_free_ struct vs_vf_config *cfgs = NULL;
	int r;

	if (plan->action == VS_HOOK_PREPARE) {
		free(st->policy);
		st->policy = plan->policy ? strdup(plan->policy) : NULL;
	}
	for (size_t i = 0; i < plan->n; i++)
		if (first_of_pf(plan, i) && (r = save_pf(env, plan, i, st, err)) < 0)
			return r;
	if (!vs_state_has_content(st))
		return 0;
	r = vs_state_save(env->state_dir, st, err);
	if (r < 0 || !(cfgs = plan_cfgs(plan)))
		return r < 0 ? r : -ENOMEM;
	for (size_t i = 0; i < plan->n; i++) {
		if (!first_of_pf(plan, i) || (r = send_pf(env, plan, cfgs, i, err)) == 0)
			continue;
		roll_back(env, plan, st, i);
		reps_undo(env, plan, st, plan->n_reps);
		vs_state_save(env->state_dir, st, NULL);
		return r;
	}
	return 0;
}

/* ---- VFs another guest's state file still claims ---- */

/* Put back what guest `other` left on the plan's VFs, from its saved
 * values, and take those VFs out of its file; under its lock (a release
 * or reconcile of it in progress is waited for, up to VS_HOOK_LOCK_MS). */
static int take_back(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_state *st, struct vs_error *err)
{
	struct vs_error sub = { 0 };
	const char *name = st->name ? st->name : st->uuid;
	bool changed = false;

	for (size_t i = 0; i < plan->n; i++) {
		struct vs_state_vf *sv = vs_state_find_vf(st, plan->vfs[i].address);
		struct vs_vf_config c;

		if (!sv)
			continue;
		c = sv->saved;
		if (!vs_vf_config_is_empty(&c) && set_vfs(env, sv->pf, &c, 1, &sub) < 0)
			return vs_error_set(err, sub.code, "VF %s: left configured by guest '%s' (%s), whose release did not "
					    "put it back, and it cannot be put back now: %s", sv->address, name, st->uuid, sub.msg);
		vs_strv_add(&plan->warnings, "guest '%s': VF %s: left configured by guest '%s' (%s), whose release did "
			    "not put it back: put back from its saved state first", vs_plan_guest(plan), sv->address,
			    name, st->uuid);
		vs_state_remove_vf(st, sv);
		changed = true;
	}
	/* its representor entries too: its reconcile must not take this
	 * guest's representor out of the bridge */
	for (size_t i = 0; i < plan->n_reps; i++) {
		struct vs_state_rep *sr = vs_state_rep(st, plan->reps[i].vf, false);

		if (sr) {
			vs_state_remove_rep(st, sr);
			changed = true;
		}
	}
	if (!changed)
		return 0;
	/* its policy stays for its pool ports, as release leaves it */
	return vs_state_has_content(st) ? vs_state_save(env->state_dir, st, err) : vs_state_remove(env->state_dir, st->uuid, err);
}

static int take_over(const struct vs_hook_env *env, struct vs_plan *plan, const char *other, const char *vf,
		     const char *other_name, struct vs_error *err)
{
	struct vs_state st = { 0 };
	int lock = -1;
	int r = vs_state_lock_guest(env->state_dir, other, VS_HOOK_LOCK_MS, &lock, NULL);

	if (r < 0)
		return vs_error_set(err, -EBUSY, "VF %s is claimed by guest '%s' (%s), which is starting or stopping "
				    "right now: not starting guest '%s' with it", vf, other_name, other, vs_plan_guest(plan));
	r = vs_state_load(env->state_dir, other, &st, err);
	if (r == 0)
		r = take_back(env, plan, &st, err);
	vs_state_free(&st);
	vs_state_unlock_guest(env->state_dir, other, lock);
	return r == -ENOENT ? 0 : r;
}

/* libvirt hands a VF to one guest at a time: a start given a VF that
 * another guest's state file claims means that guest's release failed or
 * was killed.  The VF is put back first, so this guest saves the true
 * originals and a later reconcile of the other leaves it alone.  Called
 * under the directory's lock: no other start claims meanwhile. */
static int claims(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_error *err)
{
	char **uuids = NULL;
	int r = vs_state_list(env->state_dir, &uuids, err);

	for (char **u = uuids; r >= 0 && u && *u; u++) {
		struct vs_state st = { 0 };
		const char *vf = NULL;

		if (strcmp(*u, plan->uuid) == 0 || vs_state_load(env->state_dir, *u, &st, NULL) < 0)
			continue;
		for (size_t i = 0; !vf && i < plan->n; i++)
			if (vs_state_find_vf(&st, plan->vfs[i].address))
				vf = plan->vfs[i].address;
		for (size_t i = 0; !vf && i < plan->n_reps; i++)
			if (vs_state_rep(&st, plan->reps[i].vf, false))
				vf = plan->reps[i].vf;
		if (vf)
			r = take_over(env, plan, *u, vf, st.name ? st.name : *u, err);
		vs_state_free(&st);
	}
	vs_strv_free(uuids);
	return r < 0 ? r : 0;
}

static int apply(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_error *err)
{
	_cleanup_close_ int lock = -1;
	int guest_lock = -1;
	struct vs_state st = { 0 };
	int r;

	if (plan->n == 0 && !plan->policy && !plan->n_reps)
		return 0;
	/* The policy is remembered in the state file, which release must be
	 * able to read: refuse now rather than start a guest whose settings
	 * could never be put back. */
	if (plan->policy && strlen(plan->policy) > VS_STATE_POLICY_MAX)
		return vs_error_set(err, -EFBIG, "the policy element is too large: %zu bytes as remembered, more than "
				    "%d (the state file holds at most %d): use fewer, broader rules",
				    strlen(plan->policy), VS_STATE_POLICY_MAX, VS_STATE_MAX);
	/* the directory's lock: claims on VFs across guests are checked and
	 * made by one start at a time; then the guest's own */
	r = vs_state_lock(env->state_dir, VS_HOOK_LOCK_MS, &lock, err);
	if (r == 0)
		r = claims(env, plan, err);
	if (r == 0)
		r = vs_state_lock_guest(env->state_dir, plan->uuid, VS_HOOK_LOCK_MS, &guest_lock, err);
	if (r == 0)
		r = load_or_new(env, plan, &st, err);
	/* representors first: a bridge that is missing refuses the start
	 * before any VF setting is sent */
	if (r == 0)
		r = reps_join(env, plan, &st, err);
	if (r == 0)
		r = apply_locked(env, plan, &st, err);
	vs_state_unlock_guest(env->state_dir, plan->uuid, guest_lock);
	vs_state_free(&st);
	return r;
}

/* A PF refused the batch: the kernel stops at the first bad VF, so put the
 * others back one by one.  Marks in ok[] what was put back. */
static void restore_pf(const struct vs_hook_env *env, struct vs_plan *plan, const struct vs_vf_config *cfgs,
		       size_t first, bool *ok)
{
	struct vs_error err = { 0 };
	bool batch_ok = send_pf(env, plan, cfgs, first, &err) == 0;

	for (size_t j = first; j < plan->n; j++) {
		struct vs_plan_vf *pv = &plan->vfs[j];
		struct vs_vf_config c = pv->cfg;
		struct vs_error one = { 0 };

		if (strcmp(pv->pf, plan->vfs[first].pf) != 0)
			continue;
		ok[j] = batch_ok || vs_vf_config_is_empty(&pv->cfg) || set_vfs(env, pv->pf, &c, 1, &one) == 0;
		pv->failed = !ok[j];
		if (!ok[j])
			vs_strv_add(&plan->warnings, "guest '%s': VF %s (%s#%d): could not put back: %s", vs_plan_guest(plan),
				 pv->address, pv->pf, pv->index, one.msg[0] ? one.msg : strerror(-one.code));
	}
}

/* Forget what was put back; keep what was not, for `virt-sriov reconcile`. */
static int forget(const struct vs_hook_env *env, struct vs_plan *plan, const bool *ok, struct vs_error *err)
{
	struct vs_state st = { 0 };
	int r = vs_state_load(env->state_dir, plan->uuid, &st, err);

	if (r == -ENOENT)
		return 0;
	for (size_t i = 0; r == 0 && i < plan->n; i++) {
		struct vs_state_vf *sv = vs_state_find_vf(&st, plan->vfs[i].address);

		if (sv && ok[i])
			vs_state_remove_vf(&st, sv);
	}
	if (r == 0 && st.n == 0 && st.n_reps == 0 && plan->action != VS_HOOK_PORT_DELETED)
		r = vs_state_remove(env->state_dir, plan->uuid, err);
	else if (r == 0)
		r = vs_state_save(env->state_dir, &st, err);
	vs_state_free(&st);
	return r;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Not put back, and said so: the VFs of plan->vfs[first]'s PF (all of
 * them when first is plan->n) stay in the state file for reconcile. */
static void give_up(struct vs_plan *plan, size_t first, const char *why)
{
	for (size_t j = first < plan->n ? first : 0; j < plan->n; j++) {
		struct vs_plan_vf *pv = &plan->vfs[j];

		if (first < plan->n && strcmp(pv->pf, plan->vfs[first].pf) != 0)
			continue;
		pv->failed = true;
		vs_strv_add(&plan->warnings, "guest '%s': VF %s (%s#%d): not put back: %s; kept in the state file "
			    "for `virt-sriov reconcile`", vs_plan_guest(plan), pv->address, pv->pf, pv->index, why);
	}
}

/* The plan was read before the guest's lock was ours: keep only the VFs
 * the state file still holds (a start of another guest may have put one
 * back and taken it over since). */
static void drop_taken(const struct vs_hook_env *env, struct vs_plan *plan)
{
	struct vs_state st = { 0 };
	size_t k = 0;

	if (vs_state_load(env->state_dir, plan->uuid, &st, NULL) < 0)
		return;
	for (size_t i = 0; i < plan->n; i++) {
		if (vs_state_find_vf(&st, plan->vfs[i].address)) {
			plan->vfs[k++] = plan->vfs[i];
			continue;
		}
		vs_strv_add(&plan->notes, "VF %s: no longer in the guest's state file (taken over): left alone",
			    plan->vfs[i].address);
		free(plan->vfs[i].network);
	}
	plan->n = k;
	vs_state_free(&st);
}

static void restore_locked(const struct vs_hook_env *env, struct vs_plan *plan, const struct timespec *t0,
			   int budget)
{
	_cleanup_free_ struct vs_vf_config *cfgs = NULL;
	_cleanup_free_ bool *ok = NULL;
	struct vs_error err = { 0 };

	drop_taken(env, plan);
	reps_release(env, plan);
	cfgs = plan_cfgs(plan);
	ok = calloc(plan->n + 1, sizeof(*ok));
	if (!cfgs || !ok) {
		give_up(plan, plan->n, "out of memory");
		return;
	}
	for (size_t i = 0; i < plan->n; i++) {
		if (!first_of_pf(plan, i))
			continue;
		if (elapsed_ms(t0) >= budget)
			give_up(plan, i, "the release deadline was reached");
		else
			restore_pf(env, plan, cfgs, i, ok);
	}
	if (forget(env, plan, ok, &err) < 0)
		vs_strv_add(&plan->warnings, "guest '%s': %s", vs_plan_guest(plan), err.msg[0] ? err.msg : "cannot update the state file");
}

/* Waits for the guest's lock as long as any peer may hold it (another
 * release of the guest, a reconcile, a start taking a VF over), then puts
 * back within the same budget; never gives up without saying which VFs. */
static int restore(const struct vs_hook_env *env, struct vs_plan *plan)
{
	int lock = -1;
	int budget = env->release_ms > 0 ? env->release_ms : VS_HOOK_RELEASE_MS;
	struct vs_error err = { 0 };
	struct timespec t0;

	if (!plan->has_state)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vs_state_lock_guest(env->state_dir, plan->uuid, budget, &lock, &err) < 0) {
		give_up(plan, plan->n, err.msg[0] ? err.msg : "cannot lock the guest's state");
		return 0;
	}
	restore_locked(env, plan, &t0, budget);
	vs_state_unlock_guest(env->state_dir, plan->uuid, lock);
	return 0;
}

int vs_hook_execute(const struct vs_hook_env *env, struct vs_plan *plan, struct vs_error *err)
{
	switch (plan->action) {
	case VS_HOOK_PREPARE:
	case VS_HOOK_PORT_CREATED:
		return apply(env, plan, err);
	case VS_HOOK_RELEASE:
	case VS_HOOK_PORT_DELETED:
		return restore(env, plan);
	case VS_HOOK_NONE:
		break;
	}
	return 0;
}
