#!/bin/sh
# The README's main job: virt-sriov on the bundled sample host, a Dell R730
# (I350 ports em1-em4, em1/em2 with 7 VFs each; an 82599ES pair with 63 VFs
# each at most), with libvirt's test driver instead of a real daemon.
# Usage: demo.sh BUILDDIR
set -u
build=${1:?usage: demo.sh BUILDDIR}
# templates from the source tree, as an installed copy would find them
VIRT_SRIOV_TEMPLATE_DIR=$(cd "$(dirname "$0")/.." && pwd)/xml-templates
export VIRT_SRIOV_TEMPLATE_DIR
tree=$build/demo-host
vs() {
	echo
	echo "\$ virt-sriov $*"
	"$build/virt-sriov" --sysfs-root "$tree" -c test:///default "$@"
}

rm -rf "$tree"
"$build/tests/tools/gen-host-tree" --profile r730 "$tree" || exit 1
echo "Sample host tree: $tree (a generated sysfs; nothing on this machine is changed)"

vs list || exit 1
vs show em1#3 || exit 1
vs check
echo "(exit status $?: FAIL lines mean the sample host is not ready; each says what to do)"
vs xml network em1 || exit 1
vs xml network em2 --name bond-b --vfs 0-3 || exit 1
vs xml hostdev em1#0 --interface --mac 52:54:00:12:34:56 --vlan 42 || exit 1
vs network apply em1 em2 || exit 1
vs -n vf set em1#0-6 --spoofchk off --trust on || exit 1
