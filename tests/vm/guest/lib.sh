# Sourced by the scenarios inside the guest. Each check prints one line,
# "PASS: what" or "FAIL: what: why"; the init counts them.
# The kernel's view comes from sysfs and iproute2's /sbin/ip (full path:
# busybox's shell would otherwise run its own ip applet).

IP=/sbin/ip
: "${VIRT_SRIOV:=/usr/bin/virt-sriov}"

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }

# check WHAT CMD...: passes when CMD exits 0; on failure shows its output.
check() {
	what=$1; shift
	if out=$("$@" 2>&1); then
		pass "$what"
	else
		rc=$?
		[ "$1" = vs ] && out="$out $(vs_stderr)"
		fail "$what" "'$*' exited $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	fi
}

# check_fails WHAT CMD...: passes when CMD exits non-zero.
check_fails() {
	what=$1; shift
	if out=$("$@" 2>&1); then
		fail "$what" "'$*' succeeded but should have failed: $out"
	else
		pass "$what"
	fi
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', expected '$3'"
	fi
}

# expect_match WHAT TEXT EXTENDED-REGEX
expect_match() {
	if echo "$2" | grep -Eq -- "$3"; then
		pass "$1"
	else
		fail "$1" "'$(echo "$2" | tr '\n' ' ' | cut -c1-300)' does not match /$3/"
	fi
}

# vs CMD...: run the product; its stderr goes to $VS_ERR, stdout to stdout.
VS_ERR=/tmp/vs.err
vs() { "$VIRT_SRIOV" "$@" 2>"$VS_ERR"; }
vs_stderr() { cat "$VS_ERR"; }

# require_command WORDS...: the product command must exist (asked with
# --help, which changes nothing): a placeholder makes the scenario fail
# loudly rather than pass for want of anything to check.
require_command() {
	if "$VIRT_SRIOV" "$@" --help 2>&1 | grep -q 'not implemented yet'; then
		fail "virt-sriov $* is implemented" "'virt-sriov $* --help' says not implemented yet"
		return 1
	fi
	return 0
}
has_command() { ! "$VIRT_SRIOV" "$@" --help 2>&1 | grep -q 'not implemented yet'; }

