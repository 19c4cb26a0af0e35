#!/bin/sh
if [ "$1" = "--json" ]; then
  echo "{\"core\": \"2.0.0\", \"arch\": \"$(uname -m)\"}"
else
  echo "core 2.0.0 on $(uname -m)"
fi
