# Chooses the nd4j-native build (native library variant) for this CPU; sourced by scripts/cpu-env.sh, so by ./llkd,
# .ci/run and scripts/bench.sh. Run directly (bash scripts/native-build.sh) it prints "<build> <extension>".
#
# Sets and exports:
#   LLKD_NATIVE_BUILD  the build: onednn-avx512 | onednn-avx2 | generic (the ones llkd-models ships)
#   LLKD_NATIVE_EXT    JavaCPP's extension for it: -onednn-avx512 | -onednn-avx2 | "" (generic); pass it on as
#                      -Dorg.bytedeco.javacpp.platform.extension="$LLKD_NATIVE_EXT" (java) or
#                      -Dllkd.native.extension="$LLKD_NATIVE_EXT" (mvn: the surefire JVMs get it through argLine)
# Order (fastest first, docs/performance.md): onednn-avx512 > avx512 > onednn-avx2 > avx2 > generic, limited to the
# builds shipped. AVX-512 means avx512f+avx512bw+avx512dq+avx512vl, AVX2 means avx2+fma, read from /proc/cpuinfo
# (LLKD_CPUINFO names another file, for tests). Anything but Linux x86-64 gets the generic build.
# A LLKD_NATIVE_BUILD set by the caller forces that build; an unknown or unshipped name is an error.
# org.llkd.models.NativeBuild checks at run time that the build loaded is the one chosen here.

llkd_native_shipped="onednn-avx512 onednn-avx2 generic"
llkd_native_known="onednn-avx512 avx512 onednn-avx2 avx2 onednn generic"

llkd_native_choose() {
  local cpuinfo=${LLKD_CPUINFO:-/proc/cpuinfo} flags="" f ok512=1 ok2=1 c
  if [ -n "${LLKD_NATIVE_BUILD:-}" ]; then
    case " $llkd_native_shipped " in
      *" $LLKD_NATIVE_BUILD "*) echo "$LLKD_NATIVE_BUILD"; return 0 ;;
    esac
    case " $llkd_native_known " in
      *" $LLKD_NATIVE_BUILD "*)
        echo "LLKD_NATIVE_BUILD=$LLKD_NATIVE_BUILD: Maven Central serves that build but this project does not ship" \
          "it (shipped: $llkd_native_shipped); add nd4j-native's linux-x86_64-$LLKD_NATIVE_BUILD jar to" \
          "llkd-models/pom.xml first (docs/performance.md)" >&2 ;;
      *)
        echo "LLKD_NATIVE_BUILD=$LLKD_NATIVE_BUILD: unknown build; expected one of: $llkd_native_shipped" >&2 ;;
    esac
    return 1
  fi
  if [ -z "${LLKD_CPUINFO:-}" ] && { [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; }; then
    echo generic; return 0
  fi
  if [ ! -r "$cpuinfo" ]; then
    echo "native-build.sh: cannot read $cpuinfo; using the generic build" >&2
    echo generic; return 0
  fi
  # flags of the first processor only (all cores of a machine have the same ISA)
  flags=" $(grep -m1 '^flags' "$cpuinfo" | cut -d: -f2) "
  for f in avx512f avx512bw avx512dq avx512vl; do case "$flags" in *" $f "*) ;; *) ok512=0 ;; esac; done
  for f in avx2 fma; do case "$flags" in *" $f "*) ;; *) ok2=0 ;; esac; done
  for c in $llkd_native_known; do
    case " $llkd_native_shipped " in *" $c "*) ;; *) continue ;; esac
    case $c in
      *avx512) [ $ok512 = 1 ] && { echo "$c"; return 0; } ;;
      *avx2) [ $ok2 = 1 ] && { echo "$c"; return 0; } ;;
      *) echo "$c"; return 0 ;;
    esac
  done
  echo generic
}

if llkd_native_build_chosen=$(llkd_native_choose); then
  export LLKD_NATIVE_BUILD=$llkd_native_build_chosen
  if [ "$LLKD_NATIVE_BUILD" = generic ]; then export LLKD_NATIVE_EXT=""; else export LLKD_NATIVE_EXT="-$LLKD_NATIVE_BUILD"; fi
  unset llkd_native_build_chosen
  if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "$LLKD_NATIVE_BUILD $LLKD_NATIVE_EXT"; fi
else
  unset llkd_native_build_chosen
  # sourced: fail the caller (./llkd, .ci/run and bench.sh run with set -e); run directly: exit 2
  if [ "${BASH_SOURCE[0]}" = "$0" ]; then exit 2; else return 2; fi
fi
