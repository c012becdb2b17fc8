/* Shared between attach-domain.c and detach.c; not a public interface. */
#pragma once

#include <libvirt/libvirt.h>

#include "attach.h"
#include "policy.h"

struct vs_guest {
	virDomainPtr dom;
	char name[256];
	char uuid[VS_UUID_LEN + 1];
};

virDomainPtr vs_attach_lookup(virConnectPtr conn, const char *name, struct vs_error *err);
int vs_attach_guest(virDomainPtr dom, struct vs_guest *g, struct vs_error *err);
int vs_attach_policy_edit(virDomainPtr dom, unsigned flags, enum vs_selector sel, const char *match,
			  const struct vs_vf_config *cfg, bool *changed, struct vs_error *err);
void vs_attach_strip_l2(struct vs_vf_config *c);
int vs_attach_live_apply(const struct vs_attach_env *env, const struct vs_guest *g, const struct vs_pf *pf,
			 const struct vs_vf *vf, enum vs_attach_kind kind, const struct vs_vf_config *cfg,
			 struct vs_error *err);
int vs_attach_live_restore(const struct vs_attach_env *env, const struct vs_guest *g, const char *address,
			   bool *restored, struct vs_error *err);
/* The running guest's policy, copied into its state file: the hook's
 * port-created reads the policy from there (remembered at prepare). */
int vs_attach_remember_policy(const struct vs_attach_env *env, const struct vs_guest *g, struct vs_error *err);

/* attach-numa.c: --numa's choice among the PFs (instead of pick()); the
 * chosen PF in in->pf, its facts in *facts, the VF's position in *pos. */
int vs_attach_numa_pick(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			unsigned flags, struct vs_choose_in *in, struct vs_vf_facts **facts, size_t *pos,
			struct vs_attach_result *res, struct vs_error *err);
/* --network NET --numa: the pool NET-nodeN to use, in pool. */
int vs_attach_numa_pool(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			unsigned flags, char *pool, size_t len, struct vs_attach_result *res, struct vs_error *err);
struct vs_numa_host;
struct vs_bits;
/* The nodes --numa asks for (empty: auto found nothing to go by, said in res->numa_note). */
int vs_attach_numa_want(const struct vs_attach_env *env, const struct vs_attach_req *req, const struct vs_guest *g,
			unsigned flags, const struct vs_numa_host *h, struct vs_bits *want, struct vs_attach_result *res,
			struct vs_error *err);
