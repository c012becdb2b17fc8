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
