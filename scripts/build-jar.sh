#!/usr/bin/env bash
# Builds the Spark jar (jvm/) into target/jvm/azure-service-tags.jar: the Java reader of
# the crate's index file and the Spark functions, compiled for Java 17 against the
# Spark jars that PyPI's pyspark ships (the test environment's, python-env.sh), with
# the index of each cloud (aztags export-index) as a resource; and the test classes
# (jvm/test) into target/jvm/test-classes. The jar is copied, for the wheel, to
# python/azure_service_tags/jars/. Needs javac 17 or newer. Prints the jar's path.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
. scripts/aztags.sh
venv=$(test_venv)
spark_jars=$(ls -d "$venv"/lib/python3*/site-packages/pyspark/jars | head -n 1)
aztags=$(build_aztags cli,government,china)
out=target/jvm
rm -rf "$out/classes" "$out/test-classes"
mkdir -p "$out/classes/azureservicetags" "$out/test-classes"
for cloud in public government china; do
  "$aztags" --no-age-warning --cloud "$cloud" export-index "$out/classes/azureservicetags/$cloud.aztagidx" >&2
done
javac -Xlint:all,-path,-serial,-processing -Werror --release 17 -cp "$spark_jars/*" -d "$out/classes" \
  $(find jvm/src -name '*.java') >&2
javac --release 17 -cp "$out/classes" -d "$out/test-classes" $(find jvm/test -name '*.java') >&2
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
printf 'Implementation-Title: azure-service-tags\nImplementation-Version: %s\n' "$version" > "$out/manifest.txt"
jar --create --file "$out/azure-service-tags.jar.tmp" --manifest "$out/manifest.txt" -C "$out/classes" .
mv "$out/azure-service-tags.jar.tmp" "$out/azure-service-tags.jar"
mkdir -p python/azure_service_tags/jars
cp "$out/azure-service-tags.jar" python/azure_service_tags/jars/
echo "$out/azure-service-tags.jar"
