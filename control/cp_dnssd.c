/* SPDX-License-Identifier: MIT */
/*
 * cp_dnssd.c: NMOS DNS-SD with avahi-client on the libuv loop (see
 * cp_dnssd.h).
 *
 * One client; two service browsers (current and legacy registration type);
 * a resolver per instance seen, freed in its callback; one entry group for
 * the Node. A registry's key is "iface/proto/name.type.domain": the same
 * instance seen over IPv4 and IPv6 is two candidates (harmless: the same
 * registry twice in the failover order).
 *
 * Thread: the libuv loop thread.
 */
#include "cp_dnssd.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>

#include "cp_app.h"
#include "cp_avahi_poll.h"
#include "cp_reg.h"

#define NODE_TYPE "_nmos-node._tcp"
#define NAME_MAX_BYTES 63u /* DNS label */

static const char *const reg_types[] = {"_nmos-register._tcp", "_nmos-registration._tcp"};

struct cp_dnssd {
	struct cp_app *app;
	struct cp_reg *reg;
	struct cp_avahi_poll *poll;
	AvahiClient *client;
	AvahiServiceBrowser *browser[2];
	AvahiEntryGroup *group;
	char *name; /* avahi_malloc'd: the Node's instance name */
	bool failed;
};

bool cp_dnssd_built(void)
{
	return true;
}

static void make_key(char *key, size_t cap, AvahiIfIndex iface, AvahiProtocol proto,
		     const char *name, const char *type, const char *domain)
{
	snprintf(key, cap, "%d/%d/%s.%s.%s", (int)iface, (int)proto, name, type, domain);
}

/* TXT value of key into out; false when absent or without a value. */
static bool txt_get(AvahiStringList *txt, const char *key, char *out, size_t cap)
{
	AvahiStringList *l = avahi_string_list_find(txt, key);
	char *k = NULL, *v = NULL;
	if (!l || avahi_string_list_get_pair(l, &k, &v, NULL) < 0)
		return false;
	bool ok = v != NULL;
	if (ok)
		snprintf(out, cap, "%s", v);
	avahi_free(k);
	avahi_free(v);
	return ok;
}

static bool ver_listed(const char *list, const char *ver)
{
	size_t n = strlen(ver);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, ver, n) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static void on_resolve(AvahiServiceResolver *res, AvahiIfIndex iface, AvahiProtocol proto,
		       AvahiResolverEvent ev, const char *name, const char *type, const char *domain,
		       const char *host, const AvahiAddress *addr, uint16_t port, AvahiStringList *txt,
		       AvahiLookupResultFlags flags, void *ud)
{
	(void)flags;
	struct cp_dnssd *d = ud;
	if (ev != AVAHI_RESOLVER_FOUND) {
		fprintf(stderr, "switchyard: DNS-SD: cannot resolve %s.%s: %s\n", name, type,
			avahi_strerror(avahi_client_errno(d->client)));
		avahi_service_resolver_free(res);
		return;
	}
	char apiproto[16] = "", apiver[128] = "", pri_s[16] = "";
	txt_get(txt, "api_proto", apiproto, sizeof(apiproto));
	txt_get(txt, "api_ver", apiver, sizeof(apiver));
	txt_get(txt, "pri", pri_s, sizeof(pri_s));
	char *end = NULL;
	long pri = strtol(pri_s, &end, 10);
	if ((strcmp(apiproto, "http") != 0 && strcmp(apiproto, "https") != 0) ||
	    !ver_listed(apiver, "v1.3") || !pri_s[0] || *end || pri < 0 || pri > 0x7fffffff) {
		fprintf(stderr,
			"switchyard: DNS-SD: registry %s ignored (TXT api_proto=%s api_ver=%s pri=%s;"
			" need http(s), v1.3, a number)\n",
			name, apiproto, apiver, pri_s);
		avahi_service_resolver_free(res);
		return;
	}
	char a[AVAHI_ADDRESS_STR_MAX], url[CP_URL_MAX], key[CP_REG_KEY_MAX];
	avahi_address_snprint(a, sizeof(a), addr);
	if (strcmp(apiproto, "https") == 0) {
		/* the certificate names the host, not its address */
		char h[256];
		snprintf(h, sizeof(h), "%s", host);
		size_t hl = strlen(h);
		if (hl && h[hl - 1] == '.')
			h[hl - 1] = 0;
		int n = snprintf(url, sizeof(url), "https://%s:%u", h, port);
		if (n < 0 || (size_t)n >= sizeof(url)) {
			fprintf(stderr, "switchyard: DNS-SD: registry host name too long, ignored\n");
			avahi_service_resolver_free(res);
			return;
		}
	} else if (addr->proto == AVAHI_PROTO_INET6) {
		char ifn[IF_NAMESIZE] = "";
		if (strncmp(a, "fe80", 4) == 0 && if_indextoname((unsigned)iface, ifn))
			snprintf(url, sizeof(url), "http://[%s%%25%s]:%u", a, ifn, port);
		else
			snprintf(url, sizeof(url), "http://[%s]:%u", a, port);
	} else {
		snprintf(url, sizeof(url), "http://%s:%u", a, port);
	}
	make_key(key, sizeof(key), iface, proto, name, type, domain);
	int rc = cp_reg_add_discovered(d->reg, key, url, (int32_t)pri);
	if (rc < 0)
		fprintf(stderr, "switchyard: DNS-SD: registry %s not added: %s\n", url,
			rc == -ENOSPC ? "too many discovered registries" : strerror(-rc));
	avahi_service_resolver_free(res);
}

