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
