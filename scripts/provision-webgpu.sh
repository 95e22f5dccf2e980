#!/bin/sh
# Provision a software WebGPU adapter for Node (Dawn, the `webgpu` npm package) on Debian 12 x86-64
# without a GPU: the Vulkan loader (libvulkan1, via apt) and Mesa 25's lavapipe from
# bookworm-backports, unpacked into a private prefix ($MESA_PREFIX, default ~/.cache/mesa25) without
# touching the system's apt sources (Debian 12's own Mesa 22 is rejected by Dawn).
# Idempotent: each part is skipped when already there. Elsewhere (macOS, Windows, a machine with a
# GPU driver) it does nothing. The WebGPU tests find the driver at the default prefix by themselves;
# for other programs: export VK_ICD_FILENAMES=$MESA_PREFIX/lvp_icd.json
# See ../shared/docs/webgpu-ci.md.
set -eu
P=${MESA_PREFIX:-$HOME/.cache/mesa25}

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ] || [ ! -f /etc/debian_version ]; then
  echo "provision-webgpu: not Debian x86-64; nothing to do (WebGPU uses the platform's own driver)."
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
fi

if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  echo "provision-webgpu: installing libvulkan1 (the Vulkan loader)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libvulkan1 >/dev/null
fi

if [ -f "$P/lvp_icd.json" ] && [ -f "$P/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so" ]; then
  echo "provision-webgpu: Mesa lavapipe already in $P"
  exit 0
fi

echo "provision-webgpu: unpacking Mesa 25 lavapipe (bookworm-backports) into $P"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/lists/partial" "$W/cache/archives/partial" "$P"
URI=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  URI=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
URI=${URI:-http://deb.debian.org/debian}
echo "deb $URI bookworm-backports main" > "$W/sources.list"
O="-o Dir::Etc::sourcelist=$W/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$W/lists -o Dir::Cache=$W/cache"
# shellcheck disable=SC2086
apt-get $O update -qq
# shellcheck disable=SC2086
(cd "$W" && apt-get $O download -qq mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports)
for d in "$W"/*.deb; do dpkg -x "$d" "$P"; done
printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.4.305"}}' \
  "$P/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so" > "$P/lvp_icd.json"
echo "provision-webgpu: done ($P/lvp_icd.json)"
