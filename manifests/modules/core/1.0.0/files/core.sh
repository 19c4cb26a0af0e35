#!/bin/sh
echo "core 1.0.0 on $(uname -m)"
