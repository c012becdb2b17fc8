/* libvirt, loaded on first use.  `virt-sriov` is not linked against
 * libvirt.so: loading it and the ~60 libraries it pulls in (gnutls, glib,
 * ...) cost more than the whole of `vf set`, and most commands (vf, numvfs,
 * bind, xml, check, apply --no-libvirt) never talk to libvirt.
 *
 * Each vir* function the tree calls is defined here with libvirt's own
 * prototype (<libvirt/libvirt.h> declares them, so the compiler checks ours
 * against them) and forwards to the real one, all resolved at once with
 * dlopen + dlsym the first time any of them is called.  Where libvirt.so.0
 * cannot be loaded they fail as libvirt's do when it reports an error (NULL
 * or -1), and virGetLastErrorMessage() says which library and why.
 *
 * In an archive of its own (mk/libvirt.mk): the hook, which must never call
 * libvirt, does not link it, so a libvirt call in its path fails its link.
 * Sanitizer builds link libtirpc from the start (SANITIZER_LIBS in
 * configure.ac): ASan's XDR interceptors must find it before libvirt comes. */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define VS_LIBVIRT_SO "libvirt.so.0"

/* X(type, name, (parameters), (arguments), value on failure): every
 * libvirt function the tree calls, except the two defined by hand below
 * (virSetErrorFunc returns nothing, virGetLastErrorMessage has its own
 * answer when libvirt is missing).  A new one goes here. */
#define VS_LIBVIRT_FUNCS(X) \
	X(virConnectPtr, virConnectOpen, (const char *name), (name), NULL) \
	X(virConnectPtr, virConnectOpenReadOnly, (const char *name), (name), NULL) \
	X(int, virConnectClose, (virConnectPtr conn), (conn), -1) \
	X(int, virConnectListAllDomains, (virConnectPtr conn, virDomainPtr **domains, unsigned int flags), \
	  (conn, domains, flags), -1) \
	X(int, virConnectListAllNodeDevices, (virConnectPtr conn, virNodeDevicePtr **devices, unsigned int flags), \
	  (conn, devices, flags), -1) \
	X(int, virConnectListAllNetworks, (virConnectPtr conn, virNetworkPtr **nets, unsigned int flags), \
	  (conn, nets, flags), -1) \
	X(char *, virConnectGetCapabilities, (virConnectPtr conn), (conn), NULL) \
	X(char *, virConnectGetHostname, (virConnectPtr conn), (conn), NULL) \
	X(int, virDomainAttachDeviceFlags, (virDomainPtr domain, const char *xml, unsigned int flags), \
	  (domain, xml, flags), -1) \
	X(int, virDomainDetachDeviceFlags, (virDomainPtr domain, const char *xml, unsigned int flags), \
	  (domain, xml, flags), -1) \
	X(int, virDomainFree, (virDomainPtr domain), (domain), -1) \
	X(char *, virDomainGetMetadata, (virDomainPtr domain, int type, const char *uri, unsigned int flags), \
	  (domain, type, uri, flags), NULL) \
	X(int, virDomainSetMetadata, (virDomainPtr domain, int type, const char *metadata, const char *key, \
	  const char *uri, unsigned int flags), (domain, type, metadata, key, uri, flags), -1) \
	X(const char *, virDomainGetName, (virDomainPtr domain), (domain), NULL) \
	X(int, virDomainGetUUIDString, (virDomainPtr domain, char *buf), (domain, buf), -1) \
	X(char *, virDomainGetXMLDesc, (virDomainPtr domain, unsigned int flags), (domain, flags), NULL) \
	X(int, virDomainIsActive, (virDomainPtr dom), (dom), -1) \
	X(int, virDomainIsPersistent, (virDomainPtr dom), (dom), -1) \
	X(virDomainPtr, virDomainLookupByName, (virConnectPtr conn, const char *name), (conn, name), NULL) \
	X(virDomainPtr, virDomainLookupByUUIDString, (virConnectPtr conn, const char *uuid), (conn, uuid), NULL) \
	X(virErrorPtr, virGetLastError, (void), (), NULL) \
	X(int, virNetworkCreate, (virNetworkPtr network), (network), -1) \
	X(virNetworkPtr, virNetworkDefineXML, (virConnectPtr conn, const char *xmlDesc), (conn, xmlDesc), NULL) \
	X(int, virNetworkDestroy, (virNetworkPtr network), (network), -1) \
	X(int, virNetworkFree, (virNetworkPtr network), (network), -1) \
	X(int, virNetworkGetAutostart, (virNetworkPtr network, int *autostart), (network, autostart), -1) \
	X(const char *, virNetworkGetName, (virNetworkPtr network), (network), NULL) \
	X(int, virNetworkGetUUIDString, (virNetworkPtr network, char *buf), (network, buf), -1) \
	X(char *, virNetworkGetXMLDesc, (virNetworkPtr network, unsigned int flags), (network, flags), NULL) \
	X(int, virNetworkIsActive, (virNetworkPtr net), (net), -1) \
	X(int, virNetworkIsPersistent, (virNetworkPtr net), (net), -1) \
	X(int, virNetworkListAllPorts, (virNetworkPtr network, virNetworkPortPtr **ports, unsigned int flags), \
	  (network, ports, flags), -1) \
	X(virNetworkPtr, virNetworkLookupByName, (virConnectPtr conn, const char *name), (conn, name), NULL) \
	X(int, virNetworkPortDelete, (virNetworkPortPtr port, unsigned int flags), (port, flags), -1) \
	X(int, virNetworkPortFree, (virNetworkPortPtr port), (port), -1) \
	X(char *, virNetworkPortGetXMLDesc, (virNetworkPortPtr port, unsigned int flags), (port, flags), NULL) \
	X(int, virNetworkSetAutostart, (virNetworkPtr network, int autostart), (network, autostart), -1) \
	X(int, virNetworkUndefine, (virNetworkPtr network), (network), -1) \
	X(int, virNodeDeviceFree, (virNodeDevicePtr dev), (dev), -1) \
	X(const char *, virNodeDeviceGetName, (virNodeDevicePtr dev), (dev), NULL) \
	X(char *, virNodeDeviceGetXMLDesc, (virNodeDevicePtr dev, unsigned int flags), (dev, flags), NULL)

