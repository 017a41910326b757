#!/usr/bin/env bash
# Wrap the one-folder application (dist/motcua) into a Debian package with dpkg-deb, then
# check it with lintian. Called by installer/build.sh (VERSION, BUILD, DIST set there).
# Layout: /opt/motcua (the bundle, self-contained Python and Qt), /usr/bin/motcua, desktop
# entries for the application, the kiosk and the display board, icons, a commented
# /etc/motcua/motcua.toml (a conffile: the centre's settings survive upgrades).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=installer/linux
: "${VERSION:?}" "${BUILD:?}" "${DIST:?}"
ARCH=$(dpkg --print-architecture)
APP=$DIST/motcua
PKG=$BUILD/deb/motcua
DEB=$DIST/motcua_${VERSION}_${ARCH}.deb
SECONDS=0
phase() { echo "==> [${SECONDS}s] $*"; }
rm -rf "$BUILD/deb"
phase "package tree $PKG"
install -d "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/doc/motcua" \
  "$PKG/usr/share/man/man1" "$PKG/usr/share/lintian/overrides" "$PKG/etc/motcua"
# hard links where the work folder and the output are on one file system (no second copy of 400 MB to write);
# the permissions set below then apply to the bundle in $DIST as well: the same as installed, which the test runs
cp -al "$APP" "$PKG/opt/motcua" 2>/dev/null || { rm -rf "$PKG/opt/motcua"; cp -a "$APP" "$PKG/opt/motcua"; }
# byte-code caches the test run or a developer left beside the migrations (copied as data): Debian forbids them
find "$PKG/opt/motcua" -name __pycache__ -type d -prune -exec rm -rf {} +
ln -s /opt/motcua/motcua "$PKG/usr/bin/motcua"
for size in 48 128 256; do
  install -D -m 0644 "$BUILD/icons/motcua-$size.png" "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/motcua.png"
done
install -m 0644 "$HERE"/motcua*.desktop "$PKG/usr/share/applications/"
install -m 0644 installer/motcua.toml.example "$PKG/etc/motcua/motcua.toml"
install -m 0644 "$HERE/copyright" "$PKG/usr/share/doc/motcua/copyright"
install -m 0644 "$HERE/lintian-overrides" "$PKG/usr/share/lintian/overrides/motcua"
sed "s/@VERSION@/$VERSION/; s/@DATE@/$(date -R -u -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")/" \
  "$HERE/changelog" | gzip -9n > "$PKG/usr/share/doc/motcua/changelog.gz"
gzip -9n < "$HERE/motcua.1" > "$PKG/usr/share/man/man1/motcua.1.gz"
chmod 0644 "$PKG/usr/share/doc/motcua/changelog.gz" "$PKG/usr/share/man/man1/motcua.1.gz"
# normalise permissions: the bundle's files as data, its executables (ELF with +x) kept runnable
find "$PKG" -type d -exec chmod 0755 {} +
find "$PKG/opt/motcua" -type f ! -path "$PKG/opt/motcua/motcua" -exec chmod 0644 {} +
chmod 0755 "$PKG/opt/motcua/motcua"
echo "/etc/motcua/motcua.toml" > "$PKG/DEBIAN/conffiles"
install -m 0755 "$HERE/preinst" "$PKG/DEBIAN/preinst"
size=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
sed "s/@VERSION@/$VERSION/; s/@ARCH@/$ARCH/; s/@SIZE@/$size/" "$HERE/control" > "$PKG/DEBIAN/control"
(cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$PKG/DEBIAN/md5sums"
chmod 0644 "$PKG/DEBIAN/control" "$PKG/DEBIAN/conffiles" "$PKG/DEBIAN/md5sums"
# MOTCUA_DEB_COMPRESSION=gzip:1 for a quick check build (xz:6 takes minutes on 400 MB; zstd is quicker, but
# lintian calls it a malformed-deb-archive)
IFS=: read -r ctype clevel <<<"${MOTCUA_DEB_COMPRESSION:-xz:6}"
phase "dpkg-deb ($ctype:$clevel)"
dpkg-deb --root-owner-group "-Z$ctype" "-z$clevel" --build "$PKG" "$DEB" >/dev/null
phase "$DEB ($(du -m "$DEB" | cut -f1) MB)"
if [ "${MOTCUA_SKIP_LINTIAN:-0}" != 1 ]; then
  phase lintian
  # errors fail the build; warnings are printed for the record
  lintian --fail-on error --tag-display-limit 0 "$DEB"
  phase "lintian passed"
fi
