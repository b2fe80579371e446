#!/bin/sh
# graphs.current: the checked-in docs/graphs/<protocol>.dot of every reference protocol equals
# what `kapctl graph <protocol>` prints now (regenerate with scripts/graphs), no stray .dot is
# left behind, every protocol has its .svg, and Graphviz's `dot` parses each file (that last check
# is skipped, with a note, when graphviz is not installed).
# Usage: graphs_check.sh KAPCTL SOURCE_DIR
set -eu
kapctl="$1"
src="$2"
dir="$src/docs/graphs"
status=0
names=$("$kapctl" protocols | cut -d' ' -f1)
have_dot=yes
command -v dot >/dev/null 2>&1 || have_dot=no
for name in $names; do
  if [ ! -f "$dir/$name.dot" ]; then
    echo "missing $dir/$name.dot: run scripts/graphs" >&2
    status=1
    continue
  fi
  if ! "$kapctl" graph "$name" | cmp -s - "$dir/$name.dot"; then
    echo "$dir/$name.dot is out of date: run scripts/graphs and commit the result" >&2
    "$kapctl" graph "$name" | diff "$dir/$name.dot" - >&2 || true
    status=1
  fi
  if [ ! -s "$dir/$name.svg" ]; then
    echo "missing $dir/$name.svg: run scripts/graphs" >&2
    status=1
  fi
  if [ "$have_dot" = yes ] && ! dot -Tcanon "$dir/$name.dot" >/dev/null; then
    echo "dot cannot parse $dir/$name.dot" >&2
    status=1
  fi
done
for f in "$dir"/*.dot; do
  [ -e "$f" ] || continue
  base=$(basename "$f" .dot)
  case " $(echo $names) " in
    *" $base "*) ;;
    *) echo "$f is not a reference protocol's diagram: remove it (scripts/graphs)" >&2; status=1 ;;
  esac
done
[ "$have_dot" = yes ] || echo "note: graphviz not installed; dot parsing not checked" >&2
[ "$status" -eq 0 ] && echo "docs/graphs: $(echo $names | wc -w) diagrams current"
exit $status
