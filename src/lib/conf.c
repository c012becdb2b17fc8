/* /etc/virt-sriov/virt-sriov.conf: sections, keys and their values, read
 * into struct vs_conf.  The hook reads the [defaults], [pf] and [pool]
 * settings and gates (policy.c merges them with the guest's policy);
 * virt-sriov apply reads the rest (hostsetup.c). */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "conf.h"
#include "indexset.h"
#include "pciaddr.h"
#include "xml.h"


static const char *const yes_no_words[][2] = {
	{ "yes", "no" }, { "on", "off" }, { "true", "false" },
};

/* yes|no (also on|off, true|false), any case: the gates and switches of
 * virt-sriov.conf, in the grammar of the VF settings. */
static int parse_yes_no(const char *text, int *out)
{
	for (size_t i = 0; i < ELEMENTSOF(yes_no_words); i++) {
		for (int v = 0; v < 2; v++) {
			if (strcasecmp(yes_no_words[i][v], text) == 0) {
				*out = !v;
				return 0;
			}
		}
	}
	return -EINVAL;
}

#define KIND(k) (1u << (k))
#define HOOK_KINDS (KIND(VS_CONF_DEFAULTS) | KIND(VS_CONF_PF) | KIND(VS_CONF_POOL))
#define SETTING_KINDS (HOOK_KINDS | KIND(VS_CONF_VFS))
#define NO_LINE ((size_t)-1)

struct conf_key;
typedef int (*conf_set_fn)(struct vs_conf_section *s, const struct conf_key *k, const char *value,
			   struct vs_error *err);

struct conf_key {
	const char *name;
	unsigned kinds;               /* sections where the key is allowed */
	conf_set_fn set;
	size_t off;                   /* the field it sets (setters that need one) */
	size_t line_off;              /* where its line is kept; NO_LINE none */
};

#define SECTION(f) offsetof(struct vs_conf_section, f)

static int set_setting(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	struct vs_vf_config one;
	int r;

	vs_vf_config_init(&one, 0);
	r = vs_vf_config_parse(&one, k->name, value, err);
	/* values between keys are checked where the section is used */
	if (r == 0 && one.has_mac)
		r = vs_vf_config_check(&one, err);
	if (r < 0)
		return -EINVAL;
	/* a MAC names one interface: the same one on several VFs is a mistake */
	if (!strcmp(k->name, "mac") && s->n_vf_set != 1)
		return vs_error_set(err, -EINVAL, "mac '%s': a MAC is for one VF, [vfs %s] names %zu VFs", value, s->name,
				    s->n_vf_set);
	vs_vf_config_merge(&s->defaults, &one);
	return 0;
}

static int set_yes_no(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	if (parse_yes_no(value, (int *)((char *)s + k->off)) < 0)
		return vs_error_set(err, -EINVAL, "%s '%s' is not valid (expected yes or no)", k->name, value);
	return 0;
}

static int set_numvfs(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	long v;

	if (vs_parse_long(value, 10, &v) < 0 || v < 0 || v > 65535)
		return vs_error_set(err, -EINVAL, "%s '%s' is not a VF count (0-65535)", k->name, value);
	s->numvfs = (int)v;
	return 0;
}

/* The words of devlink.h's modes, spelled here: the hook links conf.c and
 * not devlink.c. */
static int set_eswitch(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	if (!strcmp(value, "legacy"))
		s->eswitch = 0;
	else if (!strcmp(value, "switchdev"))
		s->eswitch = 1;
	else
		return vs_error_set(err, -EINVAL, "%s '%s' is not an eswitch mode (legacy or switchdev)", k->name, value);
	return 0;
}

static bool driver_name_valid(const char *d)
{
	size_t n = strlen(d);

	return n > 0 && n < VS_DRIVER_MAX && strcspn(d, "/ \t") == n && strcmp(d, ".") && strcmp(d, "..");
}