# wait_for SECONDS CMD...: poll until CMD succeeds (devices appear
# asynchronously after a sysfs write), every tenth of a second (nap; the
# end-to-end VM's Debian root has no usleep and gives its own nap).
nap() { usleep 100000; }
wait_for() {
	# a name of its own: sh has no locals, and callers loop over $n
	_wait_left=$(($1 * 10)); shift
	while [ "$_wait_left" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		nap
		_wait_left=$((_wait_left - 1))
	done
	return 1
}

# Kernel's view helpers.
pf_dev() { readlink -f "/sys/class/net/$1/device"; }
vf_count() { ls -d "$1"/virtfn* 2>/dev/null | wc -l; }
vf_addr() { basename "$(readlink -f "$1/virtfn$2")"; }
dev_driver() {
	[ -e "$1/driver" ] && basename "$(readlink -f "$1/driver")" || echo none
}
dev_group() {
	[ -e "$1/iommu_group" ] && basename "$(readlink -f "$1/iommu_group")" || echo null
}
dev_netdev() { ls "$1/net" 2>/dev/null | head -n 1; }
# The first igb PF, up: PF (netdev), pf (its sysfs device), PFADDR; the
# scenario stops (one FAIL) when there is none.
igb_pf() {
	PF=
	for n in /sys/class/net/*; do
		[ "$(dev_driver "$n/device")" = igb ] && PF=$(basename "$n") && break
	done
	[ -n "$PF" ] || { fail "igb PF netdev exists"; exit 1; }
	pf=$(pf_dev "$PF")
	PFADDR=$(basename "$pf")
	$IP link set "$PF" up
}

# ip_vf PF N: the line of "ip -d link show PF" about VF N.
# hostdev_domain_xml NAME UUID VF-ADDRESS 'POLICY ATTRIBUTES': a guest with
# one VF as a managed <hostdev> and a virt-sriov policy for it, as the hook
# and libvirtd get it.
hostdev_domain_xml() {
	_a=$3
	_dom=${_a%%:*} _r=${_a#*:}
	_bus=${_r%%:*} _r=${_r#*:}
	_slot=${_r%%.*} _fn=${_r#*.}
	cat <<XML
<domain type='qemu'>
  <name>$1</name>
  <uuid>$2</uuid>
  <metadata>
    <vsp:policy xmlns:vsp='https://virt-sriov.org/xmlns/policy/1'>
      <vsp:vf $4/>
    </vsp:policy>
  </metadata>
  <memory unit='KiB'>131072</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x$_dom' bus='0x$_bus' slot='0x$_slot' function='0x$_fn'/>
      </source>
    </hostdev>
  </devices>
</domain>
XML
}

ip_vf() { $IP -d link show dev "$1" | grep -E "^ *vf $2 " ; }

load() {
	for m in "$@"; do
		modprobe "$m" || fail "modprobe $m"
	done
}

# Benchmarks: now_ms, and bench NAME REPEATS CMD... printing
# "BENCH: NAME: median M ms (min A, max B, N runs)".
# busybox's date has no %N: coreutils' date is in the initramfs for this.
now_ms() { /vs/bin/date +%s%3N; }
# bench_ab NAME REPS A B: the commands A and B (functions without
# arguments) run alternately, A B A B ..., so that the emulator's drift and
# the host's load fall on both alike; prints each median and the ratio of
# the medians A/B.
bench_ab() {
	name=$1 reps=$2 a=$3 b=$4
	: >/tmp/bench.a
	: >/tmp/bench.b
	r=0
	while [ $r -lt "$reps" ]; do
		for side in a b; do
			cmd=$a
			[ $side = b ] && cmd=$b
			t0=$(now_ms)
			$cmd >/dev/null 2>/tmp/bench.err || { fail "bench $name: $cmd" "$(cat /tmp/bench.err)"; return 1; }
			echo $(($(now_ms) - t0)) >>/tmp/bench.$side
		done
		r=$((r + 1))
	done
	for side in a b; do
		sort -n /tmp/bench.$side | awk -v n="$name" -v c="$([ $side = a ] && echo "$a" || echo "$b")" '
			{ x[NR] = $1 } END { printf "BENCH: %s: %s: median %d ms (min %d, max %d, %d runs, interleaved)\n",
				n, c, x[int((NR + 1) / 2)], x[1], x[NR], NR }'
	done
	am=$(sort -n /tmp/bench.a | awk '{ x[NR] = $1 } END { print x[int((NR + 1) / 2)] }')
	bm=$(sort -n /tmp/bench.b | awk '{ x[NR] = $1 } END { print x[int((NR + 1) / 2)] }')
	awk -v n="$name" -v a="$am" -v b="$bm" 'BEGIN { if (b > 0) printf "BENCH: ratio %s: %.2f (%d ms / %d ms, interleaved)\n", n, a / b, a, b }'
}

bench() {
	name=$1 reps=$2; shift 2
	: >/tmp/bench.times
	r=0
	while [ $r -lt "$reps" ]; do
		t0=$(now_ms)
		"$@" >/dev/null 2>/tmp/bench.err || {
			fail "bench $name" "$(cat /tmp/bench.err; [ "$1" = vs ] && vs_stderr)"
			return 1
		}
		echo $(($(now_ms) - t0)) >>/tmp/bench.times
		r=$((r + 1))
	done
	sort -n /tmp/bench.times | awk -v n="$name" '{ a[NR] = $1 }
		END { printf "BENCH: %s: median %d ms (min %d, max %d, %d runs)\n", n, a[int((NR + 1) / 2)], a[1], a[NR], NR }'
}
