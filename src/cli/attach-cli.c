#include "config.h"

#include <string.h>

#include "attach-cli.h"
#include "conf.h"
#include "libvirt.h"
#include "load.h"
#include "state.h"

int vs_cli_attach_open(struct vs_cli *cli, struct vs_cli_attach *ctx)
{
	struct vs_error err = { 0 };
	int r;

	memset(ctx, 0, sizeof(*ctx));
	if (vs_conf_load(vs_conf_path(), &ctx->conf, &err) < 0)
		return vs_cli_fail_err(&err, "configuration");
	ctx->hook.sysfs = &cli->sysfs;
	ctx->hook.conf = &ctx->conf;
	ctx->hook.state_dir = vs_state_dir();
	ctx->nl.nl = NULL;
	ctx->hook.kernel = &ctx->nl;
	ctx->env.hook = &ctx->hook;
	ctx->env.remote = cli->remote[0] != '\0';
	/* VF settings are read only to print a VF's MAC: no warnings for them */
	r = vs_cli_load_host(cli, NULL, VS_LOAD_SETTINGS, &ctx->env.host);
	if (r == VS_EXIT_OK && vs_libvirt_open(vs_cli_uri(cli), false, &ctx->env.conn, &err) < 0)
		r = vs_cli_fail_err(&err, "libvirt");
	if (r != VS_EXIT_OK)
		vs_cli_attach_close(ctx);
	return r;
}

void vs_cli_attach_close(struct vs_cli_attach *ctx)
{
	if (ctx->env.conn)
		virConnectClose(ctx->env.conn);
	vs_host_free(ctx->env.host);
	vs_hook_nl_close(&ctx->nl);
	vs_conf_free(&ctx->conf);
	memset(ctx, 0, sizeof(*ctx));
}

struct text_buf { char *s; size_t len; };

static int add_text(const struct vs_vf_field *f, const char *value, void *data)
{
	struct text_buf *b = data;
	char *n = NULL;
	int len = asprintf(&n, "%s%s%s=%s", b->s ? b->s : "", b->len ? " " : "", f->name, value);

	if (len < 0)
		return -ENOMEM;
	free(b->s);
	b->s = n;
	b->len = (size_t)len;
	return 0;
}

char *vs_cli_settings_text(const struct vs_vf_config *cfg)
{
	struct text_buf b = { 0 };

	if (vs_vf_config_foreach(cfg, add_text, &b) < 0) {
		free(b.s);
		return NULL;
	}
	return b.s ? b.s : strdup("");
}

json_object *vs_cli_settings_json(const struct vs_vf_config *cfg)
{
	json_object *o = vs_vf_config_to_json(cfg);

	return o ? o : json_object_new_object();
}

const char *vs_cli_flags_text(unsigned flags)
{
	bool live = flags & VIR_DOMAIN_AFFECT_LIVE, config = flags & VIR_DOMAIN_AFFECT_CONFIG;

	return live && config ? "live+config" : live ? "live" : "config";
}
