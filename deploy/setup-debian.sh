#!/bin/sh
# SPDX-License-Identifier: MIT
# setup-debian.sh: install every Debian 12 package Switchyard's build, tools
# and tests need. Idempotent; non-interactive; needs root (or sudo).
# Used by the README's two commands and by .ci/run (through tests/run.sh).
set -eu

PKGS="
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libcmocka-dev libpcap-dev libssl-dev
  ffmpeg tcpreplay tshark tcpdump iproute2 ethtool python3
  dpdk dpdk-dev libdpdk-dev
  libuv1-dev libjansson-dev node-llhttp libcurl4-openssl-dev libebur128-dev
  python3-jsonschema nghttp2-client curl openssl
  avahi-daemon avahi-utils libavahi-client-dev dbus
"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "setup: all packages present"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null && exec sudo "$0" "$@"
	echo "setup: missing packages:$missing; run this script as root" >&2
	exit 1
fi
echo "setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, quietly
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get -o DPkg::Lock::Timeout=600 update -q
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $missing
