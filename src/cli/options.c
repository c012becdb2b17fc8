/* The VF settings as command-line options, and the library's messages
 * about them as usage errors. */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "options.h"

void vs_cli_setting_options(struct option *opts, size_t *n, int val)
{
	for (size_t i = 0; i < vs_vf_n_fields; i++)
		opts[(*n)++] = (struct option){ vs_vf_fields[i].name, required_argument, NULL, val };
}

/* The library names settings as the configuration file and the policy do
 * ("vlan 5000: out of range"); on the command line they are options. */
void vs_cli_optify(const char *msg, char *out, size_t len)
{
	size_t used = 0;

	for (const char *p = msg; *p && used + 1 < len;) {
		const struct vs_vf_field *hit = NULL;

		for (size_t i = 0; (p == msg || p[-1] == ' ') && i < vs_vf_n_fields; i++) {
			size_t l = strlen(vs_vf_fields[i].name);

			if (strncmp(p, vs_vf_fields[i].name, l) == 0 && (p[l] == ' ' || p[l] == '\0') &&
			    (!hit || l > strlen(hit->name)))
				hit = &vs_vf_fields[i];
		}
		if (hit && used + 3 < len) {
			out[used++] = '-';
			out[used++] = '-';
		}
		out[used++] = *p++;
	}
	out[used] = '\0';
}

void vs_cli_settings_usage(FILE *out, size_t col, const char *indent, size_t width)
{
	for (size_t i = 0; i < vs_vf_n_fields; i++) {
		const struct vs_vf_field *f = &vs_vf_fields[i];
		size_t len = strlen(f->name) + strlen(f->metavar) + 6;

		if (i > 0 && col + len > width) {
			col = (size_t)fprintf(out, "\n%s", indent) - 1;
		} else if (i > 0) {
			fputc(' ', out);
			col++;
		}
		col += (size_t)fprintf(out, "[--%s %s]", f->name, f->metavar);
	}
	fputc('\n', out);
}

int vs_cli_parse_setting(struct vs_vf_config *cfg, const char *name, const char *value, const char *what)
{
	struct vs_error err = { 0 };
	char msg[sizeof(err.msg) + 64];
	int r = vs_vf_config_parse(cfg, name, value, &err);

	if (r == -ENOENT)
		return vs_cli_fail(VS_EXIT_USAGE, "%s: unknown setting --%s", what, name);
	if (r < 0) {
		vs_cli_optify(err.msg, msg, sizeof(msg));
		return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
	}
	return VS_EXIT_OK;
}

int vs_cli_usage_error(const char *what, const struct vs_error *err)
{
	char msg[sizeof(err->msg) + 64];

	vs_cli_optify(err->msg, msg, sizeof(msg));
	return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
}

int vs_cli_check_settings(const struct vs_vf_config *cfg, const char *what)
{
	struct vs_error err = { 0 };
	char msg[sizeof(err.msg) + 64];

	if (vs_vf_config_check(cfg, &err) == 0)
		return VS_EXIT_OK;
	vs_cli_optify(err.msg, msg, sizeof(msg));
	return vs_cli_fail(VS_EXIT_USAGE, "%s: %s", what, msg);
}

int vs_cli_parse_vlan_id(const char *what, const char *s, int *out)
{
	struct vs_vf_config c;
	int r;

	/* the VLAN of vfconfig's table, without the QoS and protocol an XML
	 * <vlan><tag> does not carry */
	vs_vf_config_init(&c, 0);
	r = vs_cli_parse_setting(&c, "vlan", s, what);
	if (r == VS_EXIT_OK && (c.qos >= 0 || c.vlan_proto >= 0))
		r = vs_cli_fail(VS_EXIT_USAGE, "%s: --vlan %s: a VLAN ID only (0-4094): libvirt's XML takes no QoS here", what, s);
	if (r == VS_EXIT_OK)
		*out = c.vlan;
	return r;
}