static struct {
	bool ok;                      /* every symbol resolved */
	char error[512];              /* else why not */
#define VS_SLOT(type, name, params, args, fail) type (*name) params;
	VS_LIBVIRT_FUNCS(VS_SLOT)
#undef VS_SLOT
	void (*virSetErrorFunc)(void *userData, virErrorFunc handler);
	const char *(*virGetLastErrorMessage)(void);
} vs_virt;

static pthread_once_t vs_virt_once = PTHREAD_ONCE_INIT;

/* dlsym into a function pointer: POSIX guarantees the conversion; memcpy
 * keeps the compiler from calling it a type-punned object pointer. */
static bool resolve(void *h, const char *name, void *slot, size_t size)
{
	void *p = dlsym(h, name);

	if (p)
		memcpy(slot, &p, size);
	return p != NULL;
}

static void vs_virt_load(void)
{
	void *h = dlopen(VS_LIBVIRT_SO, RTLD_NOW | RTLD_LOCAL);
	bool ok = h != NULL;

#define VS_RESOLVE(type, name, params, args, fail) \
	ok = ok && resolve(h, #name, &vs_virt.name, sizeof(vs_virt.name));
	VS_LIBVIRT_FUNCS(VS_RESOLVE)
	VS_RESOLVE(, virSetErrorFunc, , , )
	VS_RESOLVE(, virGetLastErrorMessage, , , )
#undef VS_RESOLVE
	if (!ok) {
		/* dlerror() names the file and what is wrong: missing, not an
		 * ELF file, or a symbol this libvirt lacks (older than 6.5) */
		const char *why = dlerror();

		snprintf(vs_virt.error, sizeof(vs_virt.error), "cannot load %s: %s", VS_LIBVIRT_SO,
			 why ? why : "unknown error");
	}
	/* never dlclose: libvirt keeps threads and thread-local error state */
	vs_virt.ok = ok;
}

static bool vs_virt_ready(void)
{
	pthread_once(&vs_virt_once, vs_virt_load);
	return vs_virt.ok;
}

#define VS_FORWARD(type, name, params, args, fail) \
	type name params \
	{ \
		return vs_virt_ready() ? vs_virt.name args : fail; \
	}
VS_LIBVIRT_FUNCS(VS_FORWARD)
#undef VS_FORWARD

void virSetErrorFunc(void *userData, virErrorFunc handler)
{
	if (vs_virt_ready())
		vs_virt.virSetErrorFunc(userData, handler);
}

const char *virGetLastErrorMessage(void)
{
	return vs_virt_ready() ? vs_virt.virGetLastErrorMessage() : vs_virt.error;
}
