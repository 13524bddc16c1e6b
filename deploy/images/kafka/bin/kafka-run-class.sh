#!/bin/bash
# A Kafka tool's main class on the broker's class path (a small heap: tools run beside the broker).
exec java ${KAFKA_TOOLS_HEAP_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} ${KAFKA_OPTS:-} \
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp "/opt/kafka/libs/*" "$@"
