/* A virt-sriov.conf for the parser's tests (test-conf.c) and the merge's
 * (test-policy.c): every kind of [pf] name, a gate said yes and no. */
#pragma once

static const char conf_text[] =
	"# test\n"
	"[defaults]\n"
	"spoofchk = on\n"
	"max-tx-rate = 100   # inline comment\n"
	"\n"
	"[pf 8086:1521]\n"
	"max-tx-rate = 200\n"
	"allow-trust-on = yes\n"
	"[pf em1]\n"
	"max-tx-rate = 300\n"
	"allow-spoofchk-off = yes\n"
	"[pool lockdown]\n"
	"allow-spoofchk-off = no\n"
	"link-state = enable\n"
	"[pf 0:3:0.0]\n"
	"trust = off\n";