static void on_browse(AvahiServiceBrowser *b, AvahiIfIndex iface, AvahiProtocol proto,
		      AvahiBrowserEvent ev, const char *name, const char *type, const char *domain,
		      AvahiLookupResultFlags flags, void *ud)
{
	(void)b;
	(void)flags;
	struct cp_dnssd *d = ud;
	char key[CP_REG_KEY_MAX];
	switch (ev) {
	case AVAHI_BROWSER_NEW:
		if (!avahi_service_resolver_new(d->client, iface, proto, name, type, domain,
						AVAHI_PROTO_UNSPEC, 0, on_resolve, d))
			fprintf(stderr, "switchyard: DNS-SD: resolver for %s: %s\n", name,
				avahi_strerror(avahi_client_errno(d->client)));
		break;
	case AVAHI_BROWSER_REMOVE:
		make_key(key, sizeof(key), iface, proto, name, type, domain);
		cp_reg_remove_discovered(d->reg, key);
		break;
	case AVAHI_BROWSER_FAILURE:
		fprintf(stderr, "switchyard: DNS-SD: browsing failed: %s\n",
			avahi_strerror(avahi_client_errno(d->client)));
		break;
	default:
		break;
	}
}

static void publish(struct cp_dnssd *d, AvahiClient *c);

static void on_group(AvahiEntryGroup *g, AvahiEntryGroupState st, void *ud)
{
	struct cp_dnssd *d = ud;
	if (st == AVAHI_ENTRY_GROUP_ESTABLISHED) {
		fprintf(stderr, "switchyard: DNS-SD: advertising \"%s\" %s port %u\n", d->name,
			NODE_TYPE, d->app->port);
	} else if (st == AVAHI_ENTRY_GROUP_COLLISION) {
		char *n = avahi_alternative_service_name(d->name);
		fprintf(stderr, "switchyard: DNS-SD: name \"%s\" taken, trying \"%s\"\n", d->name, n);
		avahi_free(d->name);
		d->name = n;
		avahi_entry_group_reset(g);
		publish(d, avahi_entry_group_get_client(g));
	} else if (st == AVAHI_ENTRY_GROUP_FAILURE) {
		fprintf(stderr, "switchyard: DNS-SD: advertising failed: %s\n",
			avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(g))));
	}
}

