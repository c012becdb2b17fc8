#!/bin/sh
# Every command's --json against its JSON Schema in docs/json/ (docs/json.md):
# the command table comes from `virt-sriov --json help`, and a command with no
# schema, with no case run below, or whose output is not exactly one object
# with "version" and "warnings" fails the test.  The host: the attach
# fixture (a generated tree with em1's 20 VFs, a private libvirtd, the
# templates); rtnetlink is the real kernel's, which has no em1: `vf set`
# there fails, and its failure document is validated too.  Also: a failure
# (exit status 1) prints {"version", "warnings", "error"} with the line of
# stderr, a usage error (exit status 2) prints nothing on stdout, and the
# NVMe PF's VF settings are absent (not applicable) in list and show.
set -u
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$VIRT_SRIOV" "$GEN"
# python3-jsonschema (scripts/deps.txt): Debian's python3 first
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || skip "python3-jsonschema is not installed (scripts/deps.txt)"
SCHEMAS=$top_srcdir/docs/json
tmpdir json-schema

# validate SCHEMA FILE: FILE holds exactly one JSON object valid against
# docs/json/SCHEMA.schema.json (draft 2020-12, $refs into common.schema.json)
cat >"$W/validate.py" <<'EOF'
import glob, json, os, sys
import jsonschema
from jsonschema import Draft202012Validator

schema_dir, name, path = sys.argv[1:4]
schemas = {}
for f in glob.glob(os.path.join(schema_dir, "*.schema.json")):
    with open(f) as fh:
        s = json.load(fh)
    schemas[s["$id"]] = s
schema = schemas.get(name + ".schema.json")
if schema is None:
    sys.exit("no schema %s.schema.json" % name)
try:
    from referencing import Registry, Resource
    reg = Registry().with_resources((k, Resource.from_contents(v)) for k, v in schemas.items())
    v = Draft202012Validator(schema, registry=reg)
except ImportError:  # jsonschema < 4.18 (Debian 12)
    v = Draft202012Validator(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=schemas))
with open(path) as fh:
    text = fh.read()
try:
    doc = json.loads(text)  # exactly one value: anything after it is an error
except ValueError as e:
    sys.exit("not one JSON document: %s" % e)
if not isinstance(doc, dict):
    sys.exit("not an object: %s" % type(doc).__name__)
