#!/bin/sh
# SPDX-License-Identifier: MIT
# Layer rule: src/ is plain C and never includes DPDK, libuv or jansson
# headers; dataplane/ never includes control/ headers. Exit 1 naming offenders.
root=${1:-.}
bad=0
if grep -rnE '#[[:space:]]*include[[:space:]]*[<"](rte_|uv\.h|uv/|jansson)' "$root/src"; then
	echo "src/ must not include DPDK, libuv or jansson headers" >&2
	bad=1
fi
if [ -d "$root/dataplane" ] && grep -rnE '#[[:space:]]*include[[:space:]]*[<"]cp_' "$root/dataplane"; then
	echo "dataplane/ must not include control/ headers" >&2
	bad=1
fi
exit $bad
