#!/bin/sh
# Builds a directory that stands in for bin/ using the reference execline, so the harness can be
# checked reference-against-reference:
#   sh conformance/tools/make-reference-bin.sh /tmp/refbin
#   CONFORMANCE_OURS_BIN=/tmp/refbin npx vitest run conformance
# Commands that Debian does not ship get small sh shims written from their documentation:
# import (pre-2.x form of importas), s6-echo (s6-portable-utils) and s6-test (old name of eltest).
set -e
dir=${1:?usage: make-reference-bin.sh DIR}
ref=${CONFORMANCE_REF_BIN:-/usr/lib/execline/bin}
mkdir -p "$dir"
for f in "$ref"/*; do ln -sf "$f" "$dir/${f##*/}"; done

# Runs "$@" with its stderr saved, then replays the stderr with the program name renamed.
rename_helper='
run_renamed() {
  from=$1; to=$2; shift 2
  tmp=$(mktemp)
  "$@" 2>"$tmp" && rc=0 || rc=$?
  sed "s/^$from:/$to:/" "$tmp" >&2
  rm -f "$tmp"
  exit $rc
}'

cat >"$dir/s6-echo" <<'SHIM'
#!/bin/sh
nl=1 sep=' '
while getopts :ns: o; do
  case $o in
    n) nl=0 ;;
    s) sep=$(printf '%.1s' "$OPTARG") ;;
    *) echo 's6-echo: usage: s6-echo [ -n ] [ -s sep ] args...' >&2; exit 100 ;;
  esac
done
shift $((OPTIND - 1))
first=1
for a in "$@"; do
  if [ $first = 0 ]; then
    if [ -z "$sep" ]; then printf '\0'; else printf '%s' "$sep"; fi
  fi
  printf '%s' "$a"; first=0
done
[ $nl = 1 ] && printf '\n'
exit 0
SHIM

{ echo '#!/bin/sh'; echo "$rename_helper"; cat <<'SHIM'
opts=
while getopts :iD:usCcnNd: o; do
  case $o in
    D|d) opts="$opts -$o \"\$OPTARG_$o\""; eval "OPTARG_$o=\$OPTARG" ;;
    \?|:) echo 'import: usage: import [ -i | -D default ] [ -u ] [ -n ] [ -s ] [ -C | -c ] [ -d delim ] var prog...' >&2; exit 100 ;;
    *) opts="$opts -$o" ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ]; then
  echo 'import: usage: import [ -i | -D default ] [ -u ] [ -n ] [ -s ] [ -C | -c ] [ -d delim ] var prog...' >&2; exit 100
fi
var=$1; shift
eval "set -- importas $opts \"\$var\" \"\$var\" \"\$@\""
run_renamed importas import "$@"
SHIM
} >"$dir/import"

{ echo '#!/bin/sh'; echo "$rename_helper"; echo 'run_renamed eltest s6-test eltest "$@"'; } >"$dir/s6-test"

chmod 755 "$dir/s6-echo" "$dir/import" "$dir/s6-test"
echo "$dir"
