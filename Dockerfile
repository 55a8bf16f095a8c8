# Image of the operator. Build the jar first: mvn -B package -DskipTests
#   docker build -t ghcr.io/nats-account-operator/nats-account-operator:0.1.0 .
# (It cannot be built on the development machine: there is no container engine there.)
FROM eclipse-temurin:17-jre

# A fixed numeric UID so Kubernetes can verify runAsNonRoot without resolving names.
RUN groupadd --system --gid 10001 operator \
 && useradd --system --uid 10001 --gid operator --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin operator

WORKDIR /app
COPY target/nats-account-operator.jar /app/nats-account-operator.jar

USER 10001:10001
# Heap follows the container memory limit; the root filesystem may be read-only (only /tmp is written).
# 60 %, not more: the rest of the process (compiled code, metaspace, threads) takes about 180 MiB, and at 75 % of
# a 512Mi limit the operator of 1,000 tenants reached 558 MiB resident (bench/README.md, "Memory in the pod").
# Smaller inlining limits halve the CPU the JIT compilers spend (the largest cost of converging a thousand tenants)
# with the rest of the operator as fast, and keep 20 to 30 MiB less resident (bench/README.md, "Less work per
# reconcile, and less compiling").
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -XX:FreqInlineSize=100 -XX:InlineSmallCode=1000"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/nats-account-operator.jar"]
CMD ["run"]
