#!/bin/sh
# gen-host-tree refuses bad --pf specs and profiles with exit 2 and a message
# naming the key or value, refuses colliding trees with exit 1, and writes
# nothing in either case.
set -eu

GEN=${top_builddir:-.}/tests/tools/gen-host-tree
[ -x "$GEN" ] || { echo "FAIL: $GEN not built"; exit 1; }
W=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$W"' EXIT
fails=0
n=0

# expect RC WORD ARGS...: exit code RC, stderr mentions WORD, OUTDIR not created
expect() {
	rc=$1 word=$2; shift 2
	n=$((n + 1))
	set +e
	"$GEN" "$@" "$W/t$n" 2>"$W/err"
	got=$?
	set -e
	if [ $got -ne "$rc" ]; then
		echo "FAIL: $* exited $got, want $rc"; fails=$((fails + 1))
	elif ! grep -qF -- "$word" "$W/err"; then
		echo "FAIL: $*: message does not name '$word': $(cat "$W/err")"; fails=$((fails + 1))
	elif [ -e "$W/t$n" ]; then
		echo "FAIL: $*: wrote $W/t$n"; fails=$((fails + 1))
	fi
}

A=addr=0000:05:00.0
expect 2 "unknown key 'colour'" --pf $A,colour=red
expect 2 "'05:00.0' for addr" --pf addr=05:00.0
expect 2 "'0000:05:20.0' for addr" --pf addr=0000:05:20.0
expect 2 "'0000:100:00.0' for addr" --pf addr=0000:100:00.0
expect 2 "'8086' for id" --pf $A,id=8086
expect 2 "'zzzz:1521' for id" --pf $A,id=zzzz:1521
expect 2 "'-1' for total" --pf $A,total=-1
expect 2 "'abc' for total" --pf $A,total=abc
expect 2 "'70000' for num" --pf $A,num=70000
expect 2 "num=8 is above total=7" --pf $A,num=8
expect 2 "vfio=3 is above num=2" --pf $A,num=2,vfio=3
expect 2 "'0' for stride" --pf $A,stride=0
expect 2 "'' for vfdriver" --pf $A,vfdriver=
expect 2 "'a/b' for driver" --pf $A,driver=a/b
expect 2 "for netdev" --pf $A,netdev=averyveryverylongname
expect 2 "'em 1' for netdev" --pf "$A,netdev=em 1"
expect 2 "'02' for class" --pf $A,class=02
expect 2 "'foo' for broken" --pf $A,broken=foo
expect 2 "'64' for numa" --pf $A,numa=64
expect 2 "'2' for acs" --pf $A,acs=2
expect 2 "addr=DDDD:BB:SS.F is required" --pf id=8086:1521
expect 2 "'addr' is not key=value" --pf addr
expect 2 "longer than 15" --pf $A,total=11,num=11,vfnetdev=abcdefghijklm
expect 2 "unknown profile 'r731'" --profile r731
expect 2 "big:0x5" --profile big:0x5
expect 2 "big:99x256" --profile big:99x256
expect 2 "give --profile or --pf"
expect 2 "netdev=NAME is required" --netdevsim 1,numvfs=4
expect 2 "numvfs=9 is above max=8" --netdevsim 1,numvfs=9,max=8,netdev=eth9
expect 2 "bad 'numvfs=x'" --netdevsim 1,numvfs=x,netdev=eth9
expect 2 "expected ID,numvfs=N,netdev=NAME" --netdevsim eth9
# consistent specs that collide
expect 1 "netdev em1 is given twice" --profile r730 --netdevsim 1,netdev=em1
expect 1 "given twice" --netdevsim 1,netdev=eth9 --netdevsim 1,netdev=eth8
expect 1 "two devices at 0000:01:00.0" --profile r730 --pf addr=0000:01:00.0
expect 1 "two devices at 0000:05:10.0" --pf $A,num=1 --pf addr=0000:05:10.0,total=0
expect 1 "netdev em1 is given twice" --profile r730 --pf addr=0000:07:00.0,netdev=em1
expect 1 "inside the range of root port" --pf addr=0000:05:00.0,total=200,num=200,offset=1,stride=2 --pf addr=0000:06:00.0

# OUTDIR that already has a tree
"$GEN" --profile no-sriov "$W/tree"
set +e
"$GEN" --profile no-sriov "$W/tree" 2>"$W/err"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q 'already has a sys/ tree' "$W/err" || { echo "FAIL: reused OUTDIR ($rc)"; fails=$((fails + 1)); }

"$GEN" --help | grep -q 'big:PxV' || { echo "FAIL: --help"; fails=$((fails + 1)); }

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "PASS: $n bad invocations refused"
