#!/bin/sh
# Install what annals needs to build and test, when it is missing.
# Debian/Ubuntu: apt-get (with sudo when not root). Elsewhere: say what is needed.
# Usage: scripts/deps.sh [build|test|bench|fuzz]   (test and bench add what those use)
set -eu

what=${1:-build}
pkgs="gcc libc6-dev make cmake pkg-config libsqlite3-dev libyaml-dev libcmocka-dev libjansson-dev libmicrohttpd-dev"
if [ "$what" = fuzz ]; then
    pkgs="$pkgs clang libclang-rt-dev"
fi
if [ "$what" = bench ]; then
    pkgs="$pkgs python3 python3-yaml"
fi
if [ "$what" = test ]; then
    pkgs="$pkgs git neovim sqlite3 jq chromium fonts-dejavu-core valgrind man-db groff-base mandoc dpkg-dev zsh python3 python3-yaml python3-jsonschema curl nodejs npm"
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    missing=""
    for tool in cc cmake pkg-config; do
        command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
    done
    for mod in sqlite3 yaml-0.1 cmocka jansson libmicrohttpd; do
        pkg-config --exists "$mod" 2>/dev/null || missing="$missing $mod(dev)"
    done
    if [ -n "$missing" ]; then
        echo "annals: missing:$missing" >&2
        echo "annals: install a C compiler, CMake, pkg-config and the development files of SQLite 3, libyaml, cmocka, jansson and libmicrohttpd with your package manager" >&2
        exit 1
    fi
    exit 0
fi

missing=""
for p in $pkgs; do
    # Node.js from elsewhere (e.g. NodeSource) brings its own npm, and Debian's
    # npm package conflicts with it: a working command is enough for these two.
    case "$p" in
        nodejs) command -v node >/dev/null 2>&1 && continue ;;
        npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "annals: installing:$missing" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "annals: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
