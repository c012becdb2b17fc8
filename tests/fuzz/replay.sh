#!/bin/sh
# Replay the fuzz corpora through the fuzz targets built with the
# project's compiler (and, in CI, its sanitizers).
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
F=$top_builddir/tests/fuzz
C=$top_srcdir/tests/fuzz/corpus
H=$top_srcdir/tests/data/hook
"$F/fuzz-policy-replay" "$C/policy" "$H/policy"
"$F/fuzz-conf-replay" "$C/conf" "$H/host.conf"
"$F/fuzz-hook-input-replay" "$H/captures" "$H/captures-real-vf" "$H/policy" "$H/hostile"
