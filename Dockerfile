# Sluice as a container image: non-root, the spool, the event log and the configuration as
# volumes, a health check on /health. Built and smoke-tested by scripts/image.sh (not part of
# scripts/test.sh: CI reaches package registries, not container registries).
#
#   docker build -t sluice .
#   docker run -d -p 2525:2525 -p 8025:8025 -v sluice-spool:/var/spool/sluice sluice

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY protocol protocol
COPY queue queue
COPY dkim dkim
COPY daemon daemon
COPY bench bench
RUN mvn -B -q -DskipTests package -pl daemon -am

FROM eclipse-temurin:17-jre
RUN groupadd --system sluice && useradd --system --gid sluice --home-dir /var/spool/sluice --shell /usr/sbin/nologin sluice \
 && mkdir -p /opt/sluice/bin /etc/sluice /var/spool/sluice /var/log/sluice \
 && chown sluice:sluice /var/spool/sluice /var/log/sluice
COPY --from=build /src/daemon/target/sluice.jar /opt/sluice/sluice.jar
COPY bin/sluice bin/sluicectl /opt/sluice/bin/
COPY container/sluice.yml /etc/sluice/sluice.yml
ENV SLUICE_JAR=/opt/sluice/sluice.jar \
    SLUICE_CONFIG=/etc/sluice/sluice.yml \
    JAVA_OPTS="-XX:MaxRAMPercentage=50"
USER sluice
WORKDIR /var/spool/sluice
VOLUME ["/var/spool/sluice", "/var/log/sluice", "/etc/sluice"]
EXPOSE 2525 8025
# bash's /dev/tcp: the JRE image has no curl; 503 (DEGRADED, DOWN) counts as unhealthy
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8025 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/opt/sluice/bin/sluice", "run"]
