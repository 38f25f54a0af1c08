#!/usr/bin/env bash
# Installs Sluice as a systemd service: user and group "sluice", /opt/sluice/sluice.jar,
# /etc/sluice/sluice.yml (kept if present), /var/spool/sluice and /var/log/sluice, the unit.
# Usage (as root, from a checkout after `mvn -B -DskipTests package`): systemd/install.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$here/daemon/target/sluice.jar}
[ -f "$jar" ] || { echo "install.sh: $jar not found; build first: mvn -B -DskipTests package" >&2; exit 2; }
getent group sluice >/dev/null || groupadd --system sluice
getent passwd sluice >/dev/null || useradd --system --gid sluice --home-dir /var/spool/sluice --shell /usr/sbin/nologin sluice
install -d -m 0755 /opt/sluice /etc/sluice
install -d -m 0750 -o sluice -g sluice /var/spool/sluice /var/log/sluice
install -m 0644 "$jar" /opt/sluice/sluice.jar
install -m 0644 "$here/README.md" /opt/sluice/README.md
[ -f /etc/sluice/sluice.yml ] || install -m 0640 -g sluice "$here/systemd/sluice.yml" /etc/sluice/sluice.yml
[ -f /etc/default/sluice ] || install -m 0644 "$here/systemd/sluice.default" /etc/default/sluice
install -m 0644 "$here/systemd/sluice.service" /etc/systemd/system/sluice.service
systemctl daemon-reload
systemctl enable sluice.service
echo "installed; start with: systemctl start sluice"
