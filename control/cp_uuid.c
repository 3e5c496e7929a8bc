/* SPDX-License-Identifier: MIT */
/*
 * cp_uuid.c: RFC 4122 version 5 UUIDs with OpenSSL's SHA-1 (see cp_uuid.h).
 *
 * Thread: any.
 */
#include "cp_uuid.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

/* A fixed namespace for Switchyard (itself a v4 UUID, chosen once). */
static const unsigned char ns_switchyard[16] = {0x6f, 0x1d, 0x2c, 0x4e, 0x8a, 0x53, 0x4b, 0x0e,
						0x9c, 0x31, 0x5d, 0x7a, 0x21, 0x44, 0xe8, 0x0b};

void cp_uuid_name(const char *seed, const char *kind, const char *name,
		  char out[CP_UUID_STRLEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	EVP_DigestUpdate(ctx, ns_switchyard, sizeof(ns_switchyard));
	EVP_DigestUpdate(ctx, seed, strlen(seed));
	EVP_DigestUpdate(ctx, "/", 1);
	EVP_DigestUpdate(ctx, kind, strlen(kind));
	EVP_DigestUpdate(ctx, "/", 1);
	EVP_DigestUpdate(ctx, name, strlen(name));
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50); /* version 5 */
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, CP_UUID_STRLEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", md[0], md[1],
		 md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11], md[12],
		 md[13], md[14], md[15]);
}

bool cp_uuid_valid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					(c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}