static int set_driver(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	if (!driver_name_valid(value))
		return vs_error_set(err, -EINVAL, "%s '%s' is not a driver name (vfio-pci, host or a module's name)",
				    k->name, value);
	s->driver = strdup(value);
	return s->driver ? 0 : -ENOMEM;
}

static bool ifname_valid(const char *s);

/* A pool is made from one PF: its netdev or its address, not a kind. */
static int set_pool_pf(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	char buf[VS_PCI_ADDR_MAX];

	if (vs_pci_addr_normalize(value, buf) == 0)
		value = buf;
	else if (!ifname_valid(value))
		return vs_error_set(err, -EINVAL, "%s '%s': expected the PF's netdev name or PCI address", k->name, value);
	s->pf = strdup(value);
	return s->pf ? 0 : -ENOMEM;
}

static int set_pool_vfs(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	struct vs_error sub = { 0 };

	if (vs_parse_index_set(value, &s->vf_set, &s->n_vf_set, &sub) < 0)
		return vs_error_set(err, -EINVAL, "%s %s", k->name, sub.msg);
	return 0;
}

static int set_gate(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	return set_yes_no(s, k, value, err);
}

/* Host-side, not a VF setting: representor.c's table of bridge keys. */
static int set_rep_bridge(struct vs_conf_section *s, const struct conf_key *k, const char *value, struct vs_error *err)
{
	return vs_rep_bridge_parse(&s->rep_bridge, k->name, value, true, err) < 0 ? -EINVAL : 0;
}

/* The hook's keys (settings, gates) and virt-sriov apply's (the rest).
 * A MAC is per VF: only [vfs] naming one VF takes it. */
static const struct conf_key conf_keys[] = {
	{ "allow-spoofchk-off", HOOK_KINDS, set_gate, SECTION(allow_spoofchk_off), NO_LINE },
	{ "allow-trust-on",     HOOK_KINDS, set_gate, SECTION(allow_trust_on), NO_LINE },
	{ "numvfs",             KIND(VS_CONF_PF), set_numvfs, 0, SECTION(numvfs_line) },
	{ "drivers-autoprobe",  KIND(VS_CONF_PF), set_yes_no, SECTION(autoprobe), SECTION(autoprobe_line) },
	{ "eswitch",            KIND(VS_CONF_PF), set_eswitch, 0, SECTION(eswitch_line) },
	{ "driver",             KIND(VS_CONF_VFS), set_driver, 0, SECTION(driver_line) },
	{ "pf",                 KIND(VS_CONF_POOL), set_pool_pf, 0, SECTION(pf_line) },
	{ "vfs",                KIND(VS_CONF_POOL), set_pool_vfs, 0, SECTION(vfs_line) },
	{ "autostart",          KIND(VS_CONF_POOL), set_yes_no, SECTION(autostart), NO_LINE },
	{ "start",              KIND(VS_CONF_POOL), set_yes_no, SECTION(start), NO_LINE },
	{ "representor-bridge", KIND(VS_CONF_PF), set_rep_bridge, 0, NO_LINE },
	{ "representor-ovs-bridge", KIND(VS_CONF_PF), set_rep_bridge, 0, NO_LINE },
};

static const char *const kind_names[] = {
	[VS_CONF_DEFAULTS] = "defaults", [VS_CONF_PF] = "pf", [VS_CONF_POOL] = "pool", [VS_CONF_VFS] = "vfs",
};

static void section_clear(struct vs_conf_section *s);

