/* SPDX-License-Identifier: MIT */
/*
 * cp_json.c: strict JSON reading with JSON paths in every message (see
 * cp_json.h).
 *
 * Thread: any.
 */
#include "cp_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cp_json_rd_init(struct cp_json_rd *rd, const char *origin)
{
	memset(rd, 0, sizeof(*rd));
	rd->origin = origin;
	strcpy(rd->path, "$");
}

json_t *cp_json_load(struct cp_json_rd *rd, const char *text, size_t len, bool want_object)
{
	json_error_t e;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (!root) {
		rd->failed = true;
		snprintf(rd->err, sizeof(rd->err), "%s:%d:%d: %s", rd->origin, e.line, e.column,
			 e.text);
		return NULL;
	}
	if (want_object && !json_is_object(root)) {
		cp_json_fail(rd, NULL, "expected an object, got %s", cp_json_type_name(root));
		json_decref(root);
		return NULL;
	}
	return root;
}

bool cp_json_fail(struct cp_json_rd *rd, const char *key, const char *fmt, ...)
{
	if (rd->failed)
		return false;
	rd->failed = true;
	char msg[192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, sizeof(rd->err), "%s: %s%s%s: %s", rd->origin, rd->path, key ? "." : "",
		 key ? key : "", msg);
	return false;
}

size_t cp_json_push_key(struct cp_json_rd *rd, const char *key)
{
	size_t n = strlen(rd->path);
	snprintf(rd->path + n, sizeof(rd->path) - n, ".%s", key);
	return n;
}

size_t cp_json_push_idx(struct cp_json_rd *rd, size_t idx)
{
	size_t n = strlen(rd->path);
	snprintf(rd->path + n, sizeof(rd->path) - n, "[%zu]", idx);
	return n;
}

void cp_json_pop(struct cp_json_rd *rd, size_t prev_len)
{
	rd->path[prev_len] = 0;
}

const char *cp_json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

bool cp_json_only(struct cp_json_rd *rd, const json_t *obj, const char *const *keys)
{
	const char *k;
	json_t *v;
	if (rd->failed)
		return false;
	json_object_foreach((json_t *)obj, k, v) {
		bool ok = false;
		for (size_t i = 0; keys[i]; i++)
			if (!strcmp(k, keys[i]))
				ok = true;
		if (!ok)
			return cp_json_fail(rd, k, "unknown key");
	}
	return true;
}

static json_t *member(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required)
{
	if (rd->failed)
		return NULL;
	json_t *v = json_object_get(obj, key);
	if (!v && required)
		cp_json_fail(rd, key, "required key missing");
	return v;
}

bool cp_json_str(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required,
		 char *out, size_t cap)
{
	json_t *v = member(rd, obj, key, required);
	if (!v)
		return !rd->failed;
	if (!json_is_string(v))
		return cp_json_fail(rd, key, "expected string, got %s", cp_json_type_name(v));
	size_t len = json_string_length(v);
	if (len + 1 > cap)
		return cp_json_fail(rd, key, "string longer than %zu bytes", cap - 1);
	if (memchr(json_string_value(v), 0, len))
		return cp_json_fail(rd, key, "string contains NUL");
	memcpy(out, json_string_value(v), len + 1);
	return true;
}

bool cp_json_int(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required,
		 int64_t min, int64_t max, int64_t *out)
{
	json_t *v = member(rd, obj, key, required);
	if (!v)
		return !rd->failed;
	if (!json_is_integer(v))
		return cp_json_fail(rd, key, "expected integer, got %s", cp_json_type_name(v));
	json_int_t x = json_integer_value(v);
	if (x < min || x > max)
		return cp_json_fail(rd, key, "%lld out of range [%lld, %lld]", (long long)x,
				    (long long)min, (long long)max);
	*out = x;
	return true;
}

bool cp_json_bool(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required,
		  bool *out)
{
	json_t *v = member(rd, obj, key, required);
	if (!v)
		return !rd->failed;
	if (!json_is_boolean(v))
		return cp_json_fail(rd, key, "expected boolean, got %s", cp_json_type_name(v));
	*out = json_is_true(v);
	return true;
}

json_t *cp_json_obj(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required)
{
	json_t *v = member(rd, obj, key, required);
	if (v && !json_is_object(v)) {
		cp_json_fail(rd, key, "expected object, got %s", cp_json_type_name(v));
		return NULL;
	}
	return v;
}

json_t *cp_json_arr(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required)
{
	json_t *v = member(rd, obj, key, required);
	if (v && !json_is_array(v)) {
		cp_json_fail(rd, key, "expected array, got %s", cp_json_type_name(v));
		return NULL;
	}
	return v;
}

bool cp_json_label_ok(const char *s)
{
	/* jansson already guarantees valid UTF-8; refuse C0 controls and DEL */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

char *cp_json_dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}
