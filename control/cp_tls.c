/* SPDX-License-Identifier: MIT */
/*
 * cp_tls.c: TLS sessions on memory BIOs (see cp_tls.h).
 *
 * Thread: the libuv loop thread.
 */
#include "cp_tls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

struct cp_tls_ctx {
	SSL_CTX *ssl;
};

struct cp_tls {
	SSL *ssl;
	BIO *in, *out; /* owned by ssl */
};

static void ssl_err(char *err, size_t cap, const char *what, const char *path)
{
	char e[256] = "";
	unsigned long code = ERR_get_error();
	if (code)
		ERR_error_string_n(code, e, sizeof(e));
	ERR_clear_error();
	snprintf(err, cap, "TLS: %s '%s': %s", what, path, e[0] ? e : "failed");
}

int cp_tls_ctx_create(const char *cert_path, const char *key_path, struct cp_tls_ctx **out,
		      char *err, size_t err_cap)
{
	struct cp_tls_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ssl = SSL_CTX_new(TLS_server_method());
	if (!c->ssl) {
		free(c);
		return -ENOMEM;
	}
	SSL_CTX_set_min_proto_version(c->ssl, TLS1_2_VERSION); /* BCP-003-01 */
	SSL_CTX_set_options(c->ssl, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_mode(c->ssl, SSL_MODE_RELEASE_BUFFERS);
	if (SSL_CTX_use_certificate_chain_file(c->ssl, cert_path) != 1) {
		ssl_err(err, err_cap, "cannot load certificate chain", cert_path);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(c->ssl, key_path, SSL_FILETYPE_PEM) != 1) {
		ssl_err(err, err_cap, "cannot load private key", key_path);
		goto fail;
	}
	if (SSL_CTX_check_private_key(c->ssl) != 1) {
		ssl_err(err, err_cap, "private key does not match the certificate", key_path);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	SSL_CTX_free(c->ssl);
	free(c);
	return -EINVAL;
}

void cp_tls_ctx_destroy(struct cp_tls_ctx *c)
{
	if (!c)
		return;
	SSL_CTX_free(c->ssl);
	free(c);
}

int cp_tls_new(struct cp_tls_ctx *ctx, struct cp_tls **out)
{
	struct cp_tls *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->ssl = SSL_new(ctx->ssl);
	t->in = BIO_new(BIO_s_mem());
	t->out = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->in || !t->out) {
		BIO_free(t->in);
		BIO_free(t->out);
		SSL_free(t->ssl);
		free(t);
		return -ENOMEM;
	}
	/* an empty input BIO means "try again later", not end of file */
	BIO_set_mem_eof_return(t->in, -1);
	SSL_set_bio(t->ssl, t->in, t->out);
	SSL_set_accept_state(t->ssl);
	*out = t;
	return 0;
}

void cp_tls_free(struct cp_tls *t)
{
	if (!t)
		return;
	SSL_free(t->ssl); /* frees both BIOs */
	free(t);
}

int cp_tls_feed(struct cp_tls *t, const void *data, size_t len)
{
	while (len) {
		int n = BIO_write(t->in, data, len > 1u << 30 ? 1 << 30 : (int)len);
		if (n <= 0)
			return -ENOMEM;
		data = (const char *)data + n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t cp_tls_read(struct cp_tls *t, void *buf, size_t cap)
{
	size_t got = 0;
	int rc = SSL_read_ex(t->ssl, buf, cap, &got);
	if (rc == 1)
		return (ssize_t)got;
	int e = SSL_get_error(t->ssl, rc);
	ERR_clear_error();
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return 0;
	if (e == SSL_ERROR_ZERO_RETURN)
		return -ECONNRESET;
	return -EPROTO;
}

int cp_tls_write(struct cp_tls *t, const void *data, size_t len)
{
	while (len) {
		size_t n = 0;
		if (SSL_write_ex(t->ssl, data, len, &n) != 1) {
			ERR_clear_error();
			return -EPROTO;
		}
		data = (const char *)data + n;
		len -= n;
	}
	return 0;
}

void *cp_tls_take(struct cp_tls *t, size_t *len)
{
	size_t n = BIO_ctrl_pending(t->out);
	*len = 0;
	if (!n)
		return NULL;
	char *p = malloc(n);
	if (!p)
		return NULL;
	int r = BIO_read(t->out, p, (int)n);
	if (r <= 0) {
		free(p);
		return NULL;
	}
	*len = (size_t)r;
	return p;
}
