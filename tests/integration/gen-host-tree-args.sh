#!/bin/sh
# gen-host-tree refuses bad --pf specs and profiles with exit 2 and a message
# naming the key or value, refuses colliding trees with exit 1, and writes
# nothing in either case.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"

need_built "$GEN"
tmpdir gen-host-tree-args tmpfs
n=0

# refused RC WORD ARGS...: exit code RC, stderr mentions WORD, OUTDIR not created
refused() {
	want=$1 word=$2; shift 2
	n=$((n + 1))
	expect_cmd "$want" "$word" "$GEN" "$@" "$W/t$n"
	[ ! -e "$W/t$n" ] || fail "$*: wrote $W/t$n"
}

A=addr=0000:05:00.0
refused 2 "unknown key 'colour'" --pf $A,colour=red
refused 2 "'05:00.0' for addr" --pf addr=05:00.0
refused 2 "'0000:05:20.0' for addr" --pf addr=0000:05:20.0
refused 2 "'0000:100:00.0' for addr" --pf addr=0000:100:00.0
refused 2 "'8086' for id" --pf $A,id=8086
refused 2 "'zzzz:1521' for id" --pf $A,id=zzzz:1521
refused 2 "'-1' for total" --pf $A,total=-1
refused 2 "'abc' for total" --pf $A,total=abc
refused 2 "'70000' for num" --pf $A,num=70000
refused 2 "num=8 is above total=7" --pf $A,num=8
refused 2 "vfio=3 is above num=2" --pf $A,num=2,vfio=3
refused 2 "'0' for stride" --pf $A,stride=0
refused 2 "'' for vfdriver" --pf $A,vfdriver=
refused 2 "'a/b' for driver" --pf $A,driver=a/b
refused 2 "for netdev" --pf $A,netdev=averyveryverylongname
refused 2 "'em 1' for netdev" --pf "$A,netdev=em 1"
refused 2 "'02' for class" --pf $A,class=02
refused 2 "'foo' for broken" --pf $A,broken=foo
refused 2 "'64' for numa" --pf $A,numa=64
refused 2 "'2' for acs" --pf $A,acs=2
refused 2 "addr=DDDD:BB:SS.F is required" --pf id=8086:1521
refused 2 "'addr' is not key=value" --pf addr
refused 2 "longer than 15" --pf $A,total=11,num=11,vfnetdev=abcdefghijklm
refused 2 "unknown profile 'r731'" --profile r731
refused 2 "big:0x5" --profile big:0x5
refused 2 "big:99x256" --profile big:99x256
refused 2 "give --profile or --pf"
refused 2 "netdev=NAME is required" --netdevsim 1,numvfs=4
refused 2 "numvfs=9 is above max=8" --netdevsim 1,numvfs=9,max=8,netdev=eth9
refused 2 "bad 'numvfs=x'" --netdevsim 1,numvfs=x,netdev=eth9
refused 2 "expected ID,numvfs=N,netdev=NAME" --netdevsim eth9
# consistent specs that collide
refused 1 "netdev em1 is given twice" --profile r730 --netdevsim 1,netdev=em1
refused 1 "given twice" --netdevsim 1,netdev=eth9 --netdevsim 1,netdev=eth8
refused 1 "two devices at 0000:01:00.0" --profile r730 --pf addr=0000:01:00.0
refused 1 "two devices at 0000:05:10.0" --pf $A,num=1 --pf addr=0000:05:10.0,total=0
refused 1 "netdev em1 is given twice" --profile r730 --pf addr=0000:07:00.0,netdev=em1
refused 1 "inside the range of root port" --pf addr=0000:05:00.0,total=200,num=200,offset=1,stride=2 --pf addr=0000:06:00.0

# OUTDIR that already has a tree
host_tree "$W/tree" --profile no-sriov
expect_cmd 1 'already has a sys/ tree' "$GEN" --profile no-sriov "$W/tree"

"$GEN" --help | grep -q 'big:PxV' || fail "--help"

finish "$n bad invocations refused"
