/* --save: the commands' changes written into virt-sriov.conf. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "save.h"
#include "vfset.h"

static const char *save_path(const struct vs_cli_save *s)
{
	return s->config ? s->config : vs_conf_path();
}

static int save_open(struct vs_cli_save *s)
{
	struct vs_error err = { 0 };

	if (!s->opened && vs_conf_edit_open(save_path(s), &s->edit, &err) < 0)
		return vs_cli_fail_err(&err, save_path(s));
	s->opened = true;
	return VS_EXIT_OK;
}

static int save_set(struct vs_cli_save *s, const char *kind, const char *name, const char *key, const char *value)
{
	struct vs_error err = { 0 };
	int r = save_open(s);

	if (r != VS_EXIT_OK)
		return r;
	if (vs_conf_edit_set(&s->edit, kind, name, key, value, &err) < 0)
		return vs_cli_fail_err(&err, save_path(s));
	return VS_EXIT_OK;
}

int vs_cli_save_pf(struct vs_cli_save *s, const struct vs_pf *pf, const char *key, const char *value)
{
	const char *name = pf->netdev[0] ? pf->netdev : pf->address;
	int r;

	if (!s->save)
		return VS_EXIT_OK;
	if ((r = save_open(s)) != VS_EXIT_OK)
		return r;
	if (pf->netdev[0] && vs_conf_edit_has_section(&s->edit, "pf", pf->netdev))
		name = pf->netdev;
	else if (vs_conf_edit_has_section(&s->edit, "pf", pf->address))
		name = pf->address;
	return save_set(s, "pf", name, key, value);
}

int vs_cli_save_vfs(struct vs_cli_save *s, const struct vs_host *host, const char *spec, const char *key,
		    const char *value)
{
	_cleanup_free_ struct vs_vf_ref *refs = NULL;
	struct vs_error err = { 0 };
	char name[VS_PCI_ADDR_MAX + 32];
	size_t n = 0;

	if (!s->save)
		return VS_EXIT_OK;
	if (strchr(spec, '#'))
		return save_set(s, "vfs", spec, key, value);
	/* a VF's address is not a section name: its PF and number are */
	if (vs_vfset_resolve(host, spec, &refs, &n, &err) < 0 || n != 1)
		return vs_cli_fail_err(&err, spec);
	snprintf(name, sizeof(name), "%s#%u", refs[0].pf->netdev[0] ? refs[0].pf->netdev : refs[0].pf->address,
		 refs[0].vf->index);
	return save_set(s, "vfs", name, key, value);
}

int vs_cli_save_check(struct vs_cli_save *s)
{
	struct vs_error err = { 0 };

	if (!s->opened)
		return VS_EXIT_OK;
	if (vs_conf_edit_check(&s->edit, &err) < 0)
		return vs_cli_fail(VS_EXIT_FAILURE, "--save: the change would make %s invalid, nothing changed: %s",
				   save_path(s), err.msg);
	return VS_EXIT_OK;
}

void vs_cli_save_free(struct vs_cli_save *s)
{
	if (s->opened)
		vs_conf_edit_free(&s->edit);
	s->opened = false;
}

int vs_cli_save_finish(const struct vs_cli *cli, struct vs_cli_save *s)
{
	struct vs_error err = { 0 };
	int r = VS_EXIT_OK;

	if (!s->save && !cli->json && !cli->dry_run)
		fprintf(stderr, "virt-sriov: note: this change lasts until reboot (use --save to keep it in %s)\n",
			save_path(s));
	if (s->opened && cli->dry_run && !cli->json)
		printf("would save the change in %s\n", s->edit.path);
	else if (s->opened && !cli->dry_run && vs_conf_edit_commit(&s->edit, &err) < 0)
		r = vs_cli_fail(VS_EXIT_FAILURE, "--save: the change is made but not saved: %s", err.msg);
	else if (s->opened && !cli->dry_run && !cli->json)
		printf("saved in %s\n", s->edit.path);
	vs_cli_save_free(s);
	return r;
}
