#!/bin/sh
echo "hello from light 1.1.0"
