#!/bin/sh
# The systemd units as `make` builds them, checked by systemd's own
# `systemd-analyze verify` with ExecStart pointed at the built binary, and
# their ordering read back.  systemd/virt-sriov.service: oneshot, after
# udev settle, before libvirt's daemons, running `apply --no-libvirt`.
# systemd/virt-sriov-reconcile.service: oneshot without RemainAfterExit
# (so each start of the daemon runs it again), after libvirt's daemons,
# wanted by libvirtd and virtqemud, running `reconcile`.  A broken copy
# must fail the same check, or the check proves nothing.  What this cannot
# prove: that systemd (PID 1) really runs reconcile at each start of the
# daemon -- there is no systemd as PID 1 here nor in the test VMs.
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

# --- virt-sriov-reconcile.service
RUNIT=$top_builddir/systemd/virt-sriov-reconcile.service
[ -f "$RUNIT" ] || { echo "FAIL: $RUNIT not built"; exit 1; }
sed "s|^ExecStart=[^ ]*/virt-sriov |ExecStart=$VIRT_SRIOV |" "$RUNIT" >"$W/virt-sriov-reconcile.service"
grep -q "^ExecStart=$VIRT_SRIOV reconcile\$" "$W/virt-sriov-reconcile.service" || fail "reconcile ExecStart: $(grep ExecStart "$RUNIT")"
systemd-analyze verify --man=no "$W/virt-sriov-reconcile.service" >"$W/out" 2>&1 || fail "verify reconcile unit: $(cat "$W/out")"
[ ! -s "$W/out" ] || { cat "$W/out"; fail "verify of the reconcile unit printed warnings"; }
rkey() { sed -n "s/^$1=//p" "${2:-$W/virt-sriov-reconcile.service}" | tr '\n' ' '; }
# each (re)start of the daemon must run it again: oneshot, never "active"
# after it ran
reconcile_unit_ok() {
	case " $(rkey Type "$1") " in *" oneshot "*) ;; *) echo "Type: $(rkey Type "$1")"; return 1 ;; esac
	case " $(rkey RemainAfterExit "$1") " in *" yes "*|*" true "*|*" 1 "*|*" on "*)
		echo "RemainAfterExit: the second start of the daemon would not run it"; return 1 ;; esac
	for u in libvirtd.service virtqemud.service virtnetworkd.service; do
		case " $(rkey After "$1") " in *" $u "*) ;; *) echo "not After=$u"; return 1 ;; esac
	done
	for u in libvirtd.service virtqemud.service; do
		case " $(rkey WantedBy "$1") " in *" $u "*) ;; *) echo "not WantedBy=$u"; return 1 ;; esac
	done
	case " $(rkey Before "$1") " in *" libvirtd.service "*) echo "Before=libvirtd.service"; return 1 ;; esac
	return 0
}
why=$(reconcile_unit_ok "$W/virt-sriov-reconcile.service") || fail "reconcile unit: $why"
# the key checks are real: a copy that stays active after its run fails them
sed 's/^Type=oneshot$/&\nRemainAfterExit=yes/' "$W/virt-sriov-reconcile.service" >"$W/bad-reconcile.service"
if reconcile_unit_ok "$W/bad-reconcile.service" >/dev/null; then fail "RemainAfterExit=yes passed the reconcile unit's check"; fi
sed 's/^WantedBy=.*/WantedBy=multi-user.target/' "$W/virt-sriov-reconcile.service" >"$W/bad-reconcile.service"
if reconcile_unit_ok "$W/bad-reconcile.service" >/dev/null; then fail "WantedBy=multi-user.target passed the reconcile unit's check"; fi

finish "systemd units verified"
