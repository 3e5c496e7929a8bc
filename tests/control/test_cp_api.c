/* SPDX-License-Identifier: MIT */
/*
 * test_cp_api.c: the request handlers without a socket: cp_app_handle() fed
 * with hand-made requests (control/cp_app.c, cp_api.c, cp_nmos.c,
 * cp_is05.c): routing, the NMOS error body everywhere, 405 with Allow,
 * bearer-token writes, strict bodies, take/lock/salvo through the API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cp_app.h"

static struct cp_config cfg;
static struct cp_app app;

static int setup(void **state)
{
	(void)state;
	char err[256];
	const char *t = "{\"node\":{\"seed\":\"unit\"},\"inputs\":["
			"{\"id\":\"a\",\"internal\":\"bars\",\"video\":{\"format\":\"1080p50\"}},"
			"{\"id\":\"b\",\"video\":{\"format\":\"1080p50\",\"legs\":[{\"destination\":"
			"\"239.0.0.1\",\"port\":5004}]}},"
			"{\"id\":\"n\",\"internal\":\"box\",\"video\":{\"format\":\"1080p59.94\"}}],"
			"\"outputs\":[{\"id\":\"o\",\"video\":{\"format\":\"1080p50\",\"legs\":"
			"[{\"destination\":\"239.1.0.1\",\"port\":5004}]}}]}";
	assert_int_equal(cp_config_parse(&cfg, "unit", t, strlen(t), err, sizeof(err)), 0);
	struct cp_switch *sw;
	struct sy_rate r = {50, 1};
	assert_int_equal(cp_switch_sim_create(cfg.n_inputs, cfg.n_outputs, &r, &sw), 0);
	assert_int_equal(cp_app_init(&app, uv_default_loop(), &cfg, sw), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cp_app_fini(&app);
	return 0;
}

struct result {
	int status;
	json_t *doc;
	char headers[512];
};

static struct result call(enum cp_http_method m, const char *method, const char *path,
			  const char *body, const char *auth)
{
	static struct cp_http_req req;
	struct cp_http_resp resp;
	struct result res;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.method = m;
	req.method_name = method;
	snprintf(req.path, sizeof(req.path), "%s", path);
	snprintf(req.peer, sizeof(req.peer), "127.0.0.1:1");
	snprintf(req.client_name, sizeof(req.client_name), "unit");
	if (auth)
		snprintf(req.authorization, sizeof(req.authorization), "%s", auth);
	if (body)
		snprintf(req.content_type, sizeof(req.content_type), "application/json");
	req.body = body ? body : "";
	req.body_len = body ? strlen(body) : 0;
	cp_app_handle(&app, &req, &resp);
	res.status = resp.status;
	res.doc = resp.body ? json_loadb(resp.body, resp.body_len, 0, NULL) : NULL;
	memcpy(res.headers, resp.extra_headers, sizeof(res.headers));
	free(resp.body);
	return res;
}

static void assert_nmos_error(struct result *r, int status)
{
	assert_int_equal(r->status, status);
	assert_non_null(r->doc);
	assert_int_equal(json_integer_value(json_object_get(r->doc, "code")), status);
	assert_non_null(json_string_value(json_object_get(r->doc, "error")));
	assert_non_null(json_object_get(r->doc, "debug"));
	json_decref(r->doc);
}

static void test_routing_and_errors(void **state)
{
	(void)state;
	struct result r = call(CP_HTTP_GET, "GET", "/x-nmos/", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.doc), 2);
	json_decref(r.doc);
	r = call(CP_HTTP_GET, "GET", "/x-nmos/node/v1.2/self", NULL, NULL);
	assert_nmos_error(&r, 404);
	r = call(CP_HTTP_GET, "GET", "/x-nmos/node/v1.3/senders/nope", NULL, NULL);
	assert_nmos_error(&r, 404);
	r = call(CP_HTTP_DELETE, "DELETE", "/x-nmos/node/v1.3/self", NULL, NULL);
	assert_int_equal(r.status, 405);
	assert_non_null(strstr(r.headers, "Allow: GET, OPTIONS, HEAD"));
	json_decref(r.doc);
	r = call(CP_HTTP_GET, "GET", "/x-switchyard/v1/../v1/status", NULL, NULL);
	assert_nmos_error(&r, 400);
	r = call(CP_HTTP_GET, "GET", "/nothing-here", NULL, NULL);
	assert_nmos_error(&r, 404);
	r = call(CP_HTTP_OPTIONS, "OPTIONS", "/x-switchyard/v1/take", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.headers, "Access-Control-Allow-Methods"));
}

static void test_nmos_shape(void **state)
{
	(void)state;
	struct result r = call(CP_HTTP_GET, "GET", "/x-nmos/node/v1.3/receivers", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.doc), 1); /* only the network input b */
	json_decref(r.doc);
	r = call(CP_HTTP_GET, "GET", "/x-nmos/node/v1.3/senders/", NULL, NULL);
	assert_int_equal(json_array_size(r.doc), 1);
	const char *id = json_string_value(json_object_get(json_array_get(r.doc, 0), "id"));
	char path[160];
	snprintf(path, sizeof(path), "/x-nmos/node/v1.3/senders/%s", id);
	json_decref(r.doc);
	r = call(CP_HTTP_GET, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	json_decref(r.doc);
}