static void publish(struct cp_dnssd *d, AvahiClient *c)
{
	if (!d->group) {
		d->group = avahi_entry_group_new(c, on_group, d);
		if (!d->group) {
			fprintf(stderr, "switchyard: DNS-SD: %s\n",
				avahi_strerror(avahi_client_errno(c)));
			return;
		}
	}
	if (!avahi_entry_group_is_empty(d->group))
		return;
	char pri[16];
	snprintf(pri, sizeof(pri), "pri=%d", CP_DNSSD_NODE_PRI);
	int rc = avahi_entry_group_add_service(
		d->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0, d->name, NODE_TYPE, NULL, NULL,
		d->app->port, d->app->tls ? "api_proto=https" : "api_proto=http", "api_ver=v1.3",
		"api_auth=false", pri, NULL);
	if (rc == AVAHI_ERR_COLLISION) {
		on_group(d->group, AVAHI_ENTRY_GROUP_COLLISION, d);
		return;
	}
	if (rc == 0)
		rc = avahi_entry_group_commit(d->group);
	if (rc < 0)
		fprintf(stderr, "switchyard: DNS-SD: cannot advertise %s: %s\n", NODE_TYPE,
			avahi_strerror(rc));
}

static void on_client(AvahiClient *c, AvahiClientState st, void *ud)
{
	struct cp_dnssd *d = ud;
	switch (st) {
	case AVAHI_CLIENT_S_RUNNING:
		for (int i = 0; i < 2; i++)
			if (!d->browser[i]) {
				d->browser[i] = avahi_service_browser_new(c, AVAHI_IF_UNSPEC,
									  AVAHI_PROTO_UNSPEC, reg_types[i],
									  NULL, 0, on_browse, d);
				if (!d->browser[i])
					fprintf(stderr, "switchyard: DNS-SD: browse %s: %s\n",
						reg_types[i], avahi_strerror(avahi_client_errno(c)));
			}
		publish(d, c);
		break;
	case AVAHI_CLIENT_S_COLLISION:
	case AVAHI_CLIENT_S_REGISTERING:
		if (d->group)
			avahi_entry_group_reset(d->group);
		break;
	case AVAHI_CLIENT_FAILURE:
		if (!d->failed)
			fprintf(stderr,
				"switchyard: DNS-SD: lost the avahi daemon (%s): discovered registries"
				" dropped\n",
				avahi_strerror(avahi_client_errno(c)));
		d->failed = true;
		cp_reg_remove_all_discovered(d->reg);
		break;
	default:
		break;
	}
}

int cp_dnssd_create(struct cp_app *app, struct cp_reg *reg, struct cp_dnssd **out)
{
	*out = NULL;
	if (!app->cfg->dns_sd)
		return 0;
	struct cp_dnssd *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->app = app;
	d->reg = reg;
	d->poll = cp_avahi_poll_new(app->loop);
	char name[NAME_MAX_BYTES + 1];
	const char *label = app->cfg->node_label[0] ? app->cfg->node_label : "switchyard";
	size_t n = strlen(label);
	if (n > NAME_MAX_BYTES) {
		n = NAME_MAX_BYTES;
		while (n > 0 && ((unsigned char)label[n] & 0xC0) == 0x80)
			n--; /* do not cut a UTF-8 sequence */
	}
	memcpy(name, label, n);
	name[n] = 0;
	d->name = avahi_strdup(name);
	if (!d->poll || !d->name) {
		cp_avahi_poll_free(d->poll);
		avahi_free(d->name);
		free(d);
		return -ENOMEM;
	}
	int err = 0;
	d->client = avahi_client_new(cp_avahi_poll_get(d->poll), 0, on_client, d, &err);
	if (!d->client) {
		fprintf(stderr,
			"switchyard: DNS-SD off: avahi: %s (configured registries only, node not"
			" advertised)\n",
			avahi_strerror(err));
		cp_avahi_poll_free(d->poll);
		avahi_free(d->name);
		free(d);
		return 0;
	}
	*out = d;
	return 0;
}

void cp_dnssd_destroy(struct cp_dnssd *d)
{
	if (!d)
		return;
	/* frees browsers, resolvers and the entry group (withdrawn at once) */
	avahi_client_free(d->client);
	cp_avahi_poll_free(d->poll);
	avahi_free(d->name);
	free(d);
}
