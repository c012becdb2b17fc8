#!/bin/sh
# The systemd unit as `make` builds it (systemd/virt-sriov.service), checked
# by systemd's own `systemd-analyze verify` with ExecStart pointed at the
# built binary, and its ordering read back: oneshot, after udev settle,
# before libvirt's daemons, running `apply --no-libvirt`.  A broken copy
# must fail the same check, or the check proves nothing.
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"
UNIT=$top_builddir/systemd/virt-sriov.service
[ -f "$UNIT" ] || { echo "FAIL: $UNIT not built"; exit 1; }
need systemd-analyze "apt-get install systemd"
tmpdir apply-systemd

sed "s|^ExecStart=[^ ]*/virt-sriov |ExecStart=$VIRT_SRIOV |" "$UNIT" >"$W/virt-sriov.service"
grep -q "^ExecStart=$VIRT_SRIOV apply --no-libvirt\$" "$W/virt-sriov.service" || fail "ExecStart: $(grep ExecStart "$UNIT")"
rc=0
systemd-analyze verify --man=no "$W/virt-sriov.service" >"$W/out" 2>&1 || rc=$?
if [ $rc -ne 0 ] && grep -qi "failed to .*\(bus\|manager\|initialize\)" "$W/out"; then
	cat "$W/out"; skip "systemd-analyze cannot run here"
fi
[ $rc -eq 0 ] || fail "verify: exit $rc"
# a warning is a failure too: systemd ignores the line it warns about
[ ! -s "$W/out" ] || { cat "$W/out"; fail "verify printed warnings"; }

# the check is real: a unit whose program is missing fails it
sed "s|^ExecStart=.*|ExecStart=$W/no-such-virt-sriov apply --no-libvirt|" "$W/virt-sriov.service" >"$W/bad.service"
if systemd-analyze verify --man=no "$W/bad.service" >"$W/bad.out" 2>&1; then fail "a missing ExecStart passed verify"; fi
grep -q "no-such-virt-sriov" "$W/bad.out" || fail "verify output: $(cat "$W/bad.out")"

# what the unit must say (systemd-analyze accepts any order)
key() { sed -n "s/^$1=//p" "$W/virt-sriov.service" | tr '\n' ' '; }
case " $(key Type) " in *" oneshot "*) ;; *) fail "Type: $(key Type)" ;; esac
case " $(key RemainAfterExit) " in *" yes "*) ;; *) fail "RemainAfterExit: $(key RemainAfterExit)" ;; esac
for u in systemd-udev-settle.service; do
	case " $(key After) " in *" $u "*) ;; *) fail "not After=$u" ;; esac
	case " $(key Wants) " in *" $u "*) ;; *) fail "not Wants=$u" ;; esac
done
for u in libvirtd.service virtqemud.service virtnetworkd.service; do
	case " $(key Before) " in *" $u "*) ;; *) fail "not Before=$u" ;; esac
done
case " $(key WantedBy) " in *" multi-user.target "*) ;; *) fail "WantedBy: $(key WantedBy)" ;; esac
# the boot step must not wait for libvirt: it runs before it
grep -q -- '--no-libvirt' "$W/virt-sriov.service" || fail "ExecStart without --no-libvirt"

finish "systemd unit verified"
