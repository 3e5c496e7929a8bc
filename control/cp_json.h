/* SPDX-License-Identifier: MIT */
/*
 * cp_json.h: jansson helpers shared by the config loader and the handlers.
 *
 * Why: clients and operators deserve to be told exactly what is wrong: a
 * syntax error with line and column, an unknown key or a wrong type with the
 * JSON path ("$.outputs[1].video.depth"). jansson's own unpack errors point
 * into the format string, so this walker keeps the path itself. Every
 * document is loaded with JSON_REJECT_DUPLICATES.
 *
 * A struct cp_json_rd carries the first error only; getters after an error
 * are no-ops returning false, so a loader reads straight through and checks
 * once at the end.
 *
 * Thread: any (pure, no globals).
 */
#ifndef CP_JSON_H
#define CP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CP_JSON_PATH_MAX 256u
#define CP_JSON_ERR_MAX 512u

struct cp_json_rd {
	const char *origin;            /* file name or "body" for messages */
	char path[CP_JSON_PATH_MAX];   /* current path, "$" at the root */
	bool failed;
	char err[CP_JSON_ERR_MAX];
};

void cp_json_rd_init(struct cp_json_rd *rd, const char *origin);

/*
 * Parse text (not NUL-terminated) with duplicate keys rejected. NULL on error
 * with rd->err "origin:line:column: message". The root must be an object if
 * want_object.
 */
json_t *cp_json_load(struct cp_json_rd *rd, const char *text, size_t len, bool want_object);

/* Record an error at path[/key]: "origin: $.a.b: message". Returns false. */
bool cp_json_fail(struct cp_json_rd *rd, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Enter/leave a member or array element for paths of nested errors. Push
 * returns the previous length, to pass to pop. */
size_t cp_json_push_key(struct cp_json_rd *rd, const char *key);
size_t cp_json_push_idx(struct cp_json_rd *rd, size_t idx);
void cp_json_pop(struct cp_json_rd *rd, size_t prev_len);

/* Unknown keys: every key of obj must be in the NULL-terminated list. */
bool cp_json_only(struct cp_json_rd *rd, const json_t *obj, const char *const *keys);

/*
 * Typed getters: absent and !required -> true, *out unchanged. Wrong type,
 * out of range, too long -> error naming the path.
 */
bool cp_json_str(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required,
		 char *out, size_t cap);
bool cp_json_int(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required,
		 int64_t min, int64_t max, int64_t *out);
bool cp_json_bool(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required,
		  bool *out);
/* Object / array member (borrowed); NULL if absent (error if required) or
 * of the wrong type (error). */
json_t *cp_json_obj(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required);
json_t *cp_json_arr(struct cp_json_rd *rd, const json_t *obj, const char *key, bool required);

/* jansson type name for messages: "string", "integer", ... */
const char *cp_json_type_name(const json_t *v);

/* Valid UTF-8 without control characters (labels). */
bool cp_json_label_ok(const char *s);

/* Compact serialisation (malloc'd, caller frees); NULL on OOM. */
char *cp_json_dump(const json_t *v);

#endif