void vs_conf_free(struct vs_conf *c)
{
	for (size_t i = 0; i < c->n; i++)
		section_clear(&c->sections[i]);
	free(c->sections);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

const char *vs_conf_path(void)
{
	const char *p = getenv("VIRT_SRIOV_CONF");

	return p && *p ? p : VS_CONF_DEFAULT_PATH;
}

void vs_conf_section_label(const struct vs_conf_section *s, char *buf, size_t len)
{
	snprintf(buf, len, "[%s%s%s]", kind_names[s->kind], s->name ? " " : "", s->name ? s->name : "");
}

int vs_conf_pf_match(const char *name, const struct vs_pf *pf)
{
	char vd[16];

	snprintf(vd, sizeof(vd), "%04x:%04x", pf->vendor_id, pf->device_id);
	if (strcasecmp(name, vd) == 0)
		return 1;
	if (strcmp(name, pf->address) == 0)
		return 2;
	for (char **n = pf->netdevs; n && *n; n++)
		if (strcmp(name, *n) == 0)
			return 2;
	return 0;
}

struct conf_parser {
	struct vs_conf *conf;
	const char *path;
	int line;
	struct vs_conf_section *cur;
	unsigned long long seen;      /* keys given in the current section */
	struct vs_error *err;
};

static char *strip(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static bool ifname_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

static bool is_vendor_device(const char *s)
{
	unsigned v, d;
	char tail;

	return strlen(s) == 9 && sscanf(s, "%4x:%4x%c", &v, &d, &tail) == 2 && s[4] == ':';
}

/* PF names are kept canonical: a PCI address normalized, vendor:device in
 * lower case (so that two spellings of one kind are caught as a section
 * given twice), a netdev as given.  `label` is the section kind for the
 * message. */
static int pf_name(struct conf_parser *p, const char *label, const char *name, char **out)
{
	char buf[VS_PCI_ADDR_MAX];
	struct vs_pci_addr a;

	if (vs_pci_addr_normalize(name, buf) == 0)
		name = buf;
	else if (vs_pci_addr_parse_short(name, &a) == 0)
		/* the hook matches sections without asking sysfs for a domain */
		return vs_error_set(p->err, -EINVAL, "%s:%d: [%s %s]: write the full PCI address (0000:%s in domain 0000)",
				    p->path, p->line, label, name, name);
	else if (!is_vendor_device(name) && !ifname_valid(name))
		return vs_error_set(p->err, -EINVAL,
				    "%s:%d: [%s %s]: expected a netdev name, a PCI address or vendor:device",
				    p->path, p->line, label, name);
	*out = strdup(name);
	if (*out && is_vendor_device(*out))
		for (char *c = *out; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	return *out ? 0 : -ENOMEM;
}

/* A VF set longer than this is a mistake, and expanding it costs memory. */
#define VFS_SET_MAX 256

/* [vfs PF#SET]: the VFs of a PF, in the command line's notation. */
static int vfs_name(struct conf_parser *p, struct vs_conf_section *s, const char *name)
{
	const char *hash = strrchr(name, '#');
	_cleanup_free_ char *pf = NULL;
	struct vs_error sub = { 0 };
	int r;

	if (!hash || hash == name || strlen(hash + 1) > VFS_SET_MAX)
		return vs_error_set(p->err, -EINVAL, "%s:%d: [vfs %s]: expected PF#SET (em1#0-5, 0000:01:00.0#6, "
				    "8086:1521#0,2)", p->path, p->line, name);
	pf = strndup(name, (size_t)(hash - name));
	if (!pf)
		return -ENOMEM;
	r = pf_name(p, "vfs", pf, &s->pf);
	if (r < 0)
		return r;
	if (vs_parse_index_set(hash + 1, &s->vf_set, &s->n_vf_set, &sub) < 0)
		return vs_error_set(p->err, -EINVAL, "%s:%d: [vfs %s]: %s", p->path, p->line, name, sub.msg);
	if (asprintf(&s->name, "%s%s", s->pf, hash) < 0) {
		s->name = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int section_name(struct conf_parser *p, struct vs_conf_section *s, const char *name)
{
	if (s->kind == VS_CONF_VFS)
		return vfs_name(p, s, name);
	if (s->kind == VS_CONF_POOL && !vs_libvirt_name_valid(name))
		return vs_error_set(p->err, -EINVAL, "%s:%d: [pool %s]: not a valid network name", p->path, p->line, name);
	if (s->kind == VS_CONF_PF)
		return pf_name(p, "pf", name, &s->name);
	s->name = strdup(name);
	return s->name ? 0 : -ENOMEM;
}

static struct vs_conf_section *section_find(const struct vs_conf *c, enum vs_conf_kind kind, const char *name)
{
	for (size_t i = 0; i < c->n; i++) {
		struct vs_conf_section *s = &c->sections[i];

		if (s->kind == kind && (kind == VS_CONF_DEFAULTS || strcmp(s->name, name) == 0))
			return s;
	}
	return NULL;
}

static int section_kind(const char *word, enum vs_conf_kind *kind)
{
	for (size_t i = 0; i < ELEMENTSOF(kind_names); i++) {
		if (strcmp(kind_names[i], word) == 0) {
			*kind = (enum vs_conf_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

static void section_init(struct vs_conf_section *s, enum vs_conf_kind kind, int line)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->line = line;
	vs_vf_config_init(&s->defaults, -1);
	s->allow_spoofchk_off = s->allow_trust_on = -1;
	s->numvfs = s->autoprobe = s->autostart = s->start = s->eswitch = -1;
}

static void section_clear(struct vs_conf_section *s)
{
	free(s->name);
	free(s->pf);
	free(s->vf_set);
	free(s->driver);
}

/* Split "[word arg]" in place; -EINVAL when the line is not a header. */
static int split_header(struct conf_parser *p, char *line, char **word, char **arg)
{
	char *end = strchr(line, ']');

	if (!end || *strip(end + 1) != '\0')
		return vs_error_set(p->err, -EINVAL, "%s:%d: section header must end with ']'", p->path, p->line);
	*end = '\0';
	*word = strip(line + 1);
	*arg = *word + strcspn(*word, " \t");
	if (**arg)
		*(*arg)++ = '\0';
	*arg = strip(*arg);
	return 0;
}

static int parse_section(struct conf_parser *p, char *line)
{
	struct vs_conf_section tmp, *dup;
	enum vs_conf_kind kind;
	char *word = NULL, *arg = NULL;
	int rc = split_header(p, line, &word, &arg);

	if (rc < 0)
		return rc;
	if (section_kind(word, &kind) < 0)
		return vs_error_set(p->err, -EINVAL, "%s:%d: unknown section [%s] (expected [defaults], [pf NAME], "
				    "[vfs PF#SET] or [pool NAME])", p->path, p->line, word);
	if ((kind == VS_CONF_DEFAULTS) != (*arg == '\0'))
		return vs_error_set(p->err, -EINVAL, "%s:%d: [%s] %s", p->path, p->line, word,
				    kind == VS_CONF_DEFAULTS ? "takes no name" : "needs a name");
	section_init(&tmp, kind, p->line);
	if (kind != VS_CONF_DEFAULTS && (rc = section_name(p, &tmp, arg)) < 0)
		goto cleanup;
	dup = section_find(p->conf, kind, tmp.name);
	if (dup) {
		rc = vs_error_set(p->err, -EINVAL, "%s:%d: section [%s%s%s] given twice (first at line %d)", p->path,
				  p->line, word, tmp.name ? " " : "", tmp.name ? tmp.name : "", dup->line);
		goto cleanup;
	}
	rc = vs_grow((void **)&p->conf->sections, &p->conf->alloc, p->conf->n + 1, sizeof(tmp));
	if (rc < 0)
		goto cleanup;
	p->cur = &p->conf->sections[p->conf->n++];
	*p->cur = tmp;
	p->seen = 0;
	return 0;
cleanup:
	section_clear(&tmp);
	return rc;
}

/* "[vfs]" or "[pf], [vfs]": where a key may be given. */
static void kinds_text(unsigned kinds, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ELEMENTSOF(kind_names) && used < len; i++)
		if (kinds & KIND(i))
			used += (size_t)snprintf(buf + used, len - used, "%s[%s]", used ? ", " : "", kind_names[i]);
}

/* A key of conf_keys, or a VF setting of vfconfig.h (in every section that
 * gives VFs settings; a MAC only in [vfs], where it names one VF).  *index
 * numbers both for the "given twice" check. */
static const struct conf_key *key_find(const char *name, struct conf_key *buf, size_t *index)
{
	const struct vs_vf_field *f = vs_vf_field_find(name);

	for (size_t i = 0; i < ELEMENTSOF(conf_keys); i++) {
		if (strcmp(conf_keys[i].name, name) == 0) {
			*index = i;
			return &conf_keys[i];
		}
	}
	if (!f)
		return NULL;
	*buf = (struct conf_key){ f->name, strcmp(f->name, "mac") ? SETTING_KINDS : KIND(VS_CONF_VFS), set_setting, 0,
				  SECTION(settings_line) };
	*index = ELEMENTSOF(conf_keys) + (size_t)(f - vs_vf_fields);
	/* the index is a bit of a 64-bit mask and a slot of key_lines: a
	 * setting beyond them must fail every test, not write past the end */
	return *index < VS_CONF_KEYS_MAX ? buf : NULL;
}

int vs_conf_key_line(const struct vs_conf_section *s, const char *key)
{
	struct conf_key buf;
	size_t i;

	return key_find(key, &buf, &i) ? s->key_lines[i] : 0;
}

static int parse_assignment(struct conf_parser *p, char *line)
{
	char *eq = strchr(line, '='), *key, *value, where[64];
	struct vs_error sub = { 0 };
	const struct conf_key *k;
	struct conf_key setting;
	size_t i;
	int rc;

	if (!eq)
		return vs_error_set(p->err, -EINVAL, "%s:%d: expected 'key = value' or '[section]'", p->path, p->line);
	*eq = '\0';
	key = strip(line);
	value = strip(eq + 1);
	k = key_find(key, &setting, &i);
	if (!k)
		return vs_error_set(p->err, -EINVAL, "%s:%d: unknown key '%s'", p->path, p->line, key);
	if (!p->cur)
		return vs_error_set(p->err, -EINVAL, "%s:%d: '%s' outside a section (start with [defaults], [pf NAME], "
				    "[vfs PF#SET] or [pool NAME])", p->path, p->line, key);
	if (!(k->kinds & KIND(p->cur->kind))) {
		kinds_text(k->kinds, where, sizeof(where));
		return vs_error_set(p->err, -EINVAL, "%s:%d: unknown key '%s' in [%s] (it belongs in %s)", p->path,
				    p->line, key, kind_names[p->cur->kind], where);
	}
	if (p->seen & (1ull << i))
		return vs_error_set(p->err, -EINVAL, "%s:%d: '%s' given twice in this section", p->path, p->line, key);
	p->seen |= 1ull << i;
	rc = k->set(p->cur, k, value, &sub);
	if (rc < 0)
		return vs_error_set(p->err, rc, "%s:%d: %s", p->path, p->line, sub.code ? sub.msg : strerror(-rc));
	p->cur->key_lines[i] = p->line;
	if (k->line_off != NO_LINE && *(int *)((char *)p->cur + k->line_off) == 0)
		*(int *)((char *)p->cur + k->line_off) = p->line;
	return 0;
}

/* '#' and ';' start a comment at the start of a line or after a blank, and
 * never inside a section header, so that "[vfs em1#0-5]" keeps its '#'. */
static void cut_comment(char *line)
{
	char *from = line + strspn(line, " \t"), *close;

	if (*from == '[' && (close = strchr(from, ']')))
		from = close;
	else
		from = line;
	for (char *c = from; *c; c++) {
		if ((*c == '#' || *c == ';') && (c == line || isspace((unsigned char)c[-1]))) {
			*c = '\0';
			return;
		}
	}
}

static int parse_line(struct conf_parser *p, char *line)
{
	cut_comment(line);
	line = strip(line);
	if (*line == '\0')
		return 0;
	if (*line == '[')
		return parse_section(p, line);
	return parse_assignment(p, line);
}

int vs_conf_parse_string(const char *text, const char *path, struct vs_conf *out, struct vs_error *err)
{
	struct conf_parser p = { .conf = out, .path = path, .err = err };
	_cleanup_free_ char *copy = strdup(text);
	char *line, *next;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	if (!copy || !out->path)
		return -ENOMEM;
	for (line = copy; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		p.line++;
		rc = parse_line(&p, line);
	}
	if (rc < 0)
		vs_conf_free(out);
	return rc;
}

#define VS_CONF_MAX (1 << 20)

/* A dangling symlink is a mistake (a package removed, a typo), not "no
 * configuration": reading it as empty would drop the host's caps. */
static int open_missing(const char *path, struct vs_conf *out, struct vs_error *err)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return vs_error_set(err, -ENOENT, "%s: dangling symlink (its target does not exist): fix the link, or "
				    "remove it for an empty configuration", path);
	return vs_conf_parse_string("", path, out, err);
}

/* Whoever can write the file opens the gates (sshd's StrictModes).  Root
 * or the effective uid: the hook runs as root; a user's `plan` of their
 * own file changes nothing on the host. */
static int check_trust(const char *path, const struct stat *st, struct vs_error *err)
{
	if (!S_ISREG(st->st_mode))
		return vs_error_set(err, -EINVAL, "%s: not a regular file (%s): refusing to read it", path,
				    S_ISDIR(st->st_mode) ? "a directory" : S_ISFIFO(st->st_mode) ? "a FIFO" :
				    S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "a device" : "a socket");
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return vs_error_set(err, -EPERM, "%s: owned by uid %u, not root: whoever owns it opens the gates; "
				    "fix: chown root %s", path, (unsigned)st->st_uid, path);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return vs_error_set(err, -EPERM, "%s: mode %04o, owner uid %u: writable by group or others, who could "
				    "open the gates; fix: chmod go-w %s", path, (unsigned)(st->st_mode & 07777),
				    (unsigned)st->st_uid, path);
	if (st->st_size > VS_CONF_MAX)
		return vs_error_set(err, -EFBIG, "%s: larger than %d bytes", path, VS_CONF_MAX);
	return 0;
}

/* Up to VS_CONF_MAX + 1 bytes, so that a file that grew is still caught. */
static int read_all(int fd, const char *path, char *buf, size_t *n, struct vs_error *err)
{
	ssize_t r;

	*n = 0;
	while (*n <= VS_CONF_MAX) {
		r = read(fd, buf + *n, VS_CONF_MAX + 1 - *n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return vs_error_set(err, -errno, "%s: read error: %s", path, strerror(errno));
		if (r == 0)
			break;
		*n += (size_t)r;
	}
	if (*n > VS_CONF_MAX)
		return vs_error_set(err, -EFBIG, "%s: larger than %d bytes", path, VS_CONF_MAX);
	return 0;
}

int vs_conf_load(const char *path, struct vs_conf *out, struct vs_error *err)
{
	/* O_NONBLOCK: a FIFO put at the path must not hold the hook until its
	 * alarm; what it is, fstat says next, before anything is read */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (fd < 0 && errno == ENOENT)
		return open_missing(path, out, err);
	if (fd < 0)
		return vs_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		return vs_error_set(err, -errno, "%s: %s", path, strerror(errno));
	rc = check_trust(path, &st, err);
	if (rc < 0)
		return rc;
	buf = malloc(VS_CONF_MAX + 1);
	if (!buf)
		return -ENOMEM;
	rc = read_all(fd, path, buf, &n, err);
	if (rc < 0)
		return rc;
	if (memchr(buf, '\0', n))
		return vs_error_set(err, -EINVAL, "%s: contains a NUL byte: not a text file", path);
	buf[n] = '\0';
	return vs_conf_parse_string(buf, path, out, err);
}
