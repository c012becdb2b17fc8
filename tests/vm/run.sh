#!/bin/sh
# Boot one scenario in a TCG guest and report its result.
# Usage: run.sh -q QEMU -k KERNEL -i INITRD -s SCENARIO [-t TIMEOUT_SEC]
#               [-a EXTRA_APPEND] [-l LOG] [-m MEM_MB] [-c CPUS] -- [QEMU DEVICE OPTIONS...]
# Prints the guest's PASS/FAIL lines (the whole console goes to LOG) and
# exits 0 only when the guest said every check passed.
set -eu

usage() { sed -n '2,6p' "$0" >&2; exit 2; }
qemu='' kernel='' initrd='' scenario='' tmo=300 extra='' log='' mem=1024 cpus=1
while getopts q:k:i:s:t:a:l:m:c: opt; do
	case $opt in
	q) qemu=$OPTARG ;; k) kernel=$OPTARG ;; i) initrd=$OPTARG ;;
	s) scenario=$OPTARG ;; t) tmo=$OPTARG ;; a) extra=$OPTARG ;;
	l) log=$OPTARG ;; m) mem=$OPTARG ;; c) cpus=$OPTARG ;; *) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$qemu" ] || [ -z "$kernel" ] || [ -z "$initrd" ] || [ -z "$scenario" ]; then
	usage
fi
[ -n "$log" ] || log=${TMPDIR:-/tmp}/vs-vm-$scenario.log

# panic=-1 with -no-reboot: a guest panic ends QEMU instead of hanging.
append="console=ttyS0 quiet loglevel=3 panic=-1 vs.scenario=$scenario $extra"
rc=0
# $qemu may be a wrapper with words of its own: split on purpose.
# shellcheck disable=SC2086
timeout --kill-after=10 "$tmo" $qemu -nodefaults -no-reboot -display none \
	-accel tcg -m "$mem" -smp "$cpus" -serial stdio -monitor none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	"$@" </dev/null >"$log" 2>&1 || rc=$?

tr -d '\r' <"$log" | grep -E '^(PASS|FAIL|BENCH|INFO)' || true
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "FAIL: $scenario: guest did not finish within ${tmo}s (log: $log)"
	tail -n 20 "$log" >&2
	exit 1
fi
if ! tr -d '\r' <"$log" | grep -q '^VS-DONE'; then
	echo "FAIL: $scenario: guest stopped before the end, QEMU exit $rc (log: $log)"
	tail -n 20 "$log" >&2
	exit 1
fi
# isa-debug-exit: QEMU exits with (value << 1) | 1; the guest writes its
# failure count, so 1 means all passed.
[ "$rc" -eq 1 ] && exit 0
echo "INFO: $scenario: the guest's console and its dmesg tail are in $log"
exit 1
