/* libFuzzer target: /etc/virt-sriov/virt-sriov.conf.  Errors must name
 * the file and a line that exists. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = malloc(size + 1);
	struct vs_conf c;
	struct vs_error err = { 0 };
	size_t lines = 1;
	int line;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < size && text[i]; i++)
		lines += text[i] == '\n';
	if (vs_conf_parse_string(text, "f.conf", &c, &err) == 0) {
		vs_conf_free(&c);
		return 0;
	}
	if (err.code == -ENOMEM)
		return 0;
	if (sscanf(err.msg, "f.conf:%d:", &line) != 1 || line < 1 || (size_t)line > lines)
		abort();
	return 0;
}
