#!/bin/sh
# Turn a config/*.mk file (CONFIG_X := y|n|value) into a C header.
# y -> #define CONFIG_X 1; n -> nothing; anything else -> #define CONFIG_X value.
set -eu
echo "/* Generated from $(basename "$1"): do not edit. */"
echo "#ifndef GENERATED_CONFIG_H"
echo "#define GENERATED_CONFIG_H"
sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)[[:space:]]*:=[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/\1 \2/p' "$1" |
while read -r name value; do
    case "$value" in
        y) echo "#define $name 1" ;;
        n) ;;
        *) echo "#define $name $value" ;;
    esac
done
echo "#endif"
