# 7. The hook's own time on real guest starts, next to libvirt's: each
# guest started and destroyed REPS times. The hook's time is what libvirt
# waits for it (its "About to run" to its "Result" debug lines, from
# libvirtd's log with log_filters util.command); libvirt's is `virsh start`
# and `virsh destroy` wall time. A guest without VFs is the baseline.
. /vs/e2e-lib.sh
ensure_pool
REPS=${E2E_REPS:-3}
vs policy set e2e-net --spoofchk off --trust on --config >/dev/null 2>&1 ||
	{ define_guest e2e-net && vs policy set e2e-net --spoofchk off --trust on --config; }
virsh dominfo e2e-hd >/dev/null 2>&1 || define_guest e2e-hd "$(vf_addr_sed "$(vf_addr_n 1)")"
virsh dominfo e2e-att >/dev/null 2>&1 || define_guest e2e-att

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%d", a[int((NR + 1) / 2)]; else printf "-" }'; }
for g in e2e-att e2e-net e2e-hd; do
	: >/tmp/t.start; : >/tmp/t.stop; : >/tmp/t.hooks
	r=0 ok=yes
	while [ $r -lt "$REPS" ]; do
		mark=$(hook_mark)
		if ! start_guest $g; then ok="start: $(cat /tmp/start.out)"; break; fi
		echo "$START_MS" >>/tmp/t.start
		t0=$(now_ms)
		destroy_guest $g || { ok="destroy failed"; break; }
		echo $(($(now_ms) - t0)) >>/tmp/t.stop
		hook_times "$mark" >>/tmp/t.hooks
		r=$((r + 1))
	done
	[ "$ok" = yes ] && pass "$g: $REPS starts and destroys" || { fail "$g: $REPS starts and destroys" "$ok"; continue; }
	hooks=''
	for op in $(cut -d= -f1 /tmp/t.hooks | awk '!seen[$0]++'); do
		hooks="$hooks $op $(grep "^$op=" /tmp/t.hooks | cut -d= -f2 | median) ms,"
	done
	total=$(awk -F= '{ s += $2 } END { printf "%d", s / '"$REPS"' }' /tmp/t.hooks)
	bench_line "$g: virsh start median $(median </tmp/t.start) ms, virsh destroy median $(median </tmp/t.stop) ms; virt-sriov hook runs (median each):${hooks:- none} all hook runs per start+destroy $total ms (mean, $REPS runs)"
	[ "$g" != e2e-att ] && [ -z "$hooks" ] && fail "$g: the hook's runs are in libvirtd's log" "$(grep -c 'About to run' $LIBVIRTD_LOG) 'About to run' lines"
done
# What any hook costs here: the program run as libvirt runs it, for an
# operation it ignores, next to /bin/true: the installed front (exits at
# once), and the full hook it would exec (loads its libraries, reads stdin).
run_as_libvirt() { env -i LC_ALL=C PATH=/usr/sbin:/usr/bin HOME=/root "$@" x started begin - </dev/null; }
bench "timing: virt-sriov hook (the installed front) for an operation it ignores, run as libvirt does" 10 \
	run_as_libvirt /etc/libvirt/hooks/qemu.d/virt-sriov
bench "timing: the full hook (/usr/libexec/virt-sriov/virt-sriov-hook) for the same operation" 10 \
	run_as_libvirt /usr/libexec/virt-sriov/virt-sriov-hook
bench "timing: /bin/true run the same way" 10 run_as_libvirt /bin/true
expect_eq "no guest state left" "$(state_left)" ""
