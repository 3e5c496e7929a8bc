/* SPDX-License-Identifier: MIT */
/*
 * cp_tls.h: TLS for the HTTP server, OpenSSL 3 on memory BIOs.
 *
 * Why memory BIOs: libuv owns the sockets; OpenSSL must never read or write
 * a file descriptor itself (it would block the loop). Ciphertext from the
 * socket goes in with cp_tls_feed(), plaintext comes out of cp_tls_read();
 * plaintext to send goes in with cp_tls_write() and the ciphertext to put on
 * the socket comes out of cp_tls_take(). TLS 1.2 is the minimum (AMWA
 * BCP-003-01); the certificate chain and key are PEM files from the config.
 *
 * Thread: the libuv loop thread.
 */
#ifndef CP_TLS_H
#define CP_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct cp_tls_ctx;
struct cp_tls;

/* Load cert (PEM chain) and key; 0 or -EINVAL with err filled. */
int cp_tls_ctx_create(const char *cert_path, const char *key_path, struct cp_tls_ctx **out,
		      char *err, size_t err_cap);
void cp_tls_ctx_destroy(struct cp_tls_ctx *ctx);

/* One server-side session. 0 or -ENOMEM. */
int cp_tls_new(struct cp_tls_ctx *ctx, struct cp_tls **out);
void cp_tls_free(struct cp_tls *t);

/* Ciphertext received from the peer. 0 or -ENOMEM. */
int cp_tls_feed(struct cp_tls *t, const void *data, size_t len);
/* Plaintext: > 0 bytes, 0 nothing more for now, -EPROTO handshake or record
 * error (the alert to send, if any, is in cp_tls_take), -ECONNRESET the peer
 * closed the session. */
ssize_t cp_tls_read(struct cp_tls *t, void *buf, size_t cap);
/* Encrypt plaintext for sending. 0 or -EPROTO. */
int cp_tls_write(struct cp_tls *t, const void *data, size_t len);
/* Ciphertext waiting to be sent (malloc'd, *len bytes) or NULL if none. */
void *cp_tls_take(struct cp_tls *t, size_t *len);

#endif