errors = list(v.iter_errors(doc))
for e in errors[:3]:
    # anyOf hides the cause: the errors of the command's own shape (the first)
    for c in sorted(e.context, key=lambda c: c.relative_schema_path[0])[:5] if e.context else [e]:
        print("  at /%s: %s" % ("/".join(map(str, c.absolute_path)), c.message[:300]), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
validate() {
	"$PY" "$W/validate.py" "$SCHEMAS" "$1" "$2" 2>"$W/verr" ||
		{ fail "$1 ($3): $(cat "$W/verr") -- output: $(head -c 600 "$2")"; return 1; }
}

# Without a private libvirtd (not root, no libvirtd): libvirt's test driver,
# the cases that need guests left out, and the test skipped (exit 77) after
# validating the others.
if (vs_libvirtd_can_run) 2>/dev/null; then
	LV=1
	start_attach_fixture "$W"
	VS_URI=$VS_LIBVIRT_URI
	define_guest g1
	define_guest g2
	virsh_ dumpxml --inactive g2 >"$W/g2-defined.xml" # with its UUID, as the hook gets it
else
	LV=
	host_tree "$W/tree" --pf addr=0000:03:00.0,netdev=em1,total=32,num=20,vfio=17,vfnetdev=em1
	VIRT_SRIOV_SYSFS_ROOT="$W/tree" VIRT_SRIOV_STATE_DIR="$W/state" VIRT_SRIOV_CONF="$W/host.conf"
	VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
	export VIRT_SRIOV_SYSFS_ROOT VIRT_SRIOV_STATE_DIR VIRT_SRIOV_CONF VIRT_SRIOV_TEMPLATE_DIR
	: >"$W/host.conf"
	VS_URI=test:///default
	vs_libvirtd_domain_xml g2 "" | sed 's|<name>g2</name>|&<uuid>6dd2ed15-ba3e-4b22-858f-bcffc73036be</uuid>|' >"$W/g2-defined.xml"
fi
printf '[pf em1]\nnumvfs = 8\n[vfs em1#18]\ndriver = vfio-pci\nvlan = 7\n' >"$W/apply.conf"

# ---- the command table ----
run --json help
[ "$rc" = 0 ] || fail "help --json: exit $rc: $(cat "$W/err")"
validate help "$W/out" "help"
commands=$("$PY" -c 'import json, sys; print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))["commands"]))' "$W/out")
[ "$(echo "$commands" | wc -w)" -ge 15 ] || fail "help --json lists too few commands: $commands"

# ---- every case: COMMAND|EXIT STATUS|L (needs the private libvirtd)|ARGS
# (after --json; * any status) ----
# in this order: attach before detach, policy set before show
cases="list|0||list
list|0||list em1
show|0||show em1
show|0||show em1#1
show|1||show em9
check|*||check
numvfs|0||-n numvfs em1 4
numvfs|1||numvfs em9 4
eswitch|0||eswitch em1
eswitch|1||eswitch em1 switchdev
bind|0||-n bind em1#17 em1#18 --driver vfio-pci
vf|0||-n vf set em1#1-2 --vlan 5:3 --trust on --max-tx-rate 100 --min-tx-rate 10 --link-state enable
vf|0||-n vf reset em1#3
vf|0||-n vf set em1#2 --rate-group gold
vf|1||vf set em1#17 --spoofchk off
xml|0||xml network em1
xml|0||xml hostdev em1#1 --interface --mac 52:54:00:00:00:21 --vlan 9
xml|0||xml hostdev --failover sriov-em1 --bridge br0
network|0||-n network apply em1
network|*|L|network apply em1
network|0||network list
network|0|L|-n network remove sriov-em1
network|*|L|network remove sriov-em1
attach|0|L|attach g1 --pf em1
attach|0|L|attach g2 --pf em1 --interface --mac 52:54:00:00:00:22 --vlan 42 --max-tx-rate 100
attach|1|L|attach nosuchguest --pf em1
detach|0|L|detach g1 --all
policy|0|L|policy set g2 --vlan 7 --link-state disable
policy|0|L|-n policy set g2 --guest-mac 52:54:00:00:00:22 --max-tx-rate 50
policy|0|L|policy show g2
policy|0|L|policy clear g2
plan|0||plan --domain-xml $W/g2-defined.xml
plan|1||plan --domain-xml $W/nosuchfile.xml
migrate-check|1|L|migrate-check g2 $VS_LIBVIRT_URI
migrate-check|1|L|migrate-check nosuchguest $VS_LIBVIRT_URI
reconcile|0||-n reconcile
reconcile|0||reconcile
apply|*||-n apply --no-libvirt --config $W/apply.conf
apply|*||apply --config $W/apply.conf
capture|0||capture $W/capture
capture|1||capture $W/capture
help|0||help
help|0||help vf"
echo "$cases" >"$W/cases"
ran=
left_out=
n=0
while IFS='|' read -r name want needs args; do
	n=$((n + 1))
	if [ "$needs" = L ] && [ -z "$LV" ]; then
		left_out="$left_out $name"
		continue
	fi
	# shellcheck disable=SC2086 # ARGS are words
	vs --json $args >"$W/c$n.out" 2>"$W/c$n.err" </dev/null
	got=$?
	# LeakSanitizer's own tracer sometimes dies at exit beside libvirt's
	# threads (attach-libvirtd.sh's logs show it too): not the command's
	# doing; its output is complete, the leak check did not run
	if grep -q '^Tracer caught signal' "$W/c$n.err"; then
		echo "note: --json $args: LeakSanitizer's tracer crashed at exit; the exit status is taken from the output"
		got=$("$PY" -c 'import json, sys; print(1 if "error" in json.load(open(sys.argv[1])) else 0)' "$W/c$n.out" 2>/dev/null || echo 99)
		grep -v '^Tracer caught signal\|^==[0-9]*==' "$W/c$n.err" >"$W/c$n.err2"; mv "$W/c$n.err2" "$W/c$n.err"
	fi
	[ "$want" = "*" ] || [ "$got" = "$want" ] ||
		fail "--json $args: exit $got, want $want: $(cat "$W/c$n.err")"
	[ -s "$W/c$n.out" ] || { fail "--json $args: no object on stdout (exit $got): $(cat "$W/c$n.err")"; continue; }
	validate "$name" "$W/c$n.out" "--json $args" || continue
	if [ "$got" = 1 ]; then
		# the one line on stderr is the document's "error"
		line=$(grep '^virt-sriov: ' "$W/c$n.err" | grep -v '^virt-sriov: warning: ' | head -n 1 | sed 's/^virt-sriov: //')
		[ -n "$line" ] && "$PY" -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])).get("error") != sys.argv[2])' \
			"$W/c$n.out" "$line" || fail "--json $args: exit 1 without the stderr line as \"error\": $(cat "$W/c$n.out")"
	fi
	ran="$ran $name"