static void test_take_via_api(void **state)
{
	(void)state;
	struct result r = call(CP_HTTP_POST, "POST", "/x-switchyard/v1/take",
			       "{\"output\":\"o\",\"input\":\"b\"}", NULL);
	assert_int_equal(r.status, 202);
	assert_string_equal(json_string_value(json_object_get(r.doc, "input")), "b");
	json_decref(r.doc);
	r = call(CP_HTTP_POST, "POST", "/x-switchyard/v1/take", "{\"output\":\"o\",\"input\":\"n\"}",
		 NULL);
	assert_nmos_error(&r, 409);
	r = call(CP_HTTP_POST, "POST", "/x-switchyard/v1/take",
		 "{\"output\":\"o\",\"input\":\"b\",\"input\":\"a\"}", NULL);
	assert_nmos_error(&r, 400);
	r = call(CP_HTTP_PUT, "PUT", "/x-switchyard/v1/outputs/o/lock", "{\"kind\":\"lock\"}", NULL);
	assert_int_equal(r.status, 200);
	json_decref(r.doc);
	r = call(CP_HTTP_POST, "POST", "/x-switchyard/v1/outputs/o/take", "{\"input\":\"a\"}", NULL);
	assert_nmos_error(&r, 423);
	r = call(CP_HTTP_DELETE, "DELETE", "/x-switchyard/v1/outputs/o/lock", NULL, NULL);
	assert_int_equal(r.status, 200);
	json_decref(r.doc);
}

static void test_token(void **state)
{
	(void)state;
	strcpy(cfg.token, "abc");
	struct result r = call(CP_HTTP_POST, "POST", "/x-switchyard/v1/take",
			       "{\"output\":\"o\",\"input\":\"a\"}", NULL);
	assert_nmos_error(&r, 401);
	r = call(CP_HTTP_POST, "POST", "/x-switchyard/v1/take", "{\"output\":\"o\",\"input\":\"a\"}",
		 "Bearer abd");
	assert_nmos_error(&r, 401);
	r = call(CP_HTTP_POST, "POST", "/x-switchyard/v1/take", "{\"output\":\"o\",\"input\":\"a\"}",
		 "Bearer abc");
	assert_int_equal(r.status, 202);
	json_decref(r.doc);
	r = call(CP_HTTP_GET, "GET", "/x-switchyard/v1/outputs", NULL, NULL);
	assert_int_equal(r.status, 200); /* reads stay open */
	json_decref(r.doc);
	cfg.token[0] = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routing_and_errors),
		cmocka_unit_test(test_nmos_shape),
		cmocka_unit_test(test_take_via_api),
		cmocka_unit_test(test_token),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
