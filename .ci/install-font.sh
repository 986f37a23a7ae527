#!/usr/bin/env bash
# The CJK font the 通报's PDF embeds (graph/bulletin.py): Debian's fonts-wqy-zenhei.
set -euo pipefail
package=fonts-wqy-zenhei
if ! command -v apt-get >/dev/null; then
    echo "The PDF report needs a CJK TrueType font: install the package $package (or set PAIRING_CJK_FONT to a .ttf/.ttc)." >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "The PDF report needs Debian's $package: run 'apt-get install $package' as root." >&2
        exit 1
    fi
    sudo="sudo"
fi
$sudo apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package" || {
    echo "Could not install Debian's $package, which the PDF report needs." >&2
    exit 1
}