done <"$W/cases"

for c in $commands; do
	[ -f "$SCHEMAS/$c.schema.json" ] || fail "command $c has no schema docs/json/$c.schema.json"
	case " $ran $left_out " in
	*" $c "*) ;;
	*) fail "command $c: no --json case ran (add one to this test)" ;;
	esac
done
for s in "$SCHEMAS"/*.schema.json; do
	c=$(basename "$s" .schema.json)
	[ "$c" = common ] || case " $commands " in *" $c "*) ;; *) fail "docs/json/$c.schema.json: no such command" ;; esac
done

# ---- a usage error: exit 2, nothing on stdout ----
run --json list --bogus
[ "$rc" = 2 ] && [ ! -s "$W/out" ] || fail "usage error: exit $rc, stdout: $(cat "$W/out")"

# ---- the same shapes: a dry run says what the run does ----
c_dry=$(grep -n '^network|0|L|-n network remove' "$W/cases" | cut -d: -f1)
c_real=$(grep -n '^network|\*|L|network remove' "$W/cases" | cut -d: -f1)
[ -z "$LV" ] || "$PY" -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(not (a["dry_run"] and not b["dry_run"] and a["pools"][0]["changes"] == b["pools"][0]["changes"]
              and set(a["pools"][0]) == set(b["pools"][0])))' "$W/c$c_dry.out" "$W/c$c_real.out" ||
	fail "network remove: the dry run and the run differ: $(cat "$W/c$c_dry.out" "$W/c$c_real.out")"

# ---- apply says whether it changed something: the dry run predicts the
# run, a second run has nothing to do (each document valid) ----
printf '[pf em1]\ndrivers-autoprobe = no\n' >"$W/autoprobe.conf"
for step in "-n:true" ":true" "-n:false" ":false"; do
	run --json apply --no-libvirt --config "$W/autoprobe.conf" ${step%%:*}
	[ "$rc" = 0 ] || fail "apply ${step%%:*} (changed ${step#*:}): exit $rc: $(cat "$W/err")"
	validate apply "$W/out" "apply ${step%%:*} (changed ${step#*:})" &&
		"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(d["changed"] != (sys.argv[2] == "true") or d["steps"]["autoprobe"] != (1 if d["changed"] else 0))' \
		"$W/out" "${step#*:}" || fail "apply ${step%%:*}: want changed ${step#*:}: $(cat "$W/out")"
done

# ---- not applicable: an NVMe PF's VFs have no settings keys ----
host_tree "$W/nvme" --profile nvme
VS_TREE=$W/nvme
run --json show 0000:5e:00.1
validate show "$W/out" "show NVMe VF" &&
	"$PY" -c 'import json, sys
vf = json.load(open(sys.argv[1]))["vf"]
sys.exit(any(k in vf for k in ("mac", "vlan", "spoofchk", "trust", "config_known")))' "$W/out" ||
	fail "show NVMe VF: settings present: $(cat "$W/out")"

if [ -n "$left_out" ] && [ "$fails" = 0 ]; then
	skip "no private libvirtd here: $n cases, those of$(echo "$left_out" | tr ' ' '\n' | sort -u | tr '\n' ' ')left out; the others validate"
fi
finish "every command's --json: one object, valid against docs/json/*.schema.json ($n cases)"
