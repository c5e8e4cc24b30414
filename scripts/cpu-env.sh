# Thread, BLAS and malloc settings and the nd4j-native build for LLKD-J processes; sourced by ./llkd, .ci/run and
# scripts/bench.sh.
# Measured on the 2-core CI/dev machines (see README "Performance"):
#  - OPENBLAS_THREAD_TIMEOUT=4 + OMP_WAIT_POLICY=PASSIVE stop OpenBLAS's pthreads and libgomp from spinning
#    against each other on 2 cores (a hand-written encoder layer went from 569 to 424 ms).
#  - The bytedeco OpenBLAS 0.3.19 inside nd4j-native does not recognise recent Intel Xeons (e.g. family 6
#    model 207) and falls back to its generic "Prescott" SSE kernels: a [2048,384]x[384,1536] GEMM ran at
#    27 GFLOP/s instead of 155 with the SkylakeX kernels. On an Intel CPU with AVX-512 we therefore select
#    SkylakeX explicitly (AVX-512 is present, so the kernels are valid); AMD CPUs are detected correctly and
#    are left alone. An OPENBLAS_CORETYPE set by the caller always wins.
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export DJL_OFFLINE=true
# glibc malloc: a fixed 1 MiB mmap threshold (glibc otherwise raises it to the largest buffer freed, up to 32 MiB,
# and keeps later frees of that size in its heap), a 16 MiB trim threshold and 2 arenas. Measured (docs/memory.md):
# six TINY runs in one JVM under the generic build held 0.82 -> 1.38 GiB resident after runs 2..6 without these,
# 0.87 -> 0.91 GiB with them. Values set by the caller win.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1048576}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-16777216}"
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  if grep -q -m1 'GenuineIntel' /proc/cpuinfo && grep -q -m1 -w 'avx512f' /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=SkylakeX
  fi
fi
# The nd4j-native build for this CPU (LLKD_NATIVE_BUILD, LLKD_NATIVE_EXT); a bad forced LLKD_NATIVE_BUILD stops here.
# shellcheck source=native-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/native-build.sh" || return 2
