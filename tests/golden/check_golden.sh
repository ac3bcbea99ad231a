#!/usr/bin/env bash
# Run every case of commands.txt and compare its outputs with the stored ones under tests/data/golden/.
#
#   tests/golden/check_golden.sh GUIDANCE            compare (what CTest runs); exit 1 on any difference
#   tests/golden/check_golden.sh GUIDANCE --update   rewrite the stored outputs, on purpose
#
# or `cmake --build build --target update_golden`. Each case stores NAME.txt (the command, stdout,
# stderr and exit status) and NAME.FILE for each file it writes; a file over 256 KiB is stored as its
# SHA-256 (NAME.FILE.sha256) instead, which is still a byte-for-byte comparison.
set -u
guidance=$(realpath "$1")
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
golden="$source_dir/tests/data/golden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$source_dir" || exit 2

failed=0
[[ $update == --update ]] && { rm -rf "$golden"; mkdir -p "$golden"; }
while read -r name rest; do
  [[ -z $name || $name == \#* ]] && continue
  out="$work/$name"
  # Each case runs in a directory of its own that sees the source's scenarios and tests, with its output
  # files in a fresh subdirectory literally named @OUT@: the command lines the HTML report and the
  # workbook record (the workbook compressed, beyond a textual replacement) are then the same anywhere.
  mkdir -p "$out/cwd/@OUT@" "$out/actual"
  ln -s "$source_dir/scenarios" "$source_dir/tests" "$out/cwd/"
  eval "args=($rest)"
  {
    echo "\$ guidance $rest"
    (cd "$out/cwd" && "$guidance" "${args[@]}" 2>"$out/stderr" </dev/null)
    echo "--- exit $?"
    echo "--- stderr"
    cat "$out/stderr"
  } >"$out/actual/$name.txt"
  for file in "$out"/cwd/@OUT@/*; do
    [[ -e $file ]] || continue
    base=$(basename "$file")
    if (($(stat -c %s "$file") > 262144)); then
      (cd "$out/cwd/@OUT@" && sha256sum "$base") >"$out/actual/$name.$base.sha256"
    else
      cp "$file" "$out/actual/$name.$base"
    fi
  done
  if [[ $update == --update ]]; then
    cp "$out"/actual/* "$golden/"
    continue
  fi
  for file in "$out"/actual/*; do
    if ! cmp -s "$file" "$golden/$(basename "$file")"; then
      echo "golden: $name: $(basename "$file") differs from tests/data/golden/$(basename "$file")"
      diff <(head -c 20000 "$golden/$(basename "$file")" 2>/dev/null) <(head -c 20000 "$file") | head -20
      failed=1
    fi
  done
  expected=$(cd "$golden" && ls "$name".* 2>/dev/null | wc -l)
  actual=$(ls "$out"/actual | wc -l)
  if ((expected != actual)); then
    echo "golden: $name: wrote $actual files, tests/data/golden has $expected"
    failed=1
  fi
done <"$here/commands.txt"
exit $failed
