# Sourced by integration tests.

# write_guest_holding_vf VF FILE: a libvirt test-driver node file
# (test://FILE) with one running guest, "guest1", holding VF (a PCI address)
# as a plain <hostdev>.
write_guest_holding_vf() {
	_vf=$1
	_dom=${_vf%%:*} _rest=${_vf#*:}
	_bus=${_rest%%:*} _rest=${_rest#*:}
	_slot=${_rest%%.*} _fn=${_rest##*.}
	cat >"$2" <<XML
<node>
  <domain type='test'>
    <name>guest1</name>
    <memory>131072</memory>
    <os><type>hvm</type></os>
    <devices>
      <hostdev mode='subsystem' type='pci' managed='yes'>
        <source><address domain='0x$_dom' bus='0x$_bus' slot='0x$_slot' function='0x$_fn'/></source>
      </hostdev>
    </devices>
  </domain>
</node>
XML
}

# start_attach_fixture DIR: a host tree with em1's 20 VFs (0-16 on
# vfio-pci, 17-19 on igbvf with their netdev up) under DIR/tree, virt-sriov's
# environment pointed at DIR (state, empty host.conf, templates), and a
# private libvirtd (source libvirtd-harness.sh first).  Returns the
# harness's status: 0, or 77 where no daemon can be had.
start_attach_fixture() {
	"$top_builddir/tests/tools/gen-host-tree" \
		--pf addr=0000:03:00.0,netdev=em1,total=32,num=20,vfio=17,vfnetdev=em1 "$1/tree" >/dev/null ||
		{ echo "FAIL: gen-host-tree" >&2; return 1; }
	VIRT_SRIOV_SYSFS_ROOT="$1/tree" VIRT_SRIOV_STATE_DIR="$1/state" VIRT_SRIOV_CONF="$1/host.conf"
	VIRT_SRIOV_TEMPLATE_DIR="$top_srcdir/xml-templates"
	export VIRT_SRIOV_SYSFS_ROOT VIRT_SRIOV_STATE_DIR VIRT_SRIOV_CONF VIRT_SRIOV_TEMPLATE_DIR
	: >"$1/host.conf"
	mkdir -p "$1/daemon"
	vs_libvirtd_start "$1/daemon"
}
