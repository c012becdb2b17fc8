# Harness self-test: what every other scenario relies on.
. /vs/lib.sh
expect_match "iproute2's ip, not busybox's" "$($IP -V 2>&1)" 'iproute2'
check "jq runs" sh -c 'echo "{\"a\":1}" | jq -e ".a == 1"'
check "virt-sriov runs in the guest" "$VIRT_SRIOV" --help
check "modprobe resolves dependencies (igb needs dca)" modprobe igb
expect_match "dca loaded with igb" "$(cat /proc/modules)" '^dca '
