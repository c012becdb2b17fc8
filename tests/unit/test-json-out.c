/* The --json envelope (src/cli/json-out.c): version and warnings lead every
 * document, warnings are collected only with --json and only until the
 * document is printed, a failure's line becomes "error", a command that
 * failed before printing gets the error-only document, one document a run;
 * VF settings absent (not applicable) or null (unknown). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "json-out.h"

/* stdout into a temporary file while fn runs; the text, parsed. */
static json_object *capture(int (*fn)(void *), void *arg, int *ret)
{
	char path[] = "/tmp/vs-json-out.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDOUT_FILENO);
	json_object *doc;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stdout);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	*ret = fn(arg);
	fflush(stdout);
	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	close(fd);
	doc = json_object_from_file(path);
	unlink(path);
	return doc;
}

static int print_doc(void *arg)
{
	json_object *doc = vs_json_doc_new();

	vs_json_set(doc, "answer", json_object_new_int(42));
	(void)arg;
	return vs_json_doc_print(doc);
}

static int finish_failure(void *arg)
{
	return vs_json_finish(*(int *)arg);
}

static const char *str_at(json_object *doc, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(doc, key, &v) ? json_object_get_string(v) : NULL;
}

static void test_envelope(void **state)
{
	bool json = true;
	json_object *doc, *w;
	int r;

	(void)state;
	vs_json_watch(&json);
	assert_true(vs_json_add_warning("first"));
	vs_json_note_error(VS_EXIT_USAGE, "a usage error is no document's");
	vs_json_note_error(VS_EXIT_FAILURE, "it failed");
	vs_json_note_error(VS_EXIT_FAILURE, "the second failure is not the error");
	doc = capture(print_doc, NULL, &r);
	assert_int_equal(r, 0);
	assert_non_null(doc);
	json_object_object_foreach(doc, key, val) { /* version first, warnings second */
		(void)val;
		assert_string_equal(key, "version");
		break;
	}
	assert_int_equal(json_object_get_int(json_object_object_get(doc, "version")), VS_JSON_VERSION);
	w = json_object_object_get(doc, "warnings");
	assert_int_equal(json_object_array_length(w), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(w, 0)), "first");
	assert_string_equal(str_at(doc, "error"), "it failed");
	assert_int_equal(json_object_get_int(json_object_object_get(doc, "answer")), 42);
	json_object_put(doc);
	/* printed: a later warning goes to stderr, a second document nowhere */
	assert_false(vs_json_add_warning("too late"));
	r = 1;
	doc = capture(finish_failure, &r, &r);
	assert_null(doc);
	assert_int_equal(r, VS_EXIT_FAILURE);
}

static void test_failure_before_printing(void **state)
{
	bool json = true;
	json_object *doc;
	int r = VS_EXIT_FAILURE;

	(void)state;
	/* a new run: what test_envelope left is gone after its finish */
	vs_json_watch(&json);
	assert_true(vs_json_add_warning("w"));
	vs_json_note_error(VS_EXIT_FAILURE, "no such PF");
	doc = capture(finish_failure, &r, &r);
	assert_int_equal(r, VS_EXIT_FAILURE);
	assert_non_null(doc);
	assert_string_equal(str_at(doc, "error"), "no such PF");
	assert_int_equal(json_object_array_length(json_object_object_get(doc, "warnings")), 1);
	assert_int_equal(json_object_object_length(doc), 3);
	json_object_put(doc);
}

static void test_without_json(void **state)
{
	bool json = false;

	(void)state;
	vs_json_watch(&json);
	assert_false(vs_json_add_warning("to stderr"));
	json = true; /* set later by a command's own --json: seen at once */
	assert_true(vs_json_on());
	json = false;
	vs_json_watch(NULL);
	assert_false(vs_json_on());
}

/* Unknown settings are null, settings that do not apply are absent. */
static void test_vf_settings(void **state)
{
	struct vs_vf vf = { .index = 0, .iommu_group = -1 };
	struct vs_pf pf = { .vf_settings_na = false };
	json_object *o, *v = NULL;

	(void)state;
	vs_vf_config_init(&vf.config, 0);
	o = vs_json_vf(&pf, &vf, true);
	assert_true(json_object_object_get_ex(o, "trust", &v));
	assert_null(v);
	assert_false(json_object_get_boolean(json_object_object_get(o, "config_known")));
	json_object_put(o);
	pf.vf_settings_na = true;
	o = vs_json_vf(&pf, &vf, true);
	for (size_t i = 0; i < vs_vf_n_fields; i++)
		assert_false(json_object_object_get_ex(o, vs_vf_fields[i].json, NULL));
	assert_false(json_object_object_get_ex(o, "config_known", NULL));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_failure_before_printing),
		cmocka_unit_test(test_without_json),
		cmocka_unit_test(test_vf_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
